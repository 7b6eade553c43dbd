"""
Journey 1: a parent's first evening. Sign up, verify from the sent email, log in, open the
course, read a lesson, answer its knowledge check, write a reflection, mark it done, see the
progress bar and the circle map move, and continue to the next lesson.
"""

import re

import pytest
from django.core import mail

from courses.models import Reflection
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_parent_signs_up_verifies_learns_and_continues(visit, real_course):
    parent = visit()
    page = parent.page
    parent.goto("/")
    page.get_by_role("link", name="Sign up, it's free").click()
    parent.check()
    page.get_by_label(re.compile(r"^\s*Email")).fill("new.parent@example.com")
    page.get_by_label("Your first name (optional)").fill("Jo")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*The same password again")).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    parent.check()

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    parent.check()
    page.get_by_role("button", name="Confirm").click()
    parent.check()
    assert page.get_by_role("heading", name="Hello, Jo").is_visible()

    parent.goto("/courses/circle-of-security/")
    circle_text = page.locator(".circle-map-text").inner_text()
    page.get_by_role("link", name=re.compile("^Start:")).click()
    parent.check()
    assert page.get_by_role("heading", name="What is the circle?", level=1).is_visible()

    # The knowledge check: pick an answer, see its feedback, try again if it was not right.
    first_question = page.locator("form.question-card").first
    first_question.get_by_role("radio").first.check()
    first_question.get_by_role("button", name="Check my answer").click()
    parent.check()
    feedback = page.locator("form.question-card").first.locator(".answer-feedback")
    assert re.search(r"That's right|Not quite", feedback.inner_text())

    # A reflection, private by default.
    page.get_by_label("Your reflection").fill("I noticed how often she looks back at me.")
    page.get_by_role("button", name="Save my reflection").click()
    parent.check()
    assert page.get_by_text("Only you can see it.").is_visible()
    reflection = Reflection.objects.get()
    assert reflection.text.startswith("I noticed") and not reflection.shared

    page.get_by_role("button", name="Mark this lesson as done").click()
    parent.check()
    assert page.get_by_text("Lesson marked as done").is_visible()

    parent.goto("/courses/circle-of-security/")
    assert page.get_by_text("1 of 17 lessons done").first.is_visible()
    page.get_by_role("link", name=re.compile("^Continue:")).click()
    parent.check()
    assert "going-out-to-explore" in page.url

    # The second lesson is about Exploration: finishing it fills that half of the circle.
    page.get_by_role("button", name="Mark this lesson as done").click()
    parent.check()
    parent.goto("/courses/circle-of-security/")
    assert page.get_by_text("2 of 17 lessons done").first.is_visible()
    assert "Exploration: 0 of 2" in circle_text
    assert "Exploration: 1 of 2" in page.locator(".circle-map-text").inner_text()
    page.get_by_role("link", name=re.compile("^Continue:")).click()
    parent.check()
    assert "support-my-exploration" in page.url
    parent.assert_clean()
