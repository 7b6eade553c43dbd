"""The benchmark's ceilings: what this stack costs before any page does its own work."""

from django.http import HttpResponse


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
