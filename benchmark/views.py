"""The benchmark's ceilings: what this stack costs before any page does its own work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from courses.access import get_lesson_for_parent
from courses.checks import lesson_questions
from courses.content_cache import course_lessons, lesson_body_html
from courses.journal import practice_notes_on
from courses.progress import progress_record_visit


def ceiling(request):
    """
    The fastest page this stack can serve: every middleware runs, but no query, no template.
    The benchmark divides each page's requests per second by this one's.
    """
    return HttpResponse(b"ok", content_type="text/plain")


def ceiling_signed_in(request):
    """
    The fastest page that knows who is signed in: the session and the user are read (one
    query, accounts/sessions/), nothing else. Every real page of a parent costs at least this;
    the benchmark shows each page against it too (bench/README.md).
    """
    return HttpResponse(str(request.user.pk).encode(), content_type="text/plain")


# As long as the lesson page's HTML (bench/README.md: 27,415 bytes), so the server and the
# network carry the same weight as for the page itself.
LESSON_SIZED = b"<!DOCTYPE html>" + b"." * 27400


@login_required
def lesson_reads(request, course_slug, lesson_slug):
    """
    The lesson page's own work without its template: the same reads and the same visit write
    as courses.views.parent.render_lesson_page, then a body as long as the page. Between the
    signed-in ceiling and the lesson page, it tells the queries' share from the rendering's.
    """
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug, with_own_records=True)
    course_lessons(lesson.module.course)
    progress_record_visit(
        user=request.user, lesson=lesson, progress=lesson.own_progress(request.user)
    )
    lesson.own_reflection(request.user)
    lesson_body_html(lesson)
    lesson_questions(user=request.user, lesson=lesson)
    practice_notes_on(user=request.user, lesson=lesson)
    return HttpResponse(LESSON_SIZED, content_type="text/html")
