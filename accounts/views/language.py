"""The language switcher: a plain form POST, so it works without JavaScript."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.language import language_supported, set_language_cookie, user_set_language


def _safe_next(request):
    """The page to go back to: `next` or the referring page when they are on this site."""
    for url in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return "/"


@require_POST
def switch(request):
    """
    Show the site in the chosen language from now on: in a cookie for everyone, and on the
    account of a signed-in person, so it follows them to every device and into their email.
    A language the site does not speak changes nothing.
    """
    response = HttpResponseRedirect(_safe_next(request))
    language = language_supported(request.POST.get("language", ""))
    if language:
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        set_language_cookie(response, language)
    return response
