"""
Knowledge-check choices in an order of each parent's own: the same parent always sees the same
order, parents see different ones, and across many parents the right answer sits in every place
about as often.
"""

import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.urls import reverse

from courses.checks import choices_for_parent, lesson_questions
from courses.models import Lesson
from tests.conftest import logged_in
from tests.factories import ChoiceFactory, QuestionFactory, UserFactory, add_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(course):
    question = QuestionFactory(lesson=Lesson.objects.get(slug="one"))
    for text in ["Right", "Wrong one", "Wrong two", "Wrong three"]:
        ChoiceFactory(question=question, text=text, is_correct=text == "Right")
    return question


def order_for(user, question):
    lesson = Lesson.objects.select_related("module__course").get(pk=question.lesson_id)
    state = next(s for s in lesson_questions(user=user, lesson=lesson) if s.question == question)
    return [choice.text for choice in state.choices]


def page_order(user, question):
    html = logged_in(user).get(reverse("courses:lesson", args=["circle", "one"]))
    form = re.search(
        rf'<form id="question-{question.pk}".*?</form>', html.content.decode(), re.DOTALL
    )
    return re.findall(r'<label class="form-check-label" for="choice-\d+">([^<]+)</label>', form[0])


def test_a_parent_sees_the_same_order_every_time_and_on_every_worker(parent, question):
    first = order_for(parent, question)
    caches["content"].clear()  # another worker, or after a restart: nothing is stored
    assert order_for(parent, question) == first
    assert page_order(parent, question) == first
    assert page_order(parent, question) == first
    assert sorted(first) == ["Right", "Wrong one", "Wrong three", "Wrong two"]


def test_parents_see_different_orders(question):
    parents = [UserFactory() for _ in range(12)]
    orders = {tuple(order_for(parent, question)) for parent in parents}
    assert len(orders) > 3


def test_each_parents_page_shows_their_own_order(question):
    """The question card is a shared fragment (circle/fragments.py): never one parent's order."""
    parents = [UserFactory() for _ in range(12)]
    on_pages = [tuple(page_order(parent, question)) for parent in parents]
    assert on_pages == [tuple(order_for(parent, question)) for parent in parents]
    assert len(set(on_pages)) > 3


def test_over_many_parents_the_right_answer_takes_every_place_about_as_often(question):
    choices = list(question.choices.all())
    places = Counter(
        next(
            place
            for place, choice in enumerate(
                choices_for_parent(user=SimpleNamespace(pk=pk), question=question, choices=choices)
            )
            if choice.is_correct
        )
        for pk in range(1, 2001)
    )
    assert set(places) == {0, 1, 2, 3}
    for place, count in places.items():
        assert 400 <= count <= 600, (place, places)  # 500 each if perfectly even


def test_each_question_is_shuffled_on_its_own(parent, course):
    questions = add_questions(Lesson.objects.get(slug="one"), 12)
    right_places = {order_for(parent, question).index("Right") for question in questions}
    assert len(right_places) > 1


def test_a_new_choice_leaves_the_others_in_their_order(parent, question):
    before = order_for(parent, question)
    ChoiceFactory(question=question, text="Wrong four")
    after = [text for text in order_for(parent, question) if text != "Wrong four"]
    assert after == before


def test_the_answer_recorded_is_the_choice_picked_whatever_its_place(parent, question):
    client = logged_in(parent)
    right = question.choices.get(is_correct=True)
    url = reverse("courses:question-answer", args=["circle", "one", question.pk])
    client.post(url, {"choice": right.pk})
    html = client.get(reverse("courses:lesson", args=["circle", "one"])).content.decode()
    assert "That's right." in html
    assert parent.question_attempts.get().choice == right
