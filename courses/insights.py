"""
What a facilitator's group report may say about a group's learning, and nothing more:

- reflections: per lesson, how many of the group's parents reflected and how many of those
  reflections were shared (counts; never the text of a private reflection), and, for one
  lesson at a time, the reflections parents chose to share;
- knowledge checks: per question, how the group did on the first try, and which question most
  parents missed, per lesson. No per-parent grades.

The report passes the lessons it covers and the ids of the group's parents (a list, or a
queryset of ids, which runs as a subquery). Each function runs a fixed number of queries,
whatever the number of lessons, parents or answers.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import ngettext

from courses.models import Question, QuestionAttempt, Reflection


def _lesson_ids(lessons):
    return [getattr(lesson, "pk", lesson) for lesson in lessons]


@dataclass
class ReflectionCount:
    lesson_id: int
    reflected: int
    parents: int
    shared: int = 0  # how many of those reflections their writers shared with facilitators

    @property
    def label(self):
        return ngettext(
            "%(reflected)d of %(parents)d parent reflected on this lesson",
            "%(reflected)d of %(parents)d parents reflected on this lesson",
            self.parents,
        ) % {"reflected": self.reflected, "parents": self.parents}


def reflection_summary(*, lessons, user_ids, parents=None):
    """
    {lesson id: ReflectionCount} for every lesson given: how many of the parents reflected,
    and how many of them shared their reflection. One query. `parents` is how many parents
    user_ids names; give it when user_ids is a subquery.
    """
    lesson_ids = _lesson_ids(lessons)
    if parents is None:
        user_ids = list(user_ids)
        parents = len(user_ids)
    counts = {
        lesson_id: (reflected, shared)
        for lesson_id, reflected, shared in Reflection.objects.filter(
            lesson_id__in=lesson_ids, user_id__in=user_ids
        )
        .values("lesson_id")
        .annotate(
            reflected=Count("user_id", distinct=True),
            shared=Count("id", filter=Q(shared=True)),
        )
        .values_list("lesson_id", "reflected", "shared")
    }
    return {
        lesson_id: ReflectionCount(
            lesson_id=lesson_id,
            reflected=counts.get(lesson_id, (0, 0))[0],
            parents=parents,
            shared=counts.get(lesson_id, (0, 0))[1],
        )
        for lesson_id in lesson_ids
    }


def shared_reflections(*, lesson, user_ids):
    """
    The reflections on one lesson that their writers shared, newest first, with the writer's
    name loaded: a lazy queryset, so a page of it is one query. Private reflections never
    leave the database. A group's shared words are read one lesson at a time (a 500-parent
    group shares about 800): listing them all made the report slow and long.
    """
    return (
        Reflection.objects.shared()
        .filter(lesson_id=getattr(lesson, "pk", lesson), user_id__in=user_ids)
        .select_related("user")
        .only("text", "created_at", "updated_at", "user__display_name", "user__email")
        .order_by("-created_at", "-id")
    )


@dataclass
class QuestionStats:
    question: object
    attempts: int = 0
    parents: int = 0
    first_try_correct: int = 0

    @property
    def first_try_missed(self):
        return self.parents - self.first_try_correct

    @property
    def first_try_percent(self):
        """Share of the parents who answered that got it right on their first try."""
        return round(100 * self.first_try_correct / self.parents) if self.parents else None


@dataclass
class LessonQuestionSummary:
    lesson_id: int
    questions: list = field(default_factory=list)

    @property
    def attempts(self):
        return sum(stats.attempts for stats in self.questions)

    @property
    def first_tries(self):
        """One first try per parent per question they answered."""
        return sum(stats.parents for stats in self.questions)

    @property
    def first_try_correct(self):
        return sum(stats.first_try_correct for stats in self.questions)

    @property
    def most_missed(self):
        """The question most parents got wrong on the first try (None if nobody missed one)."""
        missed = [stats for stats in self.questions if stats.first_try_missed > 0]
        return max(missed, key=lambda stats: stats.first_try_missed, default=None)


def question_summary(*, lessons, user_ids):
    """{lesson id: LessonQuestionSummary}, in two queries: the questions, and the counts."""
    lesson_ids = _lesson_ids(lessons)
    summaries = {lesson_id: LessonQuestionSummary(lesson_id=lesson_id) for lesson_id in lesson_ids}
    stats = {}
    for question in Question.objects.filter(lesson_id__in=lesson_ids).order_by(
        "lesson_id", "position", "id"
    ):
        stats[question.pk] = QuestionStats(question=question)
        summaries[question.lesson_id].questions.append(stats[question.pk])
    # A parent's first try is the attempt with no earlier attempt by them on that question.
    earlier = QuestionAttempt.objects.filter(
        user_id=OuterRef("user_id"), question_id=OuterRef("question_id"), id__lt=OuterRef("id")
    )
    rows = (
        QuestionAttempt.objects.filter(question__lesson_id__in=lesson_ids, user_id__in=user_ids)
        .annotate(is_first=~Exists(earlier))
        .values("question_id")
        .annotate(
            attempts=Count("id"),
            parents=Count("user_id", distinct=True),
            first_try_correct=Count("id", filter=Q(is_first=True, is_correct=True)),
        )
    )
    for row in rows:
        entry = stats[row["question_id"]]
        entry.attempts = row["attempts"]
        entry.parents = row["parents"]
        entry.first_try_correct = row["first_try_correct"]
    return summaries
