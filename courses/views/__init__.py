from courses.views.certificates import certificate, certificate_verify
from courses.views.checks import question_answer_view
from courses.views.journal import (
    journal,
    practice_note_add_view,
    practice_note_delete_view,
    practice_note_edit,
    reflection_delete_view,
    reflection_save_view,
    reflection_share,
)
from courses.views.parent import catalogue, course, dashboard, lesson, lesson_complete

__all__ = [
    "catalogue",
    "certificate",
    "certificate_verify",
    "course",
    "dashboard",
    "journal",
    "lesson",
    "lesson_complete",
    "practice_note_add_view",
    "practice_note_delete_view",
    "practice_note_edit",
    "question_answer_view",
    "reflection_delete_view",
    "reflection_save_view",
    "reflection_share",
]
