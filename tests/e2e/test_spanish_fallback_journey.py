"""
axe and the HTML checker on the Spanish pages where English shows through: a Spanish parent
reads a lesson in Spanish, then one with no translation (in English, with its note and
lang="en-GB"), and their course page and dashboard, which name that lesson in English.
"""

import pytest
from django.conf import settings
from django.test import Client

from courses.models import Lesson
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = "circle-of-security"


def signed_in(visitor, user):
    """The visitor's browser carries a session of `user` (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    visitor.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": visitor.base}]
    )


def test_spanish_pages_showing_english_are_clean_for_axe_and_the_checker(visit, real_course):
    lessons = list(Lesson.objects.filter(module__course__slug=COURSE).in_course_order())
    english = lessons[1]
    english.translations = {}
    english.save()
    parent = visit(locale="es-ES")
    signed_in(parent, UserFactory(email="lucia@example.com", language="es"))
    page = parent.page

    parent.goto(lessons[0].get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").get_attribute("lang") is None
    parent.goto(english.get_absolute_url())
    assert page.locator("h1").get_attribute("lang") == "en-GB"
    assert page.get_by_text("Esta lección aún no está en tu idioma").is_visible()
    parent.goto(f"/courses/{COURSE}/")
    link = page.locator(f"#lesson-{english.slug} a")
    assert link.get_attribute("lang") == "en-GB"
    parent.goto("/dashboard/")
    parent.assert_clean()
