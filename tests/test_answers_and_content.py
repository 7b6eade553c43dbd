"""Reloading course content never deletes a parent's answers (PROTECT), and says why clearly."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from courses.checks import question_answer
from courses.loader import course_load
from courses.models import Choice, Lesson, QuestionAttempt
from tests.conftest import copy_english_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEED = settings.BASE_DIR / "courses" / "content" / "circle-of-security"
LESSON_FILE = "01-welcome/01-what-is-the-circle.md"
LAST_CHOICE = (
    "      - text: A test that shows whether you are a good or bad parent.\n"
    "        correct: false\n"
    "        feedback: That is a very common worry, but the circle is not a score. It is a gentle"
    " guide to help you understand your child.\n"
)


def test_removing_an_answered_choice_stops_the_load_with_a_clear_message(tmp_path):
    folder = copy_english_course(SEED, tmp_path / "course")
    course_load(path=folder)
    lesson = Lesson.objects.get(slug="what-is-the-circle")
    question = lesson.questions.order_by("position").first()
    answered = question.choices.order_by("position").last()
    question_answer(user=UserFactory(), question=question, choice=answered)

    lesson_file = folder / LESSON_FILE
    text = lesson_file.read_text()
    assert LAST_CHOICE in text
    lesson_file.write_text(text.replace(LAST_CHOICE, ""))
    with pytest.raises(ValidationError, match="has parents' answers, so it cannot be removed"):
        course_load(path=folder)
    assert Choice.objects.filter(pk=answered.pk).exists()
    assert QuestionAttempt.objects.filter(choice=answered).count() == 1


def test_removing_an_unanswered_choice_still_works(tmp_path):
    folder = copy_english_course(SEED, tmp_path / "course")
    course_load(path=folder)
    lesson_file = folder / LESSON_FILE
    lesson_file.write_text(lesson_file.read_text().replace(LAST_CHOICE, ""))
    course_load(path=folder)
    question = Lesson.objects.get(slug="what-is-the-circle").questions.order_by("position")[0]
    assert question.choices.count() == 2
