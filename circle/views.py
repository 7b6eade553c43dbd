"""
The site's own pages: home (with the circle diagram), about, a health check, and the
benchmark's ceilings (routed only when DJANGO_BENCH_CEILING=true).
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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


def csrf_failure(request, reason=""):
    """A kind page instead of Django's technical one; `reason` is for logs, not for parents."""
    return render(request, "403_csrf.html", status=403)


def ceiling(request):
    """
    The fastest page this stack can serve: every middleware runs, but no query, no template.
    The benchmark divides each page's requests per second by this one's.
    """
    return HttpResponse(b"ok", content_type="text/plain")


def ceiling_signed_in(request):
    """
    The fastest page that knows who is signed in: the session and the user are read (two
    queries), nothing else. Every real page of a parent costs at least this; the benchmark
    shows each page against it too (bench/README.md).
    """
    return HttpResponse(str(request.user.pk).encode(), content_type="text/plain")
