"""The parent journey on a small phone (360 x 740), using only the keyboard."""

import pytest

from courses.models import LessonProgress
from tests.e2e.keyboard import activate, fill
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_parent_reads_and_completes_a_lesson_with_only_the_keyboard(visit, real_course):
    parent_user = UserFactory(email="keys@example.com", display_name="Kai")
    parent = visit(width=360, height=740)
    page = parent.page
    parent.goto("/accounts/login/")

    fill(page, r"^Email", "keys@example.com")
    fill(page, r"^Password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parent.check()
    assert page.get_by_role("heading", name="Hello, Kai").is_visible()

    activate(page, r"^Start the first lesson$")
    parent.check()
    assert page.get_by_role("heading", name="What is the circle?", level=1).is_visible()
    # The page is readable at 360 px: nothing forces sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    activate(page, r"^Mark this lesson as done$")
    parent.check()
    assert LessonProgress.objects.get(user=parent_user).completed_at is not None

    activate(page, r"^Next: ")
    parent.check()
    assert "going-out-to-explore" in page.url
    parent.assert_clean()
