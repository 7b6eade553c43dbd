"""
Where a parent lands after a lesson, and no dead ends around locked modules (issue 11, items
11 and 12): "well done" and the finish (with the certificate link) sit in "Your progress",
where marking a lesson done lands; "Next" to a lesson the group opens later says when; parts of
the circle with no open lesson are plain pictures, never links to "#".
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Lesson, Module
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def lesson_url(slug):
    return reverse("courses:lesson", args=["circle", slug])


def complete(browser, slug):
    response = browser.post(
        reverse("courses:lesson-complete", args=["circle", slug]), {"complete": "yes"}
    )
    assert response.status_code == 302
    assert response["Location"] == lesson_url(slug) + "#progress"
    return browser.get(lesson_url(slug)).content.decode()


def progress_box(html):
    return re.search(r'<section id="progress".*?</section>', html, re.S).group(0)


def top_messages(html):
    found = re.search(r'<div class="messages".*?</div>\s*</div>', html, re.S)
    return found.group(0) if found else ""


class TestWhereTheParentLands:
    def test_well_done_is_in_the_progress_box_not_at_the_top(self, parent_client, course):
        html = complete(parent_client, "one")
        assert "Well done for making the time." in progress_box(html)
        assert "Well done" not in top_messages(html)
        assert html.count("Well done for making the time.") == 1

    def test_the_finish_is_in_the_progress_box_with_the_certificate_link(
        self, parent_client, course
    ):
        complete(parent_client, "one")
        complete(parent_client, "two")
        html = complete(parent_client, "three")
        box = progress_box(html)
        assert "You have finished every lesson" in box
        assert "Your certificate is ready." in box
        assert f'href="{reverse("courses:certificate", args=["circle"])}"' in box
        assert "See my certificate" in box
        assert "finished every lesson" not in top_messages(html)

    def test_the_words_are_said_once(self, parent_client, course):
        complete(parent_client, "one")
        again = parent_client.get(lesson_url("one")).content.decode()
        assert "Well done" not in again

    def test_other_messages_still_show_at_the_top(self, parent_client, course):
        parent_client.post(
            reverse("courses:reflection-save", args=["circle", "one"]), {"text": "Hi"}
        )
        html = parent_client.get(lesson_url("one")).content.decode()
        assert "Your reflection is saved." in top_messages(html)


@pytest.fixture
def second_module_next_week(course, group):
    """The parent's group opens the second module (lesson three) in a week."""
    opens_on = timezone.localdate() + timedelta(days=7)
    AssignmentFactory(group=group, module=Module.objects.get(slug="first"))
    AssignmentFactory(group=group, module=Module.objects.get(slug="second"), opens_on=opens_on)
    return opens_on


class TestLockedNext:
    def test_next_to_a_locked_lesson_says_when_it_opens_instead_of_linking(
        self, parent_client, second_module_next_week
    ):
        html = parent_client.get(lesson_url("two")).content.decode()
        nav = re.search(r'<nav class="lesson-nav.*?</nav>', html, re.S).group(0)
        assert lesson_url("three") not in nav
        assert "Next: Lesson three. Your group opens it on" in nav
        assert 'rel="next"' not in nav

    def test_next_to_an_open_lesson_is_a_link(self, parent_client, second_module_next_week):
        html = parent_client.get(lesson_url("one")).content.decode()
        assert f'href="{lesson_url("two")}" rel="next"' in html

    def test_without_a_group_next_is_a_link_as_before(self, parent_client, course):
        html = parent_client.get(lesson_url("two")).content.decode()
        assert f'href="{lesson_url("three")}" rel="next"' in html


class TestCircleWithoutDeadLinks:
    def test_locked_and_empty_parts_of_the_circle_are_not_links(
        self, parent_client, second_module_next_week
    ):
        # Lesson three is the only Safe Haven lesson, and its module is locked.
        Lesson.objects.filter(slug="three").update(circle_place="safe_haven")
        html = parent_client.get(reverse("courses:dashboard")).content.decode()
        svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
        assert 'href="#"' not in html
        assert 'class="circle-part-locked"' in svg
        safe_haven = re.search(
            r'<g role="img" class="circle-part-locked" aria-label="Safe Haven', svg
        )
        assert safe_haven
        assert 'href="/courses/circle/one/"' in svg  # Exploration still leads somewhere

    def test_a_visitor_sees_no_links_to_nowhere_either(self, client, course):
        html = client.get(reverse("courses:course", args=["circle"])).content.decode()
        assert 'href="#"' not in html
