"""
The site's own pages: home (with the circle diagram), about, a health check, and the pages
that answer when something goes wrong.
"""

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from courses.access import LessonLocked, ModuleLocked
from courses.assignments import friendly_date
from courses.progress import build_outlines
from courses.views.parent import circle_context


def home(request):
    outlines = build_outlines(request.user)
    first = outlines[0] if outlines else None
    return render(
        request,
        "circle/home.html",
        {"outlines": outlines, "first": first, **circle_context(request.user, first)},
    )


def about(request):
    return render(request, "circle/about.html")


@never_cache
def health(request):
    """For load balancers and uptime checks: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    """
    The 403 page. A lesson the parent's group has not opened yet (courses.access.LessonLocked,
    raised for reading and writing alike) gets its own kind page saying when it opens; so does
    a module's handout (ModuleLocked).
    """
    if isinstance(exception, LessonLocked):
        lesson = exception.lesson
        context = {
            "lesson": lesson,
            "course": lesson.module.course,
            "opens": friendly_date(exception.opens_on),
        }
        return render(request, "courses/lesson_locked.html", context, status=403)
    if isinstance(exception, ModuleLocked):
        module = exception.module
        context = {
            "module": module,
            "course": module.course,
            "opens": friendly_date(exception.opens_on),
        }
        return render(request, "courses/module_locked.html", context, status=403)
    return render(request, "403.html", status=403)


# How long a browser or a load balancer should wait before trying again when the database is
# away (a restart takes seconds; a failover a little longer).
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """
    The 500 page, or the 503 page when the database could not be reached (a restart, a failover,
    a full connection pool): that is a pause, not a fault, wherever in the request it happened.
    Both pages are rendered without the request's context, which may need the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request, reason=""):
    """A kind page instead of Django's technical one; `reason` is for logs, not for parents."""
    return render(request, "403_csrf.html", status=403)
