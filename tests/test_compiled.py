"""
Reads compiled once per database connection (circle/compiled.py): the same rows the ORM gives,
each call with its own values, on SQLite and PostgreSQL alike.
"""

import datetime

import pytest
from django.test.utils import isolate_apps

from circle.compiled import CompiledRead
from courses.models import Lesson, LessonProgress
from tests.factories import LessonProgressFactory, UserFactory

pytestmark = pytest.mark.django_db


BUILT = []


def _lessons(p):
    BUILT.append(p)
    return (
        Lesson.objects.published()
        .filter(slug=p.slug, module__course__slug=p.course)
        .values_list("pk", "title", "module__title", "module__course__translations")
    )


LESSONS = CompiledRead(_lessons, slug=str, course=str)


def test_rows_are_those_of_the_orm_for_each_call(course):
    for slug in ["one", "two", "three", "hidden", "nowhere"]:
        expected = list(
            Lesson.objects.published()
            .filter(slug=slug, module__course__slug="circle")
            .values_list("pk", "title", "module__title", "module__course__translations")
        )
        assert LESSONS(slug=slug, course="circle") == expected
    assert LESSONS(slug="one", course="another") == []


def test_it_is_built_once_per_connection(course):
    BUILT.clear()
    LESSONS(slug="one", course="circle")
    LESSONS(slug="two", course="circle")
    assert len(BUILT) <= 1  # none when an earlier test on this connection built it


def test_each_shape_is_a_query_of_its_own(course):
    read = CompiledRead(
        lambda p, done: LessonProgress.objects.filter(
            user=p.user, completed_at__isnull=not done
        ).values_list("lesson__slug", flat=False),
        user=int,
    )
    parent = UserFactory()
    now = datetime.datetime.now(tz=datetime.UTC)
    one = Lesson.objects.get(slug="one")
    two = Lesson.objects.get(slug="two")
    LessonProgressFactory(user=parent, lesson=one, started_at=now, completed_at=now)
    LessonProgressFactory(user=parent, lesson=two, started_at=now)
    assert read(shape=(True,), user=parent.pk) == [("one",)]
    assert read(shape=(False,), user=parent.pk) == [("two",)]
    assert read(shape=(True,), user=UserFactory().pk) == []


def test_dates_and_converters_work_as_in_the_orm(course):
    parent = UserFactory()
    day = datetime.datetime(2026, 3, 14, 9, 30, tzinfo=datetime.UTC)
    LessonProgressFactory(user=parent, lesson=Lesson.objects.get(slug="one"), started_at=day)
    read = CompiledRead(
        lambda p: LessonProgress.objects.filter(
            user=p.user, started_at__date__gte=p.since
        ).values_list("started_at", "lesson__module__course__translations"),
        user=int,
        since=datetime.date,
    )
    assert read(user=parent.pk, since=datetime.date(2026, 3, 14)) == [(day, {})]
    assert read(user=parent.pk, since=datetime.date(2026, 3, 15)) == []


def test_a_call_gives_exactly_the_values_its_query_uses(course):
    with pytest.raises(
        TypeError, match=r"^This query takes \['course', 'slug'\], not \['slug'\]\.$"
    ):
        LESSONS(slug="one")
    with pytest.raises(
        TypeError, match=r"takes \['course', 'slug'\], not \['course', 'slug', 'user'\]"
    ):
        LESSONS(slug="one", course="circle", user=1)


