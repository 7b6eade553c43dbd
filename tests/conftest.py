"""
Personas, as in healthchecks' hc/test.py: a parent, a second parent, a facilitator, staff,
and anonymous (the plain `client`). And a small published course to work through.
"""

import pytest
from django.core.cache import caches
from django.test import Client

from accounts.models import User
from tests.factories import (
    CourseFactory,
    LessonFactory,
    MembershipFactory,
    ModuleFactory,
    ParentGroupFactory,
    UserFactory,
)


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
def fresh_content_cache():
    """
    Each test starts with an empty content cache: the database rolls back between tests (and
    with it the courses' content_version), while a worker's memory would not.
    """
    caches["content"].clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


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
