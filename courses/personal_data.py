"""The courses app's sections of a person's data export (see accounts/personal_data.py)."""

from accounts.personal_data import export_section
from courses.models import Certificate, LessonProgress, PracticeNote, QuestionAttempt, Reflection


def _when(value):
    return value.isoformat() if value else None


def _lesson(lesson):
    return {"course": lesson.module.course.title, "lesson": lesson.title, "slug": lesson.slug}


@export_section("progress")
def _progress(user):
    rows = LessonProgress.objects.filter(user=user).select_related("lesson__module__course")
    return [
        {
            **_lesson(row.lesson),
            "started_at": _when(row.started_at),
            "last_seen_at": _when(row.last_seen_at),
            "completed_at": _when(row.completed_at),
        }
        for row in rows.order_by("started_at", "id")
    ]


@export_section("reflections")
def _reflections(user):
    rows = Reflection.objects.filter(user=user).select_related("lesson__module__course")
    return [
        {
            **_lesson(row.lesson),
            "text": row.text,
            "shared": row.shared,
            "created_at": _when(row.created_at),
            "updated_at": _when(row.updated_at),
        }
        for row in rows.order_by("created_at", "id")
    ]


@export_section("practice_notes")
def _practice_notes(user):
    rows = PracticeNote.objects.filter(user=user).select_related("lesson__module__course")
    return [
        {
            **_lesson(row.lesson),
            "date": row.noted_on.isoformat(),
            "what_i_tried": row.tried,
            "what_happened": row.happened,
            "created_at": _when(row.created_at),
            "updated_at": _when(row.updated_at),
        }
        for row in rows.order_by("noted_on", "id")
    ]


@export_section("answers")
def _answers(user):
    rows = QuestionAttempt.objects.filter(user=user).select_related(
        "question__lesson__module__course", "choice"
    )
    return [
        {
            **_lesson(row.question.lesson),
            "question": row.question.text,
            "answer": row.choice.text,
            "correct": row.is_correct,
            "answered_at": _when(row.created_at),
        }
        for row in rows.order_by("id")
    ]


@export_section("certificates")
def _certificates(user):
    rows = Certificate.objects.filter(user=user).select_related("course")
    return [
        {
            "course": row.course.title,
            "name_shown": row.name,
            "completed_on": row.completed_on.isoformat(),
            "verification_code": row.code,
        }
        for row in rows.order_by("completed_on", "id")
    ]