def test_an_update_writes_what_the_orm_would_and_says_how_many_rows(course):
    from django.utils import timezone

    from circle.compiled import CompiledUpdate

    seen = CompiledUpdate(
        lambda p: (
            LessonProgress.objects.filter(user=p.user, completed_at__isnull=True),
            {"last_seen_at": p.now, "completed_at": p.now},
        ),
        user=int,
        now=datetime.datetime,
    )
    parent, other = UserFactory(), UserFactory()
    started = timezone.now() - datetime.timedelta(days=2)
    done = timezone.now() - datetime.timedelta(days=1)
    one, two = Lesson.objects.get(slug="one"), Lesson.objects.get(slug="two")
    LessonProgressFactory(user=parent, lesson=one, started_at=started, completed_at=done)
    LessonProgressFactory(user=parent, lesson=two, started_at=started)
    LessonProgressFactory(user=other, lesson=two, started_at=started)
    now = timezone.now()
    assert seen(user=parent.pk, now=now) == 1
    assert seen(user=parent.pk, now=now) == 0  # nothing left to complete
    rows = {
        (row.user_id, row.lesson_id): (row.last_seen_at, row.completed_at)
        for row in LessonProgress.objects.all()
    }
    assert rows[parent.pk, two.pk] == (now, now)
    assert rows[parent.pk, one.pk][1] == done  # already done: untouched
    assert rows[other.pk, two.pk][1] is None  # another parent's: untouched
    with pytest.raises(TypeError):
        seen(user=parent.pk)  # every value the UPDATE uses is needed


def test_an_update_that_does_more_than_the_update_is_refused(course):
    from circle.compiled import CompiledUpdate

    # Course content raises its version on every update (courses/content_version.py).
    rename = CompiledUpdate(
        lambda p: (Lesson.objects.filter(pk=p.pk), {"title": p.title}), pk=int, title=str
    )
    with pytest.raises(TypeError, match=r"^LessonQuerySet\.update\(\) cannot be compiled\.$"):
        rename(pk=Lesson.objects.first().pk, title="Renamed")


def test_forgetting_a_connections_queries_builds_them_again(course):
    from django.db import connections

    from circle.compiled import compiled_forget

    connection = connections["default"]  # the connection itself, not django.db's proxy

    LESSONS(slug="one", course="circle")
    BUILT.clear()
    compiled_forget(connection)
    compiled_forget(connection)  # nothing kept: nothing to drop, no error
    assert LESSONS(slug="two", course="circle") == [
        (Lesson.objects.get(slug="two").pk, "Lesson two", "First module", {})
    ]
    LESSONS(slug="three", course="circle")
    assert len(BUILT) == 1


def test_columns_read_only_to_order_are_not_returned(course):
    read = CompiledRead(
        lambda p: (
            Lesson.objects.filter(module__course__slug=p.course)
            .distinct()
            .order_by("-module__position", "position")
            .values_list("slug", "title")
        ),
        course=str,
    )
    assert read(course="circle") == [
        ("three", "Lesson three"),
        ("hidden", "Draft lesson"),
        ("one", "Lesson one"),
        ("two", "Lesson two"),
    ]


def test_values_of_one_kind_go_each_to_its_own_place(course):
    parent, other = UserFactory(), UserFactory()
    started = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    one, two = Lesson.objects.get(slug="one"), Lesson.objects.get(slug="two")
    LessonProgressFactory(user=parent, lesson=one, started_at=started)
    LessonProgressFactory(user=other, lesson=two, started_at=started)
    read = CompiledRead(
        lambda p: LessonProgress.objects.filter(user=p.user, lesson=p.lesson).values_list(
            "user", "lesson"
        ),
        user=int,
        lesson=int,
    )
    assert read(user=parent.pk, lesson=one.pk) == [(parent.pk, one.pk)]
    assert read(user=other.pk, lesson=two.pk) == [(other.pk, two.pk)]
    assert read(user=parent.pk, lesson=two.pk) == []  # no leak from the other parent's row
    assert read(user=other.pk, lesson=one.pk) == []


