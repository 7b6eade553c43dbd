"""
The content cache (courses/content_cache.py): every way content can change raises the courses'
content_version, so a worker's cached outline and questions are never shown after an edit.
"""

import pytest
from django.core.cache import caches
from django.urls import reverse

from courses.authoring import lesson_set_published
from courses.content_cache import course_lessons
from courses.models import Choice, Course, Lesson, Module, Question
from tests.factories import ChoiceFactory, LessonFactory, QuestionFactory, add_questions

pytestmark = pytest.mark.django_db


def version():
    return Course.objects.get(slug="circle").content_version


def lesson_url(slug="one"):
    return reverse("courses:lesson", args=["circle", slug])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def question(course):
    return add_questions(Lesson.objects.get(slug="one"), 1)[0]


WRITES = {
    "course save": lambda q: Course.objects.get(slug="circle").save(),
    "course update": lambda q: Course.objects.filter(slug="circle").update(title="New"),
    "module save": lambda q: Module.objects.get(slug="first").save(),
    "module update": lambda q: Module.objects.filter(slug="first").update(title="New"),
    "lesson save": lambda q: Lesson.objects.get(slug="one").save(),
    "lesson update": lambda q: Lesson.objects.filter(slug="one").update(title="New"),
    "lesson create": lambda q: LessonFactory(module=Module.objects.get(slug="first")),
    "question save": lambda q: Question.objects.get(pk=q.pk).save(),
    "question update": lambda q: Question.objects.filter(pk=q.pk).update(text="New?"),
    "question create": lambda q: QuestionFactory(lesson=q.lesson),
    "choice save": lambda q: q.choices.first().save(),
    "choice update": lambda q: Choice.objects.filter(question=q).update(feedback="New"),
    "choice delete": lambda q: q.choices.last().delete(),
    "choice queryset delete": lambda q: Choice.objects.filter(text="Also wrong").delete(),
    "choice bulk create": lambda q: Choice.objects.bulk_create(
        [Choice(question=q, text="Another", feedback="Hm.")]
    ),
    "choice bulk update": lambda q: Choice.objects.bulk_update(
        [Choice(pk=q.choices.first().pk, text="Renamed")], ["text"]
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_kind_of_content_write_raises_the_version(question, write):
    before = version()
    write(question)
    assert version() > before


def test_a_stale_course_instance_never_lowers_the_version(course):
    stale = Course.objects.get(slug="circle")
    Lesson.objects.filter(slug="one").update(title="Edited")
    Lesson.objects.filter(slug="two").update(title="Edited again")
    current = version()
    stale.save()
    assert version() > current
    assert stale.content_version == version()


def test_after_a_restore_the_next_edit_uses_a_version_no_worker_has_seen(parent_client, course):
    """
    A database restored from a backup brings back an older, lower version. The workers still
    hold pages cached under the versions in between; the next edit must not reuse one of them
    for different words, or parents would see those pages until the workers restarted.
    """
    from django.db import models

    original = version()
    page(parent_client, lesson_url())
    Lesson.objects.filter(slug="one").update(title="Words after the backup")
    assert "Words after the backup" in page(parent_client, lesson_url())
    seen = version()
    # The restore: the backup's words and version, written as pg_restore does (no edit hook).
    models.QuerySet.update(Lesson.objects.filter(slug="one"), title="Lesson one")
    models.QuerySet.update(Course.objects.all(), content_version=original)
    assert "Lesson one" in page(parent_client, lesson_url())
    Lesson.objects.filter(slug="one").update(title="Words after the restore")
    assert version() > seen
    html = page(parent_client, lesson_url())
    assert "Words after the restore" in html
    assert "Words after the backup" not in html


def test_parents_own_records_do_not_touch_the_version(parent_client, question):
    before = version()
    page(parent_client, lesson_url())
    parent_client.post(
        reverse("courses:lesson-complete", args=["circle", "one"]), {"complete": "yes"}
    )
    assert version() == before


class TestPagesShowEditsAtOnce:
    """A page read once (the cache is warm), then the content edited, then the page again."""

    def test_question_text_edited_with_an_update(self, parent_client, question):
        assert question.text in page(parent_client, lesson_url())
        Question.objects.filter(pk=question.pk).update(text="What does a child need most?")
        assert "What does a child need most?" in page(parent_client, lesson_url())

    def test_choice_added_and_removed(self, parent_client, question):
        page(parent_client, lesson_url())
        ChoiceFactory(question=question, text="A fresh choice", feedback="Fine.")
        Choice.objects.filter(question=question, text="Also wrong").delete()
        html = page(parent_client, lesson_url())
        assert "A fresh choice" in html
        assert "Also wrong" not in html

    def test_lesson_unpublished_leaves_the_next_link_and_the_course_page(
        self, parent_client, course
    ):
        assert "Next: Lesson two" in page(parent_client, lesson_url())
        assert "Lesson two" in page(parent_client, reverse("courses:course", args=["circle"]))
        lesson_set_published(lessons=[Lesson.objects.get(slug="two")], published=False)
        assert "Next: Lesson three" in page(parent_client, lesson_url())
        assert "Lesson two" not in page(parent_client, reverse("courses:course", args=["circle"]))

    def test_lesson_renamed_in_the_next_link(self, parent_client, course):
        page(parent_client, lesson_url())
        Lesson.objects.filter(slug="two").update(title="Lesson two, renamed")
        assert "Next: Lesson two, renamed" in page(parent_client, lesson_url())

    def test_module_retitled_on_the_course_page(self, parent_client, course):
        url = reverse("courses:course", args=["circle"])
        page(parent_client, url)
        module = Module.objects.get(slug="first")
        module.title = "A new first module"
        module.save()
        assert "A new first module" in page(parent_client, url)


def test_the_cache_is_used(parent_client, course, django_assert_num_queries):
    url = reverse("courses:course", args=["circle"])
    page(parent_client, url)
    course = Course.objects.get(slug="circle")
    assert [lesson.slug for lesson in course_lessons(course)] == ["one", "two", "three"]
    with django_assert_num_queries(0):
        course_lessons(course)


def test_a_lesson_missing_from_a_list_read_mid_edit_is_shown_alone(parent_client, course):
    """The list was read just after the lesson was unpublished, the lesson just before."""
    course = Course.objects.get(slug="circle")
    others = [lesson for lesson in course_lessons(course) if lesson.slug != "one"]
    caches["content"].set(f"lessons:{course.pk}:{course.content_version}", others)
    html = page(parent_client, lesson_url())
    assert "Lesson 1 of 1" in html


@pytest.mark.parametrize("url_name", ["courses:dashboard", "courses:catalogue", "circle:home"])
def test_outlines_of_every_course_show_a_renamed_course(parent_client, course, url_name):
    url = reverse(url_name)
    page(parent_client, url)
    Course.objects.filter(slug="circle").update(title="The circle, renamed")
    html = page(parent_client, url)
    assert "The circle, renamed" in html


@pytest.mark.parametrize("extra_courses", [0, 4])
def test_a_cold_cache_reads_every_course_in_one_query(
    parent, course, extra_courses, django_assert_num_queries
):
    from courses.progress import build_outlines
    from tests.factories import CourseFactory, ModuleFactory

    for _ in range(extra_courses):
        LessonFactory(module=ModuleFactory(course=CourseFactory()))
    with django_assert_num_queries(3):  # the courses, their lessons, the parent's progress
        outlines = build_outlines(parent)
    assert len(outlines) == 1 + extra_courses
