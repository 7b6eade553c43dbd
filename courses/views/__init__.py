from courses.views.authoring import lesson_preview
from courses.views.parent import catalogue, course, dashboard, lesson, lesson_complete

__all__ = ["catalogue", "course", "dashboard", "lesson", "lesson_complete", "lesson_preview"]
