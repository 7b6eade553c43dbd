from courses.views.parent import catalogue, course, dashboard, lesson, lesson_complete

__all__ = ["catalogue", "course", "dashboard", "lesson", "lesson_complete"]
