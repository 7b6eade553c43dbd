"""
The Spanish pages of the real course are valid HTML as the server sends them: a lesson in
Spanish, a lesson with no translation shown in English with its note (marked lang="en-GB"),
the course page and the dashboard. (tests/e2e/test_spanish_journey.py runs axe on them.)
"""

import pytest
from django.urls import reverse

from courses.loader import CONTENT_DIR, course_load
from courses.models import Lesson
from tests.conftest import logged_in
from tests.html_validator import validate

pytestmark = [pytest.mark.django_db, pytest.mark.html]

COURSE = "circle-of-security"


def test_spanish_pages_with_an_english_fallback_are_valid_html(parent):
    course_load(path=CONTENT_DIR / COURSE)
    lessons = list(Lesson.objects.filter(module__course__slug=COURSE).in_course_order())
    untranslated = lessons[1]
    untranslated.translations = {}
    untranslated.save()
    parent.language = "es"
    parent.save(update_fields=["language"])
    browser = logged_in(parent)
    browser.post(
        reverse("courses:lesson-complete", args=[COURSE, lessons[0].slug]), {"complete": "yes"}
    )
    pages = {
        "Spanish lesson": lessons[0].get_absolute_url(),
        "English fallback lesson": untranslated.get_absolute_url(),
        "course": reverse("courses:course", args=[COURSE]),
        "dashboard": reverse("courses:dashboard"),
    }
    documents = {name: browser.get(url).content.decode() for name, url in pages.items()}
    assert "aquí la tienes en inglés" in documents["English fallback lesson"]
    assert f'<h1 lang="en-GB">{untranslated.title}</h1>' in documents["English fallback lesson"]
    # The dashboard resumes at the English lesson, and marks it.
    assert f'lang="en-GB">{untranslated.title}</a>' in documents["dashboard"]
    assert all('<html lang="es"' in html for html in documents.values())
    assert validate(documents) == []
