"""Light or dark: the footer's Automatic / Light / Dark form, its cookie, and the pages after."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from circle import theme

pytestmark = pytest.mark.django_db

THEME_URL = reverse("circle:theme")


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def pressed(response):
    """The footer button marked as the current choice."""
    html = response.content.decode()
    return re.findall(r'value="(\w+)"[^>]*aria-pressed="true"', html)


def test_with_no_choice_the_page_follows_the_device(client):
    response = client.get("/about/")
    assert html_tag(response) == '<html lang="en-GB">'
    assert '<meta name="color-scheme" content="light dark">' in response.content.decode()
    assert pressed(response) == ["auto"]


def test_a_parent_chooses_dark_and_every_page_after_is_dark(parent_client, course):
    response = parent_client.post(THEME_URL, {"theme": "dark", "next": "/courses/circle/one/"})

    assert response.status_code == 302
    assert response["Location"] == "/courses/circle/one/"
    cookie = response.cookies[theme.COOKIE_NAME]
    assert cookie.value == "dark"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    for url in ["/courses/circle/one/", "/dashboard/", "/about/"]:
        page = parent_client.get(url)
        assert html_tag(page) == '<html lang="en-GB" data-theme="dark">'
        assert '<meta name="color-scheme" content="dark">' in page.content.decode()
        assert pressed(page) == ["dark"]


def test_a_visitor_who_is_not_logged_in_can_choose_light(client):
    response = client.post(THEME_URL, {"theme": "light", "next": "/about/"})
    assert response.cookies[theme.COOKIE_NAME].value == "light"
    page = client.get("/about/")
    assert 'data-theme="light"' in html_tag(page)
    assert pressed(page) == ["light"]


def test_choosing_automatic_again_forgets_the_choice(client):
    client.post(THEME_URL, {"theme": "dark", "next": "/"})
    response = client.post(THEME_URL, {"theme": "auto", "next": "/about/"})
    assert response["Location"] == "/about/"
    assert response.cookies[theme.COOKIE_NAME].value == ""
    assert response.cookies[theme.COOKIE_NAME]["max-age"] == 0
    assert html_tag(client.get("/about/")) == '<html lang="en-GB">'


@pytest.mark.parametrize("value", ["", "blue", "DARK", "dark ", "auto; path=/"])
def test_a_choice_that_is_not_one_of_the_three_is_refused_and_changes_nothing(client, value):
    client.post(THEME_URL, {"theme": "light", "next": "/"})
    response = client.post(THEME_URL, {"theme": value, "next": "/about/"})
    assert response.status_code == 400
    assert "Please choose Automatic, Light or Dark." in response.content.decode()
    assert theme.COOKIE_NAME not in response.cookies
    assert 'data-theme="light"' in html_tag(client.get("/about/"))


@pytest.mark.parametrize(
    "next_url",
    [
        "https://elsewhere.example/",
        "//elsewhere.example/",
        "/\\elsewhere.example/",
        "javascript:alert(1)",
        "about/",
        "",
    ],
)
def test_the_way_back_is_only_ever_a_page_of_this_site(client, next_url):
    response = client.post(THEME_URL, {"theme": "dark", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_way_back_keeps_the_query_string(client):
    response = client.post(THEME_URL, {"theme": "dark", "next": "/courses/?page=2"})
    assert response["Location"] == "/courses/?page=2"


def test_the_choice_is_a_post_never_a_link(client):
    assert client.get(THEME_URL, {"theme": "dark"}).status_code == 405


def test_the_footer_form_works_with_its_own_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/about/").content.decode()
    form = re.search(r'<form method="post" action="/appearance/".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', form).group(1)
    assert next_url == "/about/"

    response = browser.post(
        THEME_URL, {"csrfmiddlewaretoken": token, "theme": "dark", "next": next_url}
    )

    assert response.status_code == 302 and response["Location"] == "/about/"
    assert response.cookies[theme.COOKIE_NAME].value == "dark"


@pytest.mark.parametrize("value", ['dark" onload="x', "sepia", ""])
def test_a_cookie_that_was_tampered_with_is_ignored(client, value):
    client.cookies[theme.COOKIE_NAME] = value
    response = client.get("/about/")
    assert html_tag(response) == '<html lang="en-GB">'
    assert pressed(response) == ["auto"]


def test_the_cookie_is_marked_secure_when_the_site_is_served_over_https(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(THEME_URL, {"theme": "dark", "next": "/"})
    assert response.cookies[theme.COOKIE_NAME]["secure"]


def test_reading_the_choice_costs_no_query(client, django_assert_num_queries):
    client.cookies[theme.COOKIE_NAME] = "dark"
    with django_assert_num_queries(0):
        response = client.get("/about/")
    assert 'data-theme="dark"' in html_tag(response)


def test_pages_vary_by_cookie_so_a_shared_cache_never_mixes_up_two_peoples_themes(client):
    client.cookies[theme.COOKIE_NAME] = "dark"
    response = client.get("/about/")
    assert "Cookie" in response["Vary"]
