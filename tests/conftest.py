"""
Personas, as in healthchecks' hc/test.py: a parent, a second parent, a facilitator, staff,
and anonymous (the plain `client`). And a small published course to work through.
"""

import pytest

from accounts.models import User
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, UserFactory


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


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def parent_client(client, parent):
    client.force_login(parent)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


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


def lesson_url(course_slug, lesson_slug):
    return f"/courses/{course_slug}/{lesson_slug}/"
