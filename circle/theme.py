"""
Light or dark: the person's choice of appearance, kept in a long-lived cookie (the view that
keeps it, and the context processor that reads it).

With no choice (Automatic) the page follows the device's setting through the CSS media query
`prefers-color-scheme`; a choice of Light or Dark is rendered on `<html data-theme="...">`, which
site.css obeys over the device. A cookie rather than the account, so it works before logging in
and on a shared family computer each browser keeps its own. Nothing here needs JavaScript.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

COOKIE_NAME = "theme"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # a year: a preference, not a secret

AUTOMATIC = "auto"
# The values the cookie may hold, as rendered on <html data-theme>. Automatic has no cookie.
STORED_THEMES = ("light", "dark")


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(
        choices=[(AUTOMATIC, _("Automatic")), ("light", _("Light")), ("dark", _("Dark"))],
        error_messages={"required": _("Please choose Automatic, Light or Dark.")},
    )
    next = forms.CharField(required=False, max_length=2000)


def theme_from_cookie(request):
    """The stored choice, or "" for Automatic; anything else in the cookie is ignored."""
    value = request.COOKIES.get(COOKIE_NAME, "")
    return value if value in STORED_THEMES else ""


def theme(request):
    """Context processor: `theme` is "light", "dark" or "" (follow the device)."""
    return {"theme": theme_from_cookie(request)}


@require_POST
def choose(request):
    """
    Keep the person's choice of Automatic, Light or Dark and go back to the page they were on.
    A form post, not a script: the switch works with JavaScript off.
    """
    form = ThemeForm(request.POST)
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
    if choice == AUTOMATIC:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    else:
        response.set_cookie(
            COOKIE_NAME,
            choice,
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