@isolate_apps("courses")
def test_an_update_of_a_parent_models_fields_is_refused():
    from django.db import models

    from circle.compiled import CompiledUpdate

    class Person(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "courses"

    class Facilitator(Person):  # noqa: DJ008
        bio = models.CharField(max_length=20)

        class Meta:
            app_label = "courses"

    # Facilitator.objects.update(name=...) is two UPDATEs, of the parent's table and then its own.
    rename = CompiledUpdate(
        lambda p: (Facilitator.objects.filter(pk=p.pk), {"name": p.name}), pk=int, name=str
    )
    message = r"^An UPDATE of a parent model's fields as well cannot be compiled\.$"
    with pytest.raises(TypeError, match=message):
        rename(pk=1, name="Renamed")


def test_an_update_of_each_shape_is_an_update_of_its_own(course):
    from circle.compiled import CompiledUpdate

    finish = CompiledUpdate(
        lambda p, done: (
            LessonProgress.objects.filter(user=p.user, completed_at__isnull=not done),
            {"last_seen_at": p.now},
        ),
        user=int,
        now=datetime.datetime,
    )
    parent = UserFactory()
    started = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    now = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    one, two, three = (Lesson.objects.get(slug=slug) for slug in ["one", "two", "three"])
    LessonProgressFactory(user=parent, lesson=one, started_at=started, completed_at=started)
    LessonProgressFactory(user=parent, lesson=two, started_at=started)
    LessonProgressFactory(user=parent, lesson=three, started_at=started)
    assert finish(shape=(True,), user=parent.pk, now=now) == 1
    assert finish(shape=(False,), user=parent.pk, now=now) == 2
    assert LessonProgress.objects.get(lesson=one).last_seen_at == now


def test_a_name_the_query_was_not_given_is_refused_by_name(course):
    read = CompiledRead(lambda p: Lesson.objects.filter(slug=p.lesson).values_list("pk"), slug=str)
    with pytest.raises(AttributeError, match="^lesson$"):
        read(slug="one")


def test_rows_become_the_instances_the_orm_would_read(course, django_assert_num_queries):
    from django.db.models import Value

    from circle.compiled import cache_related, columns, from_row
    from courses.models import Course, Module

    row = (
        Lesson.objects.filter(slug="three")
        .annotate(note=Value("extra"))
        .values_list(
            *columns(Lesson),
            *columns(Module, "module__"),
            *columns(Course, "module__course__"),
            "note",
        )
        .get()
    )
    lesson, module, course_read, rest = from_row(row, Lesson, Module, Course)
    assert rest == ("extra",)
    for read, model, slug in [
        (lesson, Lesson, "three"),
        (module, Module, "second"),
        (course_read, Course, "circle"),
    ]:
        expected = model.objects.get(slug=slug)
        assert read == expected
        assert [getattr(read, f.attname) for f in model._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in model._meta.concrete_fields
        ]
        # Read from the database, as the ORM's own instances: saved, and from this one.
        assert (read._state.adding, read._state.db) == (False, "default")
    cache_related(module, "course", course_read)
    cache_related(lesson, "module", module)
    with django_assert_num_queries(0):
        assert lesson.module.course.slug == "circle"


def test_a_list_the_query_holds_is_kept_as_it_is(course):
    # PostgreSQL binds the keys as one list (`?| %s`), a parameter that cannot be a dict's key.
    Lesson.objects.filter(slug="two").update(translations={"es": {"title": "Lección dos"}})
    read = CompiledRead(
        lambda p: Lesson.objects.filter(
            module__course__slug=p.course, translations__has_any_keys=["es", "fr"]
        ).values_list("slug", flat=True),
        course=str,
    )
    assert read(course="circle") == [("two",)]
    assert read(course="another") == []


def test_a_new_read_never_runs_a_freed_reads_query(course):
    """A read made after another was freed may get its id(); it must still run its own query."""
    for _ in range(50):
        titles = CompiledRead(
            lambda p: Lesson.objects.filter(slug=p.slug).values_list("title"), slug=str
        )
        assert titles(slug="one") == [("Lesson one",)]
        del titles
        slugs = CompiledRead(
            lambda p: Lesson.objects.filter(slug=p.slug).values_list("slug"), slug=str
        )
        assert slugs(slug="one") == [("one",)]
        del slugs
