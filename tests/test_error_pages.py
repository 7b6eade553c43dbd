"""Errors are kind, in the site's style, and never show a stack trace."""

import pytest
from django.test import Client
from django.urls import path

from circle.urls import urlpatterns as site_urlpatterns

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
