"""The new pages keep to the strict CSP (no inline styles or scripts) and label their controls."""

import re

import pytest
from django.urls import reverse

from courses.models import Lesson
from tests.factories import (
    CertificateFactory,
    PracticeNoteFactory,
    ReflectionFactory,
    add_questions,
)

pytestmark = pytest.mark.django_db


def test_new_pages_have_no_inline_styles_or_scripts_and_every_control_is_labelled(
    parent_client, parent, course
):
    lesson = Lesson.objects.get(slug="one")
    add_questions(lesson, 2)
    reflection = ReflectionFactory(user=parent, lesson=lesson)
    note = PracticeNoteFactory(user=parent, lesson=lesson)
    certificate = CertificateFactory(user=parent, course=course)
    urls = [
        reverse("courses:lesson", args=["circle", "one"]),
        reverse("courses:journal"),
        reverse("courses:practice-note-edit", args=[note.pk]),
        reverse("courses:practice-note-delete", args=[note.pk]),
        reverse("courses:reflection-delete", args=[reflection.pk]),
        reverse("courses:certificate", args=["circle"]),
        reverse("courses:certificate-verify", args=[certificate.code]),
        reverse("accounts:my-data"),
        reverse("accounts:delete"),
    ]
    for url in urls:
        response = parent_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert "<style" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        for control_id in re.findall(
            r'<(?:input|textarea|select)(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html
        ):
            assert f'for="{control_id}"' in html, (url, control_id)
