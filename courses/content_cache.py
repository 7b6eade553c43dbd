"""
A course's lesson list, kept in each worker's memory and keyed by the course's version.

Every lesson page needs the course's published lessons in order (previous / next, "lesson 3
of 12"), yet they change only when an admin edits content. A per-process cache invalidated by
signals alone would go stale in the other workers, so the key carries `Course.updated_at`: the
lesson page reads it anyway (the lesson is fetched with its course), and every content edit
bumps it (the signals below, and `course_content_changed` for bulk updates that send none).
A worker that sees a new version builds a new entry; old entries age out of the LRU cache.
"""

from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from courses.models import Course, Lesson, Module


def _key(course):
    return f"lessons:{course.pk}:{course.updated_at.isoformat()}"


def course_lesson_links(course):
    """The course's published lessons in order, as (slug, title) pairs."""
    cache = caches["content"]
    key = _key(course)
    links = cache.get(key)
    if links is None:
        links = tuple(
            Lesson.objects.published()
            .filter(module__course=course)
            .in_course_order()
            .values_list("slug", "title")
        )
        cache.set(key, links)
    return links


def course_content_changed(*, course_ids):
    """Give these courses a new version, so every worker rebuilds what it cached for them."""
    Course.objects.filter(pk__in=course_ids).update(updated_at=timezone.now())


@receiver([post_save, post_delete], sender=Module)
def _module_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        course_content_changed(course_ids=[instance.course_id])


@receiver([post_save, post_delete], sender=Lesson)
def _lesson_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        course_content_changed(
            course_ids=Module.objects.filter(pk=instance.module_id).values("course_id")
        )
