"""
Journey: a parent opens Reminders from the menu, turns one kind off and picks an hour; their
facilitator posts an announcement and sends a kind nudge from the report; the parent sees the
announcement on their dashboard (and both emails arrive).
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Membership, ParentGroup, User
from courses.models import Course, Lesson, LessonProgress
from reminders.models import ReminderPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reminders_announcement_and_nudge(visit, real_course):
    facilitator_user = UserFactory(
        email="fac@example.com", display_name="Alex", role=User.Role.FACILITATOR
    )
    sam = UserFactory(email="sam@example.com", display_name="Sam")
    group = ParentGroup.objects.create(name="Tuesday evening group", course=Course.objects.get())
    group.facilitators.add(facilitator_user)
    membership = Membership.objects.create(group=group, user=sam)
    Membership.objects.filter(pk=membership.pk).update(
        joined_at=timezone.now() - datetime.timedelta(days=30)
    )
    long_ago = timezone.now() - datetime.timedelta(days=16)
    LessonProgress.objects.create(
        user=sam,
        lesson=Lesson.objects.order_by("pk").first(),
        started_at=long_ago,
        last_seen_at=long_ago,
    )

    parent = visit(width=390, height=844)
    ppage = parent.page
    parent.log_in("sam@example.com")
    menu = ppage.locator("summary", has_text="Menu")  # the phone menu (a <details>)
    if menu.is_visible():
        menu.click()
    ppage.get_by_role("link", name="Reminders").click()
    parent.check()
    assert ppage.get_by_role("heading", name="Reminders", level=1).is_visible()
    ppage.get_by_label("This week's practice, three days after a lesson").uncheck()
    ppage.get_by_label("The hour I like to get them").select_option(label="20:00")
    ppage.get_by_role("button", name="Save my choices").click()
    parent.check()
    assert ppage.get_by_text("Your reminder choices are saved.").is_visible()
    preference = ReminderPreference.objects.get(user=sam)
    assert preference.practice is False and preference.hour == 20
    assert ppage.get_by_label("The hour I like to get them").input_value() == "20"

    facilitator = visit()
    fpage = facilitator.page
    facilitator.log_in("fac@example.com")
    fpage.get_by_role("link", name="My groups").click()
    facilitator.check()
    fpage.get_by_role("link", name="Tuesday evening group").click()
    facilitator.check()
    fpage.get_by_role("textbox", name=re.compile(r"^\s*Announcement")).fill(
        "No session next Tuesday."
    )
    fpage.get_by_role("button", name="Post to the group").click()
    facilitator.check()
    assert fpage.get_by_text("Your announcement is posted").is_visible()

    fpage.get_by_role("link", name="Progress report").click()
    facilitator.check()
    assert fpage.get_by_role("heading", name="Who may need a hand").is_visible()
    fpage.get_by_label("A sentence of your own for Sam (optional)").fill("We missed you!")
    fpage.get_by_role("button", name="Send a kind nudge to Sam").click()
    facilitator.check()
    assert fpage.get_by_text("A kind nudge is on its way to Sam.").is_visible()
    assert fpage.get_by_text(re.compile("Nudged on")).is_visible()

    parent.goto("/dashboard/")
    assert ppage.get_by_role("heading", name="News from my groups").is_visible()
    assert ppage.get_by_text("No session next Tuesday.").is_visible()

    subjects = sorted(email.subject for email in mail.outbox if email.to == ["sam@example.com"])
    assert subjects == [
        "News from Tuesday evening group",
        "Thinking of you, from Tuesday evening group",
    ]
    parent.assert_clean()
    facilitator.assert_clean()
