"""Every outcomes page, as the server sends it, is valid HTML with no inline script or style."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Module
from tests.conftest import logged_in
from tests.factories import MembershipFactory, UserFactory
from tests.html_validator import validate
from tests.outcome_factories import (
    AttendanceFactory,
    GroupSessionFactory,
    SessionGuideFactory,
    all_same,
    answer,
    make_checkin,
)

pytestmark = [pytest.mark.django_db, pytest.mark.html]


def test_outcomes_pages_are_valid_html(
    parent_client, parent, second_parent, facilitator_client, staff_client, group, course
):
    checkin = make_checkin(course)
    module = Module.objects.get(slug="first")
    SessionGuideFactory(module=module)
    people = [parent, *(UserFactory() for _ in range(5))]
    for person in people[1:]:
        MembershipFactory(group=group, user=person)
    for number, person in enumerate(people):
        answer(person, checkin, "start", all_same(2))
        answer(person, checkin, "end", all_same(2 + number % 3))
    session = GroupSessionFactory(group=group, module=module, place="Room 2")
    AttendanceFactory(session=session, user=parent)
    GroupSessionFactory(group=group, date=timezone.localdate() + datetime.timedelta(days=7))
    newcomer = logged_in(second_parent)
    bad_answer = newcomer.post(
        reverse("outcomes:checkin-answer", args=["circle", "start"]), {"c1": "3"}
    )
    assert bad_answer.status_code == 400
    pages = {
        "dashboard with a card": newcomer.get(reverse("courses:dashboard")),
        "course page with a card": newcomer.get(reverse("courses:course", args=["circle"])),
        "consent": newcomer.get(reverse("outcomes:checkin", args=["circle", "start"])),
        "statements": newcomer.get(reverse("outcomes:checkin-answer", args=["circle", "start"])),
        "statements with a missing answer": bad_answer,
        "my check-ins, empty": newcomer.get(reverse("outcomes:my-checkins", args=["circle"])),
        "my check-ins": parent_client.get(reverse("outcomes:my-checkins", args=["circle"])),
        "delete": parent_client.get(reverse("outcomes:checkin-delete", args=["circle"])),
        "my data": parent_client.get(reverse("accounts:my-data")),
        "group page": facilitator_client.get(
            reverse("accounts:facilitator-group", args=[group.pk])
        ),
        "sessions": facilitator_client.get(reverse("outcomes:sessions", args=[group.pk])),
        "attendance": facilitator_client.get(
            reverse("outcomes:session-attendance", args=[group.pk, session.pk])
        ),
        "change a session": facilitator_client.get(
            reverse("outcomes:session-edit", args=[group.pk, session.pk])
        ),
        "change a session, refused": facilitator_client.post(
            # As a browser can send it: a day, and a module that is not (or no longer) there.
            reverse("outcomes:session-edit", args=[group.pk, session.pk]),
            {"date": "2026-03-10", "module": 999999},
        ),
        "guide": facilitator_client.get(
            reverse("outcomes:session-guide", args=[group.pk, module.pk])
        ),
        "report": facilitator_client.get(reverse("outcomes:report", args=[group.pk])),
        "course report": staff_client.get(reverse("outcomes:course-report", args=["circle"])),
    }
    documents = {}
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        html = response.content.decode()
        assert not re.search(r"\sstyle=|<style|<script(?![^>]*\bsrc=)", html), name
        documents[name] = html
    assert (
        "<svg" in documents["report"] and "Start the check-in" in documents["dashboard with a card"]
    )
    assert validate(documents) == []


def test_the_too_few_page_is_valid_html(facilitator_client, group, course):
    make_checkin(course)
    response = facilitator_client.get(reverse("outcomes:report-csv", args=[group.pk]))
    assert validate({"too few": response.content.decode()}) == []
