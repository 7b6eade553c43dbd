"""
A signed-in page reads the session and its person in one query (accounts/sessions/,
accounts/session_auth.py), and every check Django makes on a session still holds: a password
changed elsewhere, a closed account, a deleted account or a session naming someone else all
sign the browser out.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Session
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("courses:dashboard")


def signed_in(user):
    browser = Client()
    assert browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" in browser.session
    return browser


def is_signed_in(browser):
    return browser.get(DASHBOARD).status_code == 200


def test_the_session_row_names_its_person_and_a_page_reads_both_at_once(parent):
    browser = signed_in(parent)
    [row] = Session.objects.all()
    assert row.user == parent
    with CaptureQueriesContext(connection) as queries:
        browser.get(reverse("accounts:account"))
    reads = [q["sql"] for q in queries.captured_queries]
    assert "accounts_session" in reads[0] and "accounts_user" in reads[0]
    assert not any('FROM "accounts_user"' in sql for sql in reads[1:])


def test_two_people_each_get_their_own_person(parent, second_parent):
    first, second = signed_in(parent), signed_in(second_parent)
    assert first.get(DASHBOARD).context["user"] == parent
    assert second.get(DASHBOARD).context["user"] == second_parent


def test_a_password_changed_elsewhere_signs_this_browser_out(parent):
    browser = signed_in(parent)
    parent.set_password("another-long-password-2026")
    parent.save()
    assert not is_signed_in(browser)


def test_a_closed_account_is_signed_out(parent):
    browser = signed_in(parent)
    parent.is_active = False
    parent.save()
    assert not is_signed_in(browser)


def test_deleting_an_account_ends_its_sessions(parent, second_parent):
    browser, other = signed_in(parent), signed_in(second_parent)
    parent.delete()
    assert not Session.objects.filter(user_id=parent.pk).exists()
    assert not is_signed_in(browser)
    assert is_signed_in(other)


def test_a_session_whose_row_names_someone_else_reads_the_person_it_says(parent):
    """The column is only a shortcut: the session data decides, as in Django."""
    browser = signed_in(parent)
    stranger = UserFactory()
    Session.objects.update(user=stranger)
    assert browser.get(DASHBOARD).context["user"] == parent


def test_logging_out_ends_the_session(parent):
    browser = signed_in(parent)
    browser.post(reverse("account_logout"))
    assert not Session.objects.filter(user=parent).exists()
    assert not is_signed_in(browser)
    assert SESSION_KEY not in browser.session
