"""
Headers every answer of the site carries, beyond Django's own security middleware.

- Permissions-Policy: the site uses no camera, microphone, location, payment or sensors, so no
  page (or anything injected into one) may ask for them.
- Pages that may show a person's own data are never stored by the browser or a proxy: on a
  shared family computer, Back after logging out must not bring a journal entry back. Any
  request that carries a session (or a response that starts one) may be personal, so it gets
  `Cache-Control: private, no-store` unless the view chose its own caching. Deciding by the
  cookie, not by loading the user, costs no query.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SiteHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        cookie = settings.SESSION_COOKIE_NAME
        personal = cookie in request.COOKIES or cookie in response.cookies
        if personal and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
