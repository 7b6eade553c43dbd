"""
Course content that every parent sees the same way, kept in each worker's memory: a course's
published lessons in order (for outlines and the lesson page's previous/next) and a lesson's
questions with their choices. A page then reads only the parent's own records.

Keys carry the course's `content_version`, which every content change raises in the same
transaction (courses/content_version.py). The pages read the course row anyway (the
lesson page through the lesson's select_related, the course page by its slug), so checking the
version costs no query, and a worker never uses a list older than the course row it has just
read. Old versions are simply never asked for again; the cache drops them when it is full.
"""

from django.core.cache import caches

from courses.models import Choice, Lesson


def courses_lessons(courses):
    """
    {course id: its published lessons in course order}, with module and course loaded and
    without their bodies: what outlines and the lesson page's previous/next links need. The
    courses not cached yet are read together, in one query.
    """
    cache = caches["content"]
    keys = {course.pk: f"lessons:{course.pk}:{course.content_version}" for course in courses}
    found = cache.get_many(keys.values())
    lessons = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in lessons]
    if missing:
        lessons.update({pk: [] for pk in missing})
        for lesson in (
            Lesson.objects.published()
            .filter(module__course_id__in=missing)
            .select_related("module__course")
            .defer("body", "body_html", "practice", "reflection_prompt", "key_points")
            .in_course_order()
        ):
            lessons[lesson.module.course_id].append(lesson)
        cache.set_many({keys[pk]: lessons[pk] for pk in missing})
    return lessons


def course_lessons(course):
    """One course's published lessons in course order (see courses_lessons)."""
    return courses_lessons([course])[course.pk]


def lesson_choices(lesson):
    """
    The lesson's questions as [(question, [choice, ...]), ...] in order. `lesson` needs its
    module and course loaded (select_related), for the version.
    """
    course = lesson.module.course
    key = f"questions:{course.pk}:{course.content_version}:{lesson.pk}"
    cache = caches["content"]
    questions = cache.get(key)
    if questions is None:
        by_question = {}
        for choice in (
            Choice.objects.filter(question__lesson=lesson)
            .select_related("question")
            .order_by("question__position", "question_id", "position", "id")
        ):
            by_question.setdefault(choice.question_id, (choice.question, []))[1].append(choice)
        questions = list(by_question.values())
        cache.set(key, questions)
    return questions
