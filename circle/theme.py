"""
Light or dark: the person's choice of appearance, kept in a long-lived cookie.

With no choice (Automatic) the page follows the device's setting through the CSS media query
`prefers-color-scheme`; a choice of Light or Dark is rendered on `<html data-theme="...">`, which
site.css obeys over the device. A cookie rather than the account, so it works before logging in
and on a shared family computer each browser keeps its own. Nothing here needs JavaScript.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

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
