"""Errors are kind, in the site's style, and never show a stack trace."""

from importlib import import_module

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path, reverse

from circle.urls import handler500  # noqa: F401 - this module stands in for the root URLconf
from circle.urls import urlpatterns as site_urlpatterns
from tests.conftest import logged_in
from tests.test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("secret internals")


urlpatterns = [*site_urlpatterns, path("broken/", broken)]


def test_not_found_page_is_friendly(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert "Nothing you have done is lost" in html


def test_csrf_failure_page_is_friendly():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please try that again" in html
    assert "CSRF" not in html


def test_forbidden_page_is_friendly(parent_client):
    response = parent_client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "isn't available to you" in response.content.decode()


@pytest.mark.urls(__name__)
def test_server_error_page_shows_no_stack_trace(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "something went wrong on our side" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_too_many_attempts_page_is_friendly(client):
    for _ in range(30):
        response = client.post("/accounts/signup/", {"email": "x"})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert "Please wait a moment" in response.content.decode()


def database_away(request):
    raise OperationalError("terminating connection due to administrator command")


def connection_closed(request):
    raise InterfaceError("connection already closed")


urlpatterns += [path("database-away/", database_away), path("closed/", connection_closed)]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/database-away/", "/closed/"])
def test_a_database_pause_is_a_kind_503_with_retry_after(url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "back in a moment" in html and "Nothing you have done is lost" in html
    assert "administrator command" not in html


def test_a_database_pause_while_reading_the_session_is_a_503_too(parent, monkeypatch):
    """Not only in views: the session is read by middleware, outside any view."""
    browser = logged_in(parent)
    browser.raise_request_exception = False

    def unreachable(self):
        raise OperationalError("could not connect to server")

    # Whichever store the settings use (db, or cached_db with REDIS_URL).
    monkeypatch.setattr(import_module(settings.SESSION_ENGINE).SessionStore, "load", unreachable)
    response = browser.get(reverse("courses:dashboard"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def log_lines(code, **env):
    result = run_django(f"exec({code!r})", **env)
    assert result.returncode == 0, result.stderr
    return result.stderr


SERVER_ERROR = """
import logging
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("django.request").error("Internal Server Error: /x", exc_info=True)
"""

BAD_HOST = """
from django.test import Client
Client(raise_request_exception=False).get("/", HTTP_HOST="not-our-site.example")
"""


@pytest.mark.parametrize("mode", [{"DJANGO_DEBUG": "true"}, PRODUCTION])
def test_each_server_error_is_logged_once(mode):
    stderr = log_lines(SERVER_ERROR, **mode)
    assert stderr.count("Internal Server Error: /x") == 1
    assert stderr.count("Traceback") == 1


def test_a_bad_host_header_is_logged_as_one_line():
    stderr = log_lines(BAD_HOST, **PRODUCTION)
    assert "Invalid HTTP_HOST header" in stderr
    assert "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if "HTTP_HOST" in line]) == 1
