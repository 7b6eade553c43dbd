"""
The one way to look up course content for a person. Each helper scopes by what the user may
see and answers 404 (Http404) to anyone else, so a view cannot forget the check.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.models import Course, Lesson


def get_course_for_visitor(slug):
    """A published course; anyone may see its outline and lesson titles."""
    return get_object_or_404(Course.objects.published(), slug=slug)


def get_lesson_for_parent(user, course_slug, lesson_slug):
    """A published lesson of a published module and course, for a signed-in person."""
    if not user.is_authenticated:
        raise ValueError("get_lesson_for_parent needs a signed-in user; guard the view.")
    return get_object_or_404(
        Lesson.objects.published().select_related("module__course"),
        slug=lesson_slug,
        module__course__slug=course_slug,
    )


def get_lesson_for_staff(user, course_slug, lesson_slug):
    """Any lesson, published or not, archived or not, for staff previewing it; 404 for others."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404("No such lesson.")
    return get_object_or_404(
        Lesson.objects.select_related("module__course"),
        slug=lesson_slug,
        module__course__slug=course_slug,
    )
