"""The staff preview: any lesson, published or not, shown exactly as a parent would see it."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from courses.access import get_lesson_for_staff
from courses.models import Lesson
from courses.views.parent import lesson_page_context


@login_required
def lesson_preview(request, course_slug, lesson_slug):
    lesson = get_lesson_for_staff(request.user, course_slug, lesson_slug)
    # Numbered and linked as parents will meet it: the published lessons, plus this one.
    siblings = list(
        Lesson.objects.filter(module__course=lesson.module.course)
        .filter(Q(pk=lesson.pk) | Q(pk__in=Lesson.objects.published().values("pk")))
        .in_course_order()
        .values_list("slug", "title")
    )
    context = lesson_page_context(lesson, siblings)
    # No progress is recorded: previewing is not taking the lesson.
    context.update(
        preview=True,
        hidden_reasons=lesson.hidden_reasons(),
        lesson_url_name="courses:lesson-preview",
        progress=None,
    )
    return render(request, "courses/lesson.html", context)
