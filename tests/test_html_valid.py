"""Every page, as the server sends it, is valid HTML (Nu HTML Checker)."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.conftest import logged_in
from tests.html_validator import validate

pytestmark = [pytest.mark.django_db, pytest.mark.html]

ANONYMOUS_PAGES = [
    "/",
    "/about/",
    "/courses/",
    "/courses/circle/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
PARENT_PAGES = [
    "/dashboard/",
    "/courses/circle/",
    "/courses/circle/one/",
    "/courses/circle/three/",
    "/accounts/password/change/",
    "/accounts/email/",
]


def test_pages_are_valid_html(client, parent, course):
    documents = {}
    for url in ANONYMOUS_PAGES:
        documents[f"anonymous {url}"] = client.get(url).content.decode()
    browser = logged_in(parent)
    browser.post(reverse("courses:lesson-complete", args=["circle", "one"]), {"complete": "yes"})
    for url in PARENT_PAGES:
        response = browser.get(url)
        assert response.status_code == 200, url
        documents[f"parent {url}"] = response.content.decode()
    documents["500"] = render_to_string("500.html")
    strict = Client(enforce_csrf_checks=True)
    documents["csrf failure"] = strict.post("/accounts/login/").content.decode()
    assert validate(documents) == []


def test_a_form_with_errors_is_valid_html(client):
    response = client.post("/accounts/signup/", {"email": "nope", "password1": "x"})
    assert validate({"signup with errors": response.content.decode()}) == []
