"""The reminders pages and emails, as the server sends them, are valid HTML (Nu HTML Checker)."""

import datetime
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reminders.models import Kind
from reminders.tokens import unsubscribe_token
from tests.factories import LessonProgressFactory, ParentGroupFactory
from tests.html_validator import validate

pytestmark = [pytest.mark.django_db, pytest.mark.html]


def test_reminders_pages_and_includes_are_valid_html(
    django_capture_on_commit_callbacks,
    facilitator,
    facilitator_client,
    parent_client,
    parent,
    group,
):
    ParentGroupFactory(course=group.course, name="Second group", facilitators=[facilitator])
    membership = group.memberships.get()
    membership.joined_at = timezone.now() - datetime.timedelta(days=30)
    membership.save()
    LessonProgressFactory(
        user=parent,
        lesson=group.course.modules.first().lessons.first(),
        started_at=timezone.now() - datetime.timedelta(days=20),
        last_seen_at=timezone.now() - datetime.timedelta(days=20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(
            reverse("reminders:announcement-post", args=[group.pk]),
            {"text": "No session next Tuesday.\nSee you the week after.", "key": uuid.uuid4()},
        )
        facilitator_client.post(
            reverse("reminders:nudge", args=[group.pk, parent.pk]), {"note": "Hello <you>!"}
        )
    token = unsubscribe_token(user_id=parent.pk, kind=Kind.PRACTICE)
    unsubscribe = reverse("reminders:unsubscribe", args=[token])
    documents = {
        "preferences (parent)": parent_client.get(reverse("reminders:preferences")),
        "preferences (facilitator)": facilitator_client.get(reverse("reminders:preferences")),
        "preferences with an error": parent_client.post(
            reverse("reminders:preferences"), {"hour": "99"}
        ),
        "dashboard with an announcement": parent_client.get(reverse("courses:dashboard")),
        "group page with announcements": facilitator_client.get(
            reverse("accounts:facilitator-group", args=[group.pk])
        ),
        "report with who may need a hand": facilitator_client.get(
            reverse("courses:facilitator-report", args=[group.pk])
        ),
        "announcement with an error": facilitator_client.post(
            reverse("reminders:announcement-post", args=[group.pk]), {"text": ""}
        ),
        "unsubscribe: confirm": Client().get(unsubscribe),
        "unsubscribe: done": Client().post(unsubscribe),
    }
    documents = {name: response.content.decode() for name, response in documents.items()}
    assert "No session next Tuesday." in documents["dashboard with an announcement"]
    assert "Nudged on" in documents["report with who may need a hand"]
    emails = {
        f"email {number}: {email.subject}": email.alternatives[0][0]
        for number, email in enumerate(mail.outbox)
    }
    assert len(emails) == 2
    assert validate({**documents, **emails}) == []
