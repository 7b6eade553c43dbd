"""
The cache every app server shares: Redis when REDIS_URL is set (sessions as cached_db, allauth's
rate limits, our join-code limits), the database's cache table otherwise; and the settings for
PgBouncer in transaction mode. `make cluster` proves the same across real processes.
"""

import uuid

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.test_settings import PRODUCTION, run_django

REDIS = "redis://127.0.0.1:6379/0"


def redis_reachable():
    try:
        return redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def test_redis_url_moves_the_shared_cache_and_sessions_to_redis():
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], settings.SESSION_ENGINE)"
    )
    result = run_django(code, REDIS_URL=REDIS, **PRODUCTION)
    assert result.stdout.split() == ["RedisCache", "accounts.sessions.cached_db"]
    result = run_django(code, **PRODUCTION)
    assert result.stdout.split() == ["DatabaseCache", "accounts.sessions.db"]


def test_pgbouncer_mode_holds_nothing_across_transactions():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d.get('DISABLE_SERVER_SIDE_CURSORS', False), "
        "d['OPTIONS'].get('prepare_threshold', 'default'), "
        "d['OPTIONS'].get('server_side_binding'))"
    )
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:6432/circle", **PRODUCTION}
    # Through PgBouncer: values still bound on the server, but nothing prepared.
    result = run_django(code, DATABASE_PGBOUNCER="true", **env)
    assert result.stdout.split() == ["True", "None", "True"]
    # Straight to PostgreSQL: a query is prepared after its fifth run on a connection.
    result = run_django(code, **env)
    assert result.stdout.split() == ["False", "5", "True"]
    # And both can be turned off (Django's own defaults then).
    result = run_django(code, DATABASE_PREPARED_STATEMENTS="false", **env)
    assert result.stdout.split() == ["False", "default", "None"]


@pytest.fixture
def on_redis(settings):
    """The shared cache and sessions on the local Redis, under a key prefix of this test's own."""
    if not redis_reachable():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        },
    }
    settings.SESSION_ENGINE = "accounts.sessions.cached_db"
    yield prefix
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.mark.django_db
def test_a_session_on_redis_follows_the_parent_to_another_browser_tab(on_redis, parent):
    browser = Client()
    browser.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert any(redis.Redis.from_url(REDIS).scan_iter(f"{on_redis}:*"))
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert other.get(reverse("courses:dashboard")).status_code == 200


@pytest.mark.django_db
def test_login_limits_are_counted_in_redis(on_redis, parent):
    for _ in range(5):
        Client().post(reverse("account_login"), {"login": parent.email, "password": "wrong"})
    response = Client().post(
        reverse("account_login"), {"login": parent.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()
