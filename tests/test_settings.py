"""Settings are safe by default: production mode unless told otherwise, and loud about gaps."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "course.example.org",
}


def run_django(code, **env):
    """Run Python with a clean, production-like environment plus `env`."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "REDIS_URL"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="circle.settings")
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("", DJANGO_ALLOWED_HOSTS="course.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django("", DJANGO_SECRET_KEY="x" * 64)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_a_debug_value_that_is_not_true_or_false_is_an_error():
    result = run_django("", DJANGO_DEBUG="maybe", **PRODUCTION)
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_production_mode_is_the_default_and_secure():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.STORAGES['staticfiles']['BACKEND'], "
        "s.MAILERS['default']['BACKEND'])"
    )
    result = run_django(code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_check_deploy_reports_only_the_hsts_preload_notice():
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "REDIS_URL"))
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "security.W021" in output  # SECURE_HSTS_PRELOAD: a commitment left to the operator
    assert "1 issue" in output, output


def test_database_url_selects_postgresql_with_the_connection_pool():
    code = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['ENGINE'], bool(d['OPTIONS'].get('pool')), d['CONN_MAX_AGE'])"  # noqa: E501
    result = run_django(code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "True", "0"]


def test_sqlite_is_the_zero_setup_default():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])"
    result = run_django(code, **PRODUCTION)
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_rate_limits_use_a_cache_shared_by_all_workers():
    backend = settings.CACHES["default"]["BACKEND"]
    assert "locmem" not in backend and "dummy" not in backend


@pytest.mark.parametrize("directive", ["script-src", "style-src", "default-src"])
def test_csp_allows_nothing_inline(directive):
    assert "'unsafe-inline'" not in settings.SECURE_CSP[directive]
    assert "'unsafe-eval'" not in settings.SECURE_CSP[directive]


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """Production serves hashed, compressed files: collect them as a deployment would."""
    root = tmp_path_factory.mktemp("static")
    result = run_django(
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)",
        DJANGO_STATIC_ROOT=str(root),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_gives_hashed_and_compressed_files(collected_static):
    css = list(collected_static.glob("css/site.*.css"))
    assert css, "no hashed site.css"
    assert list(collected_static.glob("css/site.*.css.gz")) or list(
        collected_static.glob("css/site.*.css.br")
    )


def test_collectstatic_hashes_and_compresses_the_one_stylesheet(collected_static):
    assert list(collected_static.glob("css/circle.*.css"))
    assert list(collected_static.glob("css/circle.*.css.gz"))


def test_the_benchmark_app_and_its_ceilings_are_there_only_when_benchmarking():
    code = (
        "from django.apps import apps; from django.urls import reverse; "
        "print(apps.is_installed('benchmark')); print(reverse('benchmark:ceiling')); "
        "print(reverse('benchmark:ceiling-signed-in'))"
    )
    result = run_django(code, **PRODUCTION)
    assert result.returncode != 0 and "NoReverseMatch" in result.stderr
    assert result.stdout.split() == ["False"]
    result = run_django(code, DJANGO_BENCHMARK="true", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "/bench/ceiling/", "/bench/ceiling/signed-in/"]
    # Without the app, its data builders are not commands of the site either.
    code = "from django.core.management import get_commands; print('bench_data' in get_commands())"
    assert run_django(code, **PRODUCTION).stdout.split() == ["False"]


def test_production_responses_carry_hsts_and_secure_cookies(collected_static):
    code = (
        "from django.test import Client; c = Client(); "
        "r = c.get('/accounts/login/', secure=True, headers={'host': 'course.example.org'}); "
        "print(r.status_code); print(r['Strict-Transport-Security']); "
        "print(r['Content-Security-Policy']); print(r.cookies['csrftoken'].output()); "
        "print(c.get('/about/', headers={'host': 'course.example.org'}).status_code)"
    )
    result = run_django(code, DJANGO_STATIC_ROOT=str(collected_static), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    status, hsts, csp, cookie, plain_http = result.stdout.strip().splitlines()
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains"
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "Secure" in cookie and "SameSite=Lax" in cookie
    assert plain_http == "301"  # plain HTTP is sent to HTTPS


def test_production_session_cookie_is_secure_and_http_only():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    result = run_django(code, **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "Lax"]
