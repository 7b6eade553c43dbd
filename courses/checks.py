"""
Knowledge checks: a lesson's questions with the parent's latest answer, and recording answers.
A parent can try again as often as they like; every try is kept, which is what lets a
facilitator see which question a group found hardest on the first try (courses/insights.py).
"""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from circle.compiled import CompiledRead
from courses.content_cache import lesson_choices
from courses.models import Choice, QuestionAttempt


@dataclass
class QuestionState:
    """A question, its choices in order, and the choice the parent picked last (if any)."""

    question: object
    choices: list = field(default_factory=list)
    last_choice: Choice | None = None

    @property
    def answered(self):
        return self.last_choice is not None

    @property
    def order_key(self):
        """The choices in this parent's order, for the question card's fragment key."""
        return tuple(choice.pk for choice in self.choices)


def choice_order_key(*, user_id, question_id, choice_id):
    """
    Where a choice goes for one parent: a hash of (parent, question, choice). The same parent
    always sees the same order (no stored state, whichever worker answers), parents mostly see
    different orders, and adding a choice leaves the others in the order they had.
    """
    return hashlib.sha256(f"{user_id}:{question_id}:{choice_id}".encode()).digest()


def choices_for_parent(*, user, question, choices):
    """The question's choices in this parent's own shuffled order (see choice_order_key)."""
    return sorted(
        choices,
        key=lambda choice: choice_order_key(
            user_id=user.pk, question_id=question.pk, choice_id=choice.pk
        ),
    )


def _last_answers_query(p):
    latest = (
        QuestionAttempt.objects.filter(user=p.user, question__lesson=p.lesson)
        .values("question_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    return QuestionAttempt.objects.filter(pk__in=latest).values_list("question_id", "choice_id")


# The parent's last answer to each question of a lesson, on every lesson page: compiled once
# (circle/compiled.py).
_LAST_ANSWERS = CompiledRead(_last_answers_query, user=int, lesson=int)


def lesson_questions(*, user, lesson):
    """
    The lesson's questions for one parent, each with the choice they picked last and its choices
    in the parent's own order (choices_for_parent: where the right answer sits gives nothing
    away). The questions and choices come from the content cache (courses/content_cache.py);
    the parent's latest answer to each is one query that reads only their own answers (by
    user_id; EXPLAIN at 100,000 parents: 0.1 ms, bench/results/explain-lesson-x10.txt).
    """
    questions = lesson_choices(lesson)
    if not questions:
        return []
    picked = dict(_LAST_ANSWERS(user=user.pk, lesson=lesson.pk))
    states = []
    for question, choices in questions:
        state = QuestionState(
            question=question,
            choices=choices_for_parent(user=user, question=question, choices=choices),
        )
        chosen = picked.get(question.pk)
        state.last_choice = next((c for c in choices if c.pk == chosen), None)
        states.append(state)
    return states


@transaction.atomic
def question_answer(*, user, question, choice):
    """
    Record the parent's answer. Sending the same answer again straight after (a double tap)
    adds nothing: their latest try already says it.
    """
    if choice.question_id != question.pk:
        raise ValidationError(_("That answer belongs to a different question."))
    # One answer at a time per parent, so two copies of the same request cannot both insert.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    latest = QuestionAttempt.objects.filter(user=user, question=question).order_by("-id").first()
    if latest is not None and latest.choice_id == choice.pk:
        return latest
    return QuestionAttempt.objects.create(
        user=user, question=question, choice=choice, is_correct=choice.is_correct
    )
