"""
Knowledge checks: a lesson's questions with the parent's latest answer, and recording answers.
A parent can try again as often as they like; every try is kept, which is what lets a
facilitator see which question a group found hardest on the first try (courses/insights.py).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

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


def lesson_questions(*, user, lesson):
    """
    The lesson's questions for one parent, in one query: each choice comes with the id of the
    parent's latest attempt that picked it, and the highest of those is their current answer.
    """
    choices = (
        Choice.objects.filter(question__lesson=lesson)
        .select_related("question")
        # A subquery per choice on the (question, user, id) index reads only this parent's
        # answers; a filtered MAX over a join read every parent's answers to the lesson, which
        # grew with the site (50 ms at 100,000 parents, bench/README.md).
        .annotate(
            last_attempt_id=Subquery(
                QuestionAttempt.objects.filter(
                    question=OuterRef("question_id"), user=user, choice=OuterRef("pk")
                )
                .order_by("-id")
                .values("id")[:1]
            )
        )
        .order_by("question__position", "question_id", "position", "id")
    )
    states = {}
    for choice in choices:
        state = states.setdefault(choice.question_id, QuestionState(question=choice.question))
        state.choices.append(choice)
        if choice.last_attempt_id is not None and (
            state.last_choice is None or choice.last_attempt_id > state.last_choice.last_attempt_id
        ):
            state.last_choice = choice
    return list(states.values())


@transaction.atomic
def question_answer(*, user, question, choice):
    """
    Record the parent's answer. Sending the same answer again straight after (a double tap)
    adds nothing: their latest try already says it.
    """
    if choice.question_id != question.pk:
        raise ValidationError("That answer belongs to a different question.")
    # One answer at a time per parent, so two copies of the same request cannot both insert.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    latest = QuestionAttempt.objects.filter(user=user, question=question).order_by("-id").first()
    if latest is not None and latest.choice_id == choice.pk:
        return latest
    return QuestionAttempt.objects.create(
        user=user, question=question, choice=choice, is_correct=choice.is_correct
    )
