"""The circle diagram filled with a parent's own progress, and its text alternative."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Lesson
from courses.progress import circle_map, course_outline
from tests.factories import LessonFactory, LessonProgressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle_course(course):
    """The course's lessons spread over the circle: two exploration, one safe haven, hands,
    and one lesson on a principle."""
    Lesson.objects.filter(slug="one").update(circle_place="exploration")
    Lesson.objects.filter(slug="two").update(circle_place="exploration")
    Lesson.objects.filter(slug="three").update(circle_place="safe_haven")
    second = Lesson.objects.get(slug="three").module
    LessonFactory(module=second, slug="hands", circle_place="hands", position=5)
    LessonFactory(
        module=second,
        slug="repair",
        circle_place="whole",
        principle="repairing_relationship",
        position=6,
    )
    return course


def finish(user, slug):
    now = timezone.now()
    LessonProgressFactory(
        user=user, lesson=Lesson.objects.get(slug=slug), started_at=now, completed_at=now
    )


def test_map_counts_lessons_done_on_each_half_the_hands_and_each_principle(
    parent, circle_course, django_assert_num_queries
):
    finish(parent, "one")
    finish(parent, "repair")
    outline = course_outline(parent, circle_course)
    with django_assert_num_queries(0):
        mapped = circle_map(outline)
        numbers = {part.key: (part.done, part.total) for part in mapped.parts}
        links = {part.key: part.link for part in mapped.parts}
    assert numbers["exploration"] == (1, 2)
    assert numbers["safe_haven"] == (0, 1)
    assert numbers["hands"] == (0, 1)
    assert numbers["repairing_relationship"] == (1, 1)
    assert numbers["human_limitations"] == (0, 0)
    assert len(mapped.principles) == 5
    assert mapped.exploration.percent == 50
    # Each part links to the next lesson to read about it.
    assert links["exploration"].endswith("/circle/two/")
    assert links["repairing_relationship"].endswith("/circle/repair/")
    assert links["human_limitations"] == ""


def test_parent_sees_the_filled_map_and_the_same_numbers_in_words(
    parent_client, parent, circle_course
):
    finish(parent, "one")
    html = parent_client.get(reverse("courses:course", args=["circle"])).content.decode()
    assert "Your progress on the circle" in html
    assert 'stroke-dasharray="50 100"' in html  # exploration half, half filled
    assert "Exploration</span>: 1 of 2 lessons done" in html
    assert "Safe Haven</span>: 0 of 1 lesson done" in html
    assert "The hands</span>: 0 of 1 lesson done" in html
    assert "Repairing the relationship</span>: 0 of 1 lesson done" in html
    assert "Human limitations</span>: no lessons yet" in html
    assert "Exploration: 1 of 2 lessons done" in html  # in the SVG's <desc> as well
    assert reverse("courses:lesson", args=["circle", "hands"]) in html


@pytest.mark.parametrize("url_name", ["circle:home", "courses:dashboard"])
def test_the_map_is_on_the_home_page_and_dashboard_too(
    parent_client, parent, circle_course, url_name
):
    finish(parent, "three")
    html = parent_client.get(reverse(url_name)).content.decode()
    assert "Safe Haven</span>: 1 of 1 lesson done" in html


def test_visitors_see_the_plain_diagram(client, circle_course):
    html = client.get(reverse("circle:home")).content.decode()
    assert "The Circle of Security" in html
    assert "Your progress on the circle" not in html
    assert "stroke-dasharray" not in html
    assert reverse("courses:lesson", args=["circle", "one"]) not in html


def test_the_diagram_is_csp_clean(parent_client, parent, circle_course):
    finish(parent, "one")
    for url in (reverse("circle:home"), reverse("courses:dashboard")):
        html = parent_client.get(url).content.decode()
        assert not re.search(r"\sstyle=", html)
        assert "<style" not in html


def test_another_parents_progress_is_not_drawn(client, parent, second_parent, circle_course):
    finish(parent, "one")
    client.force_login(second_parent)
    html = client.get(reverse("courses:course", args=["circle"])).content.decode()
    assert "Exploration</span>: 0 of 2 lessons done" in html


@pytest.mark.parametrize("url_name", ["circle:home", "courses:dashboard"])
def test_pages_with_the_map_stay_within_budget_as_lessons_grow(
    parent_client, parent, circle_course, url_name, django_assert_max_num_queries
):
    finish(parent, "one")
    with django_assert_max_num_queries(8):
        parent_client.get(reverse(url_name))
    module = Lesson.objects.get(slug="one").module
    for index in range(20):
        lesson = LessonFactory(module=module, slug=f"more-{index}", principle="human_limitations")
        finish(parent, lesson.slug)
    with django_assert_max_num_queries(8):
        html = parent_client.get(reverse(url_name)).content.decode()
    assert "Human limitations</span>: 20 of 20 lessons done" in html


def test_course_page_with_the_map_and_certificate_stays_within_budget(
    parent_client, parent, circle_course, django_assert_max_num_queries
):
    finish(parent, "one")
    with django_assert_max_num_queries(8):
        parent_client.get(reverse("courses:course", args=["circle"]))
