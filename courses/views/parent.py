"""Pages for parents (and, for the catalogue and course outline, for visitors)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from courses.access import get_course_for_visitor, get_lesson_for_parent
from courses.content_cache import course_lesson_links
from courses.models import Lesson
from courses.progress import (
    build_outlines,
    circle_links,
    course_outline,
    progress_mark_complete,
    progress_mark_incomplete,
    progress_record_visit,
)


def catalogue(request):
    outlines = build_outlines(request.user, Lesson.objects.published())
    return render(request, "courses/catalogue.html", {"outlines": outlines})


def course(request, course_slug):
    outline = course_outline(request.user, get_course_for_visitor(course_slug))
    return render(
        request,
        "courses/course.html",
        {"outline": outline, "circle_links": circle_links(outline)},
    )


@login_required
def lesson(request, course_slug, lesson_slug):
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug)
    siblings = course_lesson_links(lesson.module.course)
    index = next(i for i, (slug, _) in enumerate(siblings) if slug == lesson.slug)
    progress = progress_record_visit(user=request.user, lesson=lesson)
    return render(
        request,
        "courses/lesson.html",
        {
            "lesson": lesson,
            "course": lesson.module.course,
            "progress": progress,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "position": index + 1,
            "count": len(siblings),
        },
    )


@login_required
@require_POST
def lesson_complete(request, course_slug, lesson_slug):
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug)
    choice = request.POST.get("complete")
    if choice == "yes":
        progress_mark_complete(user=request.user, lesson=lesson)
        messages.success(request, "Lesson marked as done. Well done for making the time.")
    elif choice == "no":
        progress_mark_incomplete(user=request.user, lesson=lesson)
        messages.info(
            request, "Lesson marked as not done yet. It is still here when you are ready."
        )
    else:
        messages.error(request, "Something went wrong with that button. Please try again.")
    return redirect(lesson.get_absolute_url() + "#progress")


@login_required
def dashboard(request):
    outlines = build_outlines(request.user, Lesson.objects.published())
    started = [outline for outline in outlines if outline.started]
    current = started[0] if started else (outlines[0] if outlines else None)
    return render(
        request,
        "courses/dashboard.html",
        {"outlines": outlines, "current": current, "circle_links": circle_links(current)},
    )
