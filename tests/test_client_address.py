"""
Rate limits count the person, not the proxy in front of the site.

Behind the TLS proxy the README recommends, every request arrives from the proxy's address. With
DJANGO_BEHIND_TLS_PROXY=true (ALLAUTH_TRUSTED_PROXY_COUNT in settings) the visitor's address
comes from the X-Forwarded-For entry the proxy added, for allauth's login limits and our join-code
limits alike; without it that header is ignored, so nobody dodges a limit by sending their own.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.ratelimit import JOIN_FAILURES_PER_IP, JOIN_FAILURES_PER_USER
from tests.conftest import logged_in
from tests.factories import PASSWORD, UserFactory
from tests.test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
JOIN = reverse("accounts:join")
PROXY = "10.0.0.2"  # the address every request comes from, behind the proxy


def through_proxy(visitor):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": visitor}


@pytest.fixture
def behind_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def fail_logins(count, visitor):
    browser = Client()
    for number in range(count):
        browser.post(
            LOGIN,
            {"login": f"guess{number}@example.com", "password": "not-the-password"},
            **through_proxy(visitor),
        )


def logs_in(user, visitor):
    browser = Client()
    browser.post(LOGIN, {"login": user.email, "password": PASSWORD}, **through_proxy(visitor))
    return "_auth_user_id" in browser.session


def fail_join_codes(browser, count, visitor):
    for _ in range(count):
        browser.post(JOIN, {"code": "WXYZWXYZ"}, **through_proxy(visitor))


class TestLoginLimits:
    def test_behind_the_proxy_one_visitors_failed_logins_do_not_lock_out_a_parent(
        self, behind_proxy, parent
    ):
        fail_logins(12, visitor="203.0.113.5")
        assert logs_in(parent, visitor="198.51.100.7")
        assert not logs_in(parent, visitor="203.0.113.5")  # the one who failed is paused

    def test_without_the_proxy_switch_a_forwarded_address_cannot_dodge_the_limit(self, parent):
        for number in range(12):
            fail_logins(1, visitor=f"203.0.113.{number}")
        # Every request came from one address; what the client claims does not count.
        assert not logs_in(parent, visitor="198.51.100.7")


class TestJoinCodeLimits:
    def test_behind_the_proxy_wrong_codes_from_one_place_do_not_block_joining_elsewhere(
        self, behind_proxy, group, second_parent
    ):
        for _ in range(JOIN_FAILURES_PER_IP // JOIN_FAILURES_PER_USER + 1):
            fail_join_codes(logged_in(UserFactory()), JOIN_FAILURES_PER_USER, "203.0.113.5")
        stranger = logged_in(UserFactory())
        response = stranger.post(JOIN, {"code": "ABCDEFGH"}, **through_proxy("203.0.113.5"))
        assert response.status_code == 429  # that address has tried too many codes
        browser = logged_in(second_parent)
        response = browser.post(JOIN, {"code": "ABCDEFGH"}, **through_proxy("198.51.100.7"))
        assert response.status_code == 302
        assert Membership.objects.filter(group=group, user=second_parent).exists()

    def test_without_the_proxy_switch_every_visitor_is_the_one_address(self, group, second_parent):
        for number in range(JOIN_FAILURES_PER_IP // JOIN_FAILURES_PER_USER + 1):
            browser = logged_in(UserFactory())
            fail_join_codes(browser, JOIN_FAILURES_PER_USER, f"203.0.113.{number}")
        browser = logged_in(second_parent)
        response = browser.post(JOIN, {"code": "ABCDEFGH"}, **through_proxy("198.51.100.7"))
        assert response.status_code == 429

    def test_one_account_is_paused_whichever_addresses_it_uses(
        self, behind_proxy, group, second_parent, parent
    ):
        browser = logged_in(second_parent)
        for number in range(JOIN_FAILURES_PER_USER):
            fail_join_codes(browser, 1, f"203.0.113.{number}")
        response = browser.post(JOIN, {"code": "ABCDEFGH"}, **through_proxy("198.51.100.7"))
        assert response.status_code == 429
        # Another person at one of those addresses is not held back by that account's tries.
        other = logged_in(UserFactory())
        response = other.post(JOIN, {"code": "ABCDEFGH"}, **through_proxy("203.0.113.1"))
        assert response.status_code == 302


def test_the_proxy_switch_trusts_the_forwarded_address_and_scheme():
    code = (
        "from django.conf import settings; "
        "print(getattr(settings, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0), "
        "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = run_django(code, DJANGO_BEHIND_TLS_PROXY="true", **PRODUCTION)
    assert result.stdout.split() == ["1", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
    result = run_django(code, **PRODUCTION)
    assert result.stdout.split() == ["0", "None"]
