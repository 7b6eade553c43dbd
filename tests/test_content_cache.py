"""
Each worker keeps a course's lesson list in memory, keyed by the course's version: an edit
anywhere in the course (save, delete, the admin's bulk actions) shows on the next page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Lesson, Module
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db


def lesson_page(client, slug):
    return client.get(reverse("courses:lesson", args=["circle", slug])).content.decode()


def test_a_warm_lesson_page_reads_the_lesson_list_from_memory(parent_client, course):
    lesson_page(parent_client, "one")
    with CaptureQueriesContext(connection) as captured:
        html = lesson_page(parent_client, "two")
    lesson_queries = [q["sql"] for q in captured if 'FROM "courses_lesson"' in q["sql"]]
    assert len(lesson_queries) == 1  # the lesson itself; the list came from the cache
    assert "Lesson 2 of 3" in html and "Next: Lesson three" in html


def test_renaming_a_lesson_shows_in_its_neighbours_links(parent_client, course):
    assert "Next: Lesson two" in lesson_page(parent_client, "one")
    two = Lesson.objects.get(slug="two")
    two.title = "A kinder title"
    two.save()
    assert "Next: A kinder title" in lesson_page(parent_client, "one")


def test_a_new_lesson_counts_at_once(parent_client, course):
    assert "Lesson 1 of 3" in lesson_page(parent_client, "one")
    LessonFactory(module=Module.objects.get(slug="second"), slug="four", position=9)
    assert "Lesson 1 of 4" in lesson_page(parent_client, "one")


def test_unpublishing_a_module_drops_its_lessons_from_the_count(parent_client, course):
    assert "Lesson 1 of 3" in lesson_page(parent_client, "one")
    second = Module.objects.get(slug="second")
    second.is_published = False
    second.save()
    html = lesson_page(parent_client, "two")
    assert "Lesson 2 of 2" in html and "Back to the course" in html


def test_deleting_a_lesson_drops_it_from_the_count(parent_client, course):
    assert "Lesson 1 of 3" in lesson_page(parent_client, "one")
    Lesson.objects.get(slug="three").delete()  # no progress on it, so it may go
    assert "Lesson 1 of 2" in lesson_page(parent_client, "one")


@pytest.mark.parametrize(("action", "count"), [("unpublish", 2), ("publish", 4)])
def test_the_admins_bulk_actions_reach_the_cache(
    staff_client, parent_client, course, action, count
):
    assert "Lesson 1 of 3" in lesson_page(parent_client, "one")
    target = Lesson.objects.get(slug="three" if action == "unpublish" else "hidden")
    staff_client.post(
        reverse("admin:courses_lesson_changelist"),
        {"action": action, "_selected_action": [target.pk]},
    )
    assert f"Lesson 1 of {count}" in lesson_page(parent_client, "one")
