"""
Settings for the course site, read from the environment.

Production is the default: with DJANGO_DEBUG unset the site refuses to start without
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. `make run` and `make test` set DJANGO_DEBUG=true
explicitly. Every helper below fails loudly on a value it does not understand.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name, default=None):
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if default is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return default


def env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=None):
    value = os.environ.get(name, "").strip()
    if not value:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name} (comma-separated).")
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Development gets fixed, harmless values; production must say its own.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key" if DEBUG else None)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else None
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# Where people can write when an email does not arrive; without it, the pages say to ask the
# person who runs their group (never "contact us" with nowhere to write).
CONTACT_EMAIL = env_str("DJANGO_CONTACT_EMAIL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "circle",
    "accounts",
    "courses",
    "reminders",
    "outcomes",
    # Background work: django.tasks with its rows in the database (manage.py db_worker).
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "circle.middleware.SiteHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the language cookie (the switcher), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read together with the session (accounts/session_auth.py).
    "accounts.session_auth.AuthenticationMiddleware",
    # ...unless the signed-in person saved a language on their account (accounts/language.py).
    "accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: the lesson page's forms answer htmx with a fragment (courses/in_place.py).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "circle.urls"
WSGI_APPLICATION = "circle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "circle.theme.theme",
            ],
        },
    },
]

# Database: DATABASE_URL picks it (postgres://... in production); SQLite is the zero-setup default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", True
):
    # Django's own pool (psycopg_pool); each worker process keeps its own.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 8),
        "timeout": 10,
    }
# Parameters go to PostgreSQL apart from the SQL (psycopg's server-side binding), so a query
# has the same text whatever its values, and psycopg prepares it after its fifth run on a
# connection: PostgreSQL then stops planning it again on every request. Planning was most of
# the database's work on a lesson page (bench/README.md, "Fifth session").
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
# PgBouncer in transaction mode between the app servers and PostgreSQL (README, "Several
# machines"): a server connection serves one transaction, then another client's, so nothing
# may outlive a transaction. No server-side cursors (iterator() would hold one open), and
# psycopg must not prepare statements (PgBouncer 1.18 cannot carry them across connections).
if env_bool("DATABASE_PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every app server and worker shares: allauth's rate-limit counters, our join-code
# limits, and (with Redis) the sessions. Redis when REDIS_URL is set (several machines, and
# faster on one); otherwise a table in the database, which every process shares too.
REDIS_URL = env_str("REDIS_URL", "")
SHARED_CACHE = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("DJANGO_CACHE_KEY_PREFIX", "circle"),
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
)
# Sessions carry their person's id, so a signed-in page reads both in one query
# (accounts/sessions/). With Redis they are read from it and written through to the database:
# a Redis restart logs nobody out.
SESSION_ENGINE = "accounts.sessions.cached_db" if REDIS_URL else "accounts.sessions.db"
CACHES = {
    "default": SHARED_CACHE,
    # Course content as every parent sees it, in each worker's own memory
    # (courses/content_cache.py). Keys carry the course's content_version, so an edit is seen at
    # once by every worker. Both worker caches hand back the objects they hold, unpickled and
    # never to be changed (circle/memory_cache.py).
    "content": {
        "BACKEND": "circle.memory_cache.SharedObjectCache",
        "LOCATION": "course-content",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Rendered HTML that is the same for many people (circle/fragments.py), in each worker's own
    # memory; keys carry the content version and every value the HTML depends on. Entries
    # average about 1.5 KB (a lesson's words 12 KB): two thousand keep a worker's memory flat,
    # the least recently used going first.
    "fragments": {
        "BACKEND": "circle.memory_cache.SharedObjectCache",
        "LOCATION": "fragments",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "courses:dashboard"

# django-allauth: the email address is the only login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("DJANGO_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "circle:home"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# A short notice by email when a password or an address of the account changes, so a change
# its owner did not make does not go unseen (templates/account/email/).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Mail in each person's language, with the site's name translated (accounts/adapter.py); also
# where people land after logging in, and invited sign-ups.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's limits, plus ours: deleting an account asks for the password, so its tries are
# limited as allauth limits password changes (accounts/views/data.py).
ACCOUNT_RATE_LIMITS = {"delete_account": "5/m/user,20/h/user"}

# Mail through Django's mailers: printed in development, SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Circle course <hello@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_MAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_mail = env_str("DJANGO_EMAIL", "console" if DEBUG else "smtp")
if _mail not in _MAIL_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_EMAIL must be one of {sorted(_MAIL_BACKENDS)}.")
_mail_options = {}
if _mail == "file":
    _mail_options = {"file_path": env_str("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
elif _mail == "smtp":
    _mail_options = {
        "host": env_str("DJANGO_SMTP_HOST", "localhost"),
        "port": env_int("DJANGO_SMTP_PORT", 587),
        "username": env_str("DJANGO_SMTP_USER", ""),
        "password": env_str("DJANGO_SMTP_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_SMTP_TLS", True),
        "timeout": 20,
    }
MAILERS = {"default": {"BACKEND": _MAIL_BACKENDS[_mail], "OPTIONS": _mail_options}}

# Background tasks (reminder emails) are rows in the database; any number of
# `manage.py db_worker` processes, on any number of machines, share them. Tests run them at once
# (ImmediateBackend, tests/conftest.py) or start real workers (tests/test_reminders_concurrency.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Reminders (reminders/): the hour they go out when a person has not chosen one, in TIME_ZONE.
REMINDERS_DEFAULT_HOUR = env_int("DJANGO_REMINDERS_HOUR", 9)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True


def languages_with_catalogues(locale_dir, default):
    """
    English (the language the site is written in) and every language that has a catalogue
    under locale/, each named in its own words: adding a language is adding its catalogue
    (README, "Languages"), with no change here.
    """
    from django.conf.locale import LANG_INFO

    codes = [default] + sorted(
        path.parent.parent.name.replace("_", "-").lower()
        for path in locale_dir.glob("*/LC_MESSAGES/django.po")
    )
    languages = []
    for code in dict.fromkeys(codes):
        info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0]) or {"name": code}
        # "English", not "British English": people pick the language, not the spelling.
        generic = LANG_INFO.get(code.split("-")[0], info)
        name = generic.get("name_local", generic["name"])
        languages.append((code, name[:1].upper() + name[1:]))
    return languages


# British English is the default and the language of the code; the others come from locale/.
LANGUAGE_CODE = "en-gb"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = languages_with_catalogues(BASE_DIR / "locale", LANGUAGE_CODE)
# Dates in words ("Monday 3 March", "lunes 3 de marzo"): circle/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["circle.formats"]
# The switcher's choice, for a year; people who are signed in also keep it on their account.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "circle.static_bundle.BundleFinder",
]
# One stylesheet per page: Bootstrap and the site's rules joined (see circle/static_bundle.py);
# and one script for the lesson page's in-place forms.
STATIC_BUNDLES = {
    "css/circle.css": [
        "vendor/bootstrap/bootstrap.min.css",
        "css/site.css",
        "css/lesson-extras.css",
    ],
    # The lesson page's in-place forms: htmx (vendored) and what it does after a swap.
    "js/lesson-tools.js": [
        "vendor/htmx/htmx.min.js",
        "js/in-place.js",
    ],
}
STATIC_BUNDLE_ROOT = env_str("DJANGO_STATIC_BUNDLE_ROOT", str(BASE_DIR / "var" / "static-bundles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production need `collectstatic`; development reads static/.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Content Security Policy: nothing inline, nothing from other hosts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
CSRF_FAILURE_VIEW = "circle.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Behind the TLS-terminating proxy the README recommends, every request comes from the proxy's
# address. One switch trusts what the proxy says: the scheme (X-Forwarded-Proto) and the
# visitor's address (the last X-Forwarded-For entry it added), so allauth's login limits and our
# join-code limits (accounts/ratelimit.py) count the person, not the proxy. Without it the
# header is ignored, so nobody can dodge a limit by sending their own X-Forwarded-For.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Proxies in front of the app that append to X-Forwarded-For (nginx alone: 1; a load
    # balancer in front of nginx: 2).
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1)

# The benchmark's app (its ceiling views and data builders, see bench/README.md): installed
# only when benchmarking, so production never has it.
if env_bool("DJANGO_BENCHMARK", False):
    INSTALLED_APPS += ["benchmark"]

# Everything goes to standard error once, through the root logger. Django's own "django" logger
# would otherwise print a record itself (in development) and hand it on to the root: two copies
# of each 500. A request with a Host header the site does not serve (scanners send many) is one
# line, without the traceback that says nothing more.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "circle.logs.WithoutTraceback"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "one_line": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["without_traceback"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.security.DisallowedHost": {"handlers": ["one_line"], "propagate": False},
    },
}
