"""
The lesson page's forms answered in place. With JavaScript, htmx (static/vendor/htmx/, joined
with static/js/in-place.js as js/lesson-tools.js) posts a tool's form with the HX-Request header
and swaps in the piece of the page the view renders here: the same partial of
templates/courses/lesson_tools.html that the full page includes, so there is one template.
Without JavaScript the same views redirect back to the lesson, as they always did.

Nothing here looks anything up: each view has already been through courses/access.py, so a
fragment is scoped and access-checked exactly like the page.
"""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

TOOLS_TEMPLATE = "courses/lesson_tools.html"


def wants_fragment(request):
    """True when htmx sent the form (django_htmx's middleware reads the HX-Request header)."""
    return bool(getattr(request, "htmx", False))


def render_fragment(request, partial, context):
    """One partial of the lesson's tools, for htmx to swap in where the form was."""
    response = render(request, f"{TOOLS_TEMPLATE}#{partial}", context)
    # The same address answers a whole page or a piece of one, by this header.
    patch_vary_headers(response, ["HX-Request"])
    return response
