"""
The site's own pages: home (with the circle diagram), about, a health check, the choice of
light or dark, and the benchmark's ceilings (routed only when DJANGO_BENCH_CEILING=true).
"""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from circle import theme as site_theme
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


@require_POST
def theme(request):
    """
    Keep the person's choice of Automatic, Light or Dark and go back to the page they were on.
    A form post, not a script: the switch works with JavaScript off.
    """
    form = site_theme.ThemeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            gettext("Please choose Automatic, Light or Dark."),
            content_type="text/plain; charset=utf-8",
        )
    target = form.cleaned_data["next"]
    # Only a path on this site, so the form cannot be used to send people elsewhere.
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = reverse("circle:home")
    response = HttpResponseRedirect(target)
    choice = form.cleaned_data["theme"]
    if choice == site_theme.AUTOMATIC:
        response.delete_cookie(site_theme.COOKIE_NAME, samesite="Lax")
    else:
        response.set_cookie(
            site_theme.COOKIE_NAME,
            choice,
            max_age=site_theme.COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


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
