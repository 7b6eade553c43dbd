"""
Reads compiled once per database connection (circle/compiled.py): the same rows the ORM gives,
each call with its own values, on SQLite and PostgreSQL alike.
"""

import datetime

import pytest

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
    with pytest.raises(TypeError):
        LESSONS(slug="one")
    with pytest.raises(TypeError):
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
    with pytest.raises(TypeError, match="cannot be compiled"):
        rename(pk=Lesson.objects.first().pk, title="Renamed")
