"""A parent's first evening: sign up, verify, log in, read, mark done, move on."""

import re

import pytest
from django.core import mail

from courses.loader import CONTENT_DIR, course_load
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def real_course():
    course_load(path=CONTENT_DIR / "circle-of-security")


def test_a_parent_signs_up_verifies_reads_and_continues(visit, real_course):
    parent = visit()
    page = parent.page
    parent.goto("/")
    page.get_by_role("link", name="Sign up, it's free").click()
    parent.check()
    page.get_by_label(re.compile(r"^\s*Email")).fill("new.parent@example.com")
    page.get_by_label("Your first name (optional)").fill("Jo")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    parent.check()

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    parent.check()
    page.get_by_role("button", name="Confirm").click()
    parent.check()
    assert page.get_by_role("heading", name="Hello, Jo").is_visible()

    page.get_by_role("link", name="Start the first lesson").click()
    parent.check()
    assert page.get_by_role("heading", name="What is the circle?", level=1).is_visible()
    page.get_by_role("button", name="Mark this lesson as done").click()
    parent.check()
    assert page.get_by_text("Lesson marked as done").is_visible()

    parent.goto("/courses/circle-of-security/")
    assert page.get_by_text("1 of 12 lessons done").first.is_visible()
    page.get_by_role("link", name=re.compile("^Continue:")).click()
    parent.check()
    assert "going-out-to-explore" in page.url
    parent.assert_clean()
