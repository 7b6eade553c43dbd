"""
A module's printable handout: its lessons' key points, practice and reflection prompts, for
signed-in parents, refused for a locked module by the same rule as its lessons.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from courses.access import ModuleLocked, get_module_for_parent
from courses.models import Course, Lesson, Module
from tests.factories import AssignmentFactory, MembershipFactory, ParentGroupFactory

pytestmark = pytest.mark.django_db


def handout_url(module="first", course="circle"):
    return reverse("courses:module-handout", args=[course, module])


@pytest.fixture
def locked(course, parent):
    """The parent's group opens the first module next week."""
    group = ParentGroupFactory(course=course)
    MembershipFactory(group=group, user=parent)
    opens_on = timezone.localdate() + timedelta(days=7)
    AssignmentFactory(group=group, module=Module.objects.get(slug="first"), opens_on=opens_on)
    return opens_on


def test_the_handout_holds_each_lesson_s_key_points_practice_and_prompt(parent_client, course):
    Lesson.objects.filter(slug="two").update(
        key_points="Stay close\nName the feeling",
        practice="Sit with your child for a minute.",
        reflection_prompt="What was hard about it?",
    )
    response = parent_client.get(handout_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Lesson one") < html.index("Lesson two")
    assert "<li>Stay close</li><li>Name the feeling</li>" in html
    assert "Sit with your child for a minute." in html
    assert "What was hard about it?" in html
    assert "Lesson three" not in html  # another module
    assert "data-print hidden>Print this handout</button>" in html
    assert "use your browser's Print command" in html
    assert '<script src="/static/js/print-button.js"' in html


def test_the_handout_leaves_out_unpublished_lessons(parent_client, course):
    html = parent_client.get(handout_url("second")).content.decode()
    assert "Lesson three" in html and "Draft lesson" not in html


def test_a_locked_module_s_handout_is_refused_kindly(parent_client, course, locked):
    response = parent_client.get(handout_url())
    assert response.status_code == 403
    html = response.content.decode()
    assert "This module opens on" in html
    assert "First module" in html
    # The other module is not planned for the group, so it is open as usual.
    assert parent_client.get(handout_url("second")).status_code == 200


def test_the_lock_rule_is_the_lessons_rule(parent, parent_client, course, locked):
    with pytest.raises(ModuleLocked) as refused:
        get_module_for_parent(parent, "circle", "first")
    assert refused.value.opens_on == locked
    assert parent_client.get(reverse("courses:lesson", args=["circle", "one"])).status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        lambda: Module.objects.filter(slug="first").update(is_published=False),
        lambda: Course.objects.update(is_published=False),
    ],
    ids=["unpublished module", "unpublished course"],
)
def test_a_hidden_module_has_no_handout(parent_client, course, change):
    change()
    assert parent_client.get(handout_url()).status_code == 404


def test_unknown_modules_and_other_courses_modules_are_not_found(parent_client, course):
    assert parent_client.get(handout_url("nope")).status_code == 404
    assert parent_client.get(handout_url("first", course="other")).status_code == 404


def test_visitors_are_sent_to_log_in(client, course):
    response = client.get(handout_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_course_page_and_each_lesson_link_to_the_handout(parent_client, course, client):
    course_page = parent_client.get(reverse("courses:course", args=["circle"])).content.decode()
    assert f'href="{handout_url("first")}"' in course_page
    assert f'href="{handout_url("second")}"' in course_page
    lesson = parent_client.get(reverse("courses:lesson", args=["circle", "three"]))
    assert f'href="{handout_url("second")}"' in lesson.content.decode()
    # Visitors cannot open handouts, so the course page offers them none.
    visitor_page = client.get(reverse("courses:course", args=["circle"])).content.decode()
    assert handout_url("first") not in visitor_page


def test_a_locked_module_offers_no_handout_on_the_course_page(parent_client, course, locked):
    html = parent_client.get(reverse("courses:course", args=["circle"])).content.decode()
    assert handout_url("first") not in html
    assert handout_url("second") in html


def test_the_print_rules_leave_out_navigation_forms_and_footer():
    bundle = Path(finders.find("css/circle.css")).read_text(encoding="utf-8")
    rules = bundle[bundle.index("/* The module handout") :]
    assert "@media print" in rules
    assert "body:has(.handout) :is(.navbar, nav, .site-footer, .skip-link, .messages, form" in rules


def test_the_handout_costs_a_fixed_few_queries(
    parent_client, course, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):  # session, user, module, groups, lessons
        assert parent_client.get(handout_url()).status_code == 200
