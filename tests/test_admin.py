"""Admins edit content in the Django admin; parents never get in."""

import pytest
from django.urls import reverse

from courses.models import Lesson
from tests.conftest import logged_in
from tests.factories import lesson_change_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "admin:courses_course_changelist",
        "admin:courses_module_changelist",
        "admin:courses_lesson_changelist",
        "admin:courses_lessonprogress_changelist",
        "admin:accounts_user_changelist",
    ],
)
def test_staff_open_every_admin_list(staff_client, course, name):
    assert staff_client.get(reverse(name)).status_code == 200


def test_the_admin_index_tells_parent_groups_from_staff_permission_groups(staff_client):
    """Django's own "Groups" (staff permissions) sit beside the groups parents join."""
    html = staff_client.get(reverse("admin:index")).content.decode()
    changelist = reverse("admin:accounts_parentgroup_changelist")
    assert f'<a href="{changelist}">Parent groups</a>' in html
    assert html.count(">Groups</a>") == 1  # django.contrib.auth's, for staff permissions


def test_parents_are_kept_out_of_the_admin(parent_client, course):
    response = parent_client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    lesson = Lesson.objects.get(slug="one")
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    assert parent_client.get(url, follow=True).status_code == 403


def test_course_page_shows_its_modules_in_order(staff_client, course):
    html = staff_client.get(reverse("admin:courses_course_change", args=[course.pk])).content
    html = html.decode()
    assert html.index("First module") < html.index("Second module")


def test_module_page_shows_its_lessons_inline(staff_client, course):
    module = Lesson.objects.get(slug="one").module
    html = staff_client.get(reverse("admin:courses_module_change", args=[module.pk])).content
    assert b"Lesson one" in html and b"Lesson two" in html


def test_lesson_list_counts_parents_who_started_and_completed(staff_client, course, parent):
    logged_in(parent).post(
        reverse("courses:lesson-complete", args=["circle", "one"]), {"complete": "yes"}
    )
    response = staff_client.get(reverse("admin:courses_lesson_changelist"))
    lesson = next(row for row in response.context["cl"].result_list if row.slug == "one")
    assert (lesson.started_count, lesson.completed_count) == (1, 1)


def test_an_edit_in_the_admin_shows_on_the_site_at_once(staff_client, parent_client, course):
    lesson = Lesson.objects.get(slug="one")
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    data = lesson_change_data(lesson, body="## Fresh words\n\nNew text for parents.")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    html = parent_client.get(lesson.get_absolute_url()).content.decode()
    assert "<h2>Fresh words</h2>" in html


def test_unpublishing_in_the_admin_hides_the_lesson_from_parents(
    staff_client, parent_client, course
):
    lesson = Lesson.objects.get(slug="one")
    staff_client.post(
        reverse("admin:courses_lesson_changelist"),
        {"action": "unpublish", "_selected_action": [lesson.pk]},
    )
    assert parent_client.get(lesson.get_absolute_url()).status_code == 404
    course_html = parent_client.get(reverse("courses:course", args=["circle"])).content
    assert b"Lesson one" not in course_html
