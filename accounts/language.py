"""
Which language a person reads the site and their email in, and dates in words in it.

The language of a page is decided in this order: the signed-in person's saved choice
(`User.language`, set by the switcher), else the language cookie (the switcher, for anyone),
else the browser's Accept-Language, else English (settings.LANGUAGE_CODE). Django's
LocaleMiddleware does the last three; UserLanguageMiddleware, after authentication, the first.

Mail sent outside a page (invitations, reminders, digests) is written in the person's saved
language, else the group's, else the site's default:

    with in_language(language_for_user(person)):
        subject = gettext("...")
        body = render_to_string("...", context)
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation


def language_choices():
    """The languages the site speaks, [(code, its own name)]: choices for the language fields."""
    return list(settings.LANGUAGES)


def language_supported(code):
    """The site's code for this language ("es-MX" -> "es"), or "" when the site lacks it."""
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""


def language_for_user(user, fallback=None):
    """
    The language to write to this person in: their saved choice, else `fallback` (on a page,
    the language it is shown in, which their browser chose), else the site's default.
    """
    return (
        language_supported(getattr(user, "language", ""))
        or language_supported(fallback)
        or settings.LANGUAGE_CODE
    )


def language_for_group(group):
    """The language of a group's mail (its invitations): the facilitator's choice or the default."""
    return language_supported(getattr(group, "language", "")) or settings.LANGUAGE_CODE


@contextmanager
def in_language(code):
    """Translate, and write dates, in `code` (or the default, for a language the site lacks)."""
    with translation.override(language_supported(code) or settings.LANGUAGE_CODE):
        yield


def user_set_language(*, user, language):
    """Save a person's language (a code the site speaks, or "" to follow their browser)."""
    if language and not language_supported(language):
        raise ValueError(f"The site does not speak {language!r}.")
    language = language_supported(language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def set_language_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """
    A signed-in person's saved language wins over the cookie and the browser, so their choice
    follows them to every device. The cookie is brought in line, so the page they see after
    logging out stays in their language. Goes after AuthenticationMiddleware; no query of its
    own (the user is read once per request anyway).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        saved = ""
        if user is not None and user.is_authenticated:
            saved = language_supported(user.language)
        if saved:
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        response = self.get_response(request)
        if saved and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != saved:
            set_language_cookie(response, saved)
        return response


# Dates in words. The formats live in circle/formats/<language>/formats.py; a language without
# a module of its own gets Django's formats for it, without the weekday.
WEEKDAY_FORMATS = {
    "WEEKDAY_MONTH_DAY_FORMAT": "MONTH_DAY_FORMAT",  # "Monday 3 March", "lunes 3 de marzo"
    "WEEKDAY_DATE_FORMAT": "DATE_FORMAT",  # "Monday 3 March 2026", "lunes 3 de marzo de 2026"
}


def date_format_named(name):
    """The active language's format `name`, or Django's nearest one where it has none."""
    found = formats.get_format(name)
    return formats.get_format(WEEKDAY_FORMATS[name]) if found == name else found


def weekday_date(day):
    """'Monday 3 March 2026' / 'lunes 3 de marzo de 2026', in the active language."""
    return dateformat.format(day, date_format_named("WEEKDAY_DATE_FORMAT"))


def friendly_date(day, today=None):
    """'Monday 3 March' / 'lunes 3 de marzo', with the year only when it is not this year."""
    today = today or timezone.localdate()
    name = "WEEKDAY_MONTH_DAY_FORMAT" if day.year == today.year else "WEEKDAY_DATE_FORMAT"
    return dateformat.format(day, date_format_named(name))
