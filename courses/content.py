"""
Course content that every parent sees the same way, kept in each worker's memory: a course's
published lessons in order (for outlines and the lesson page's previous/next) and a lesson's
questions with their choices. A page then reads only the parent's own records.

Keys carry the course's `content_version`, which every content change raises in the same
transaction (courses/models.py, content_changed). The pages read the course row anyway (the
lesson page through the lesson's select_related, the course page by its slug), so checking the
version costs no query, and a worker never uses a list older than the course row it has just
read. Old versions are simply never asked for again; the cache drops them when it is full.
"""

from django.core.cache import caches

from courses.models import Choice, Lesson


def _cached(key, build):
    cache = caches["content"]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value)
    return value


def course_lessons(course):
    """
    The course's published lessons in course order, with module and course loaded and without
    their bodies: what outlines and the lesson page's previous/next links need.
    """

    def build():
        return list(
            Lesson.objects.published()
            .filter(module__course=course)
            .select_related("module__course")
            .defer("body", "body_html", "practice", "reflection_prompt", "key_points")
            .in_course_order()
        )

    return _cached(f"lessons:{course.pk}:{course.content_version}", build)


def lesson_choices(lesson):
    """
    The lesson's questions as [(question, [choice, ...]), ...] in order. `lesson` needs its
    module and course loaded (select_related), for the version.
    """

    def build():
        questions = {}
        for choice in (
            Choice.objects.filter(question__lesson=lesson)
            .select_related("question")
            .order_by("question__position", "question_id", "position", "id")
        ):
            questions.setdefault(choice.question_id, (choice.question, []))[1].append(choice)
        return list(questions.values())

    course = lesson.module.course
    return _cached(f"questions:{course.pk}:{course.content_version}:{lesson.pk}", build)
