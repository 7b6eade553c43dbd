"""
Personas, as in healthchecks' hc/test.py: a parent, a second parent, a facilitator, staff,
and anonymous (the plain `client`). And a small published course to work through.
"""

import datetime
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.utils import timezone, translation

from accounts.models import User
from circle.compiled import compiled_forget
from courses.models import Lesson
from reminders.sweep import reminders_sweep
from tests.factories import (
    CourseFactory,
    LessonFactory,
    MembershipFactory,
    ModuleFactory,
    ParentGroupFactory,
    ReflectionFactory,
    UserFactory,
)


def pytest_configure(config):
    """
    Compile a catalogue that changed since its .mo was built (`make test` does this too), so a
    bare `pytest` after pulling new translations does not test stale ones. Once, before the
    xdist workers start.
    """
    if hasattr(config, "workerinput"):
        return
    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", mo, po], check=True)  # noqa: S603, S607


@pytest.fixture
def parent(db):
    return UserFactory(email="parent@example.com", display_name="Pat")


@pytest.fixture
def second_parent(db):
    return UserFactory(email="second.parent@example.com", display_name="Kim")


@pytest.fixture
def facilitator(db):
    return UserFactory(email="facilitator@example.com", role=User.Role.FACILITATOR)


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def site_language():
    """
    Each test starts in the site's default language: a request in another language leaves it
    active in the thread (a server activates each request's own), and code a test calls outside
    a request would otherwise speak it.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_content_cache():
    """
    Each test starts with empty content and fragment caches: the database rolls back between
    tests (and with it the courses' content_version), while a worker's memory would not.
    """
    caches["content"].clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def compiled_reads_built_afresh_for_mutants():
    """
    mutmut runs each mutant in a process forked from one whose connection has already compiled
    the site's reads and writes (circle/compiled.py keeps them per connection): a mutant of a
    query's build function would never be built, so never caught. Under mutmut, each test
    compiles them afresh.
    """
    if os.environ.get("MUTANT_UNDER_TEST"):
        for connection in connections.all():
            compiled_forget(connection)


@pytest.fixture(autouse=True)
def shared_cache_of_its_own(settings):
    """
    With REDIS_URL set, the shared cache is Redis, which a test's rollback does not undo: each
    test gets a key prefix of its own (rate-limit counters, sessions), removed afterwards.
    """
    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("RedisCache"):
        yield
        return
    import redis

    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
    yield
    client = redis.Redis.from_url(default["LOCATION"])
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """
    Background tasks (reminder emails) run as soon as they are queued (on commit), in the test's
    own process. tests/test_reminders_concurrency.py runs real db_worker processes instead.
    """
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


def copy_english_course(source, target):
    """
    A copy of a course folder without its translations (NAME.<language>.md): for tests that
    change the English's structure (a choice, a term), which its translations would then no
    longer match, so the loader would rightly refuse them.
    """
    import shutil

    def translations(folder, names):
        return [name for name in names if name.count(".") > 1]

    shutil.copytree(source, target, ignore=translations)
    return target


def logged_in(user):
    """A browser of its own for this user, so several personas can act in one test."""
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def facilitator_client(facilitator):
    return logged_in(facilitator)


@pytest.fixture
def parent_client(parent):
    return logged_in(parent)


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


@pytest.fixture
def course(db):
    """A published course: two modules, three published lessons and one unpublished lesson."""
    course = CourseFactory(slug="circle", title="The circle")
    first = ModuleFactory(course=course, slug="first", title="First module", position=1)
    second = ModuleFactory(course=course, slug="second", title="Second module", position=2)
    LessonFactory(module=first, slug="one", title="Lesson one", position=1)
    LessonFactory(module=first, slug="two", title="Lesson two", position=2)
    LessonFactory(module=second, slug="three", title="Lesson three", position=1)
    LessonFactory(
        module=second, slug="hidden", title="Draft lesson", position=2, is_published=False
    )
    return course


@pytest.fixture
def second_facilitator(db):
    return UserFactory(email="second.facilitator@example.com", role=User.Role.FACILITATOR)


@pytest.fixture
def group(facilitator, parent, course):
    """Tuesday evening group on the `course`, run by `facilitator`, with `parent` in it."""
    group = ParentGroupFactory(
        name="Tuesday evening group",
        course=course,
        join_code="ABCDEFGH",
        facilitators=[facilitator],
    )
    MembershipFactory(group=group, user=parent)
    return group


@pytest.fixture
def world(course, group, facilitator, second_facilitator, parent, second_parent):
    """Two of everything a rule separates (tests/two_of_everything.py)."""
    from tests.two_of_everything import build_world

    return build_world(
        course=course,
        group=group,
        facilitator=facilitator,
        second_facilitator=second_facilitator,
        parent=parent,
        second_parent=second_parent,
    )


# The group report's and the shared reflections page's tests (test_group_report.py,
# test_shared_reflections_page.py): words that must show only where they were shared.
SHARED_MARKER = "SHARED-K9W2-for-my-facilitator"
PRIVATE_MARKER = "PRIVATE-7Q3X-only-mine"


@pytest.fixture
def reflections(group, parent, second_parent):
    """Pat shares a reflection on lesson one and keeps one on lesson two private; Kim keeps
    one on lesson one private."""
    MembershipFactory(group=group, user=second_parent)
    one, two = Lesson.objects.filter(slug__in=["one", "two"]).order_by("position")
    ReflectionFactory(user=parent, lesson=one, text=f"I noticed {SHARED_MARKER}.", shared=True)
    ReflectionFactory(user=parent, lesson=two, text=f"Just for me: {PRIVATE_MARKER}.")
    ReflectionFactory(user=second_parent, lesson=one, text=f"Kim's own {PRIVATE_MARKER}.")
    return group


@pytest.fixture
def sweep_at(django_capture_on_commit_callbacks):
    """Run the hourly sweep at that local moment; queued emails go out on commit, as live."""

    def run(day, hour=10):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(now=moment)

    return run
