"""
The day before a group's session, each member gets "Your group meets tomorrow" at their hour,
through the reminders pipeline: once, in their language, with the day and time and never the
place; not when they turned it off, left the group, or the session moved or went.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from outcomes.session_reminders import (
    SessionNotWanted,
    session_soon_email_context,
    session_soon_rows,
)
from reminders.models import Kind, Message, ReminderPreference
from reminders.sending import message_send
from tests.factories import MembershipFactory, ParentGroupFactory, UserFactory
from tests.html_validator import validate
from tests.outcome_factories import GroupSessionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2030, 3, 5)  # a Tuesday
EVE = DAY - datetime.timedelta(days=1)


@pytest.fixture
def session(group):
    return GroupSessionFactory(group=group, date=DAY, time=datetime.time(18, 30), place="Room 2")


def reminders_sent():
    return [message for message in mail.outbox if "meets tomorrow" in message.subject]


def test_each_member_is_reminded_once_the_day_before(
    session, group, parent, second_parent, sweep_at, settings
):
    settings.SITE_URL = "https://course.example.org"
    MembershipFactory(group=group, user=second_parent)
    sweep_at(EVE - datetime.timedelta(days=1))  # two days before: nothing yet
    assert reminders_sent() == []
    sweep_at(EVE)
    sent = reminders_sent()
    assert sorted(message.to[0] for message in sent) == [parent.email, second_parent.email]
    message = next(message for message in sent if message.to == [parent.email])
    assert message.subject == "Tuesday evening group meets tomorrow"
    assert "Hello Pat," in message.body
    assert "meets tomorrow, Tuesday 5 March 2030, at 18:30." in message.body
    assert "https://course.example.org/dashboard/" in message.body
    assert "Room 2" not in message.body and "Room 2" not in message.alternatives[0].content
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sweep_at(EVE, hour=15)  # the same day again: nothing more
    assert len(reminders_sent()) == 2


def test_no_reminder_for_another_group_an_archived_one_or_a_closed_account(
    session, group, course, parent, sweep_at
):
    other = ParentGroupFactory(course=course)
    outsider = UserFactory()
    MembershipFactory(group=other, user=outsider)
    closed = UserFactory(is_active=False)
    MembershipFactory(group=group, user=closed)
    assert [row[1] for row in session_soon_rows(today=EVE)] == [parent.pk]
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    assert session_soon_rows(today=EVE) == []
    sweep_at(EVE)
    assert reminders_sent() == []


def test_it_waits_for_the_person_s_hour_and_respects_turning_it_off(
    session, parent, second_parent, group, sweep_at
):
    ReminderPreference.objects.create(user=parent, hour=19)
    MembershipFactory(group=group, user=second_parent)
    ReminderPreference.objects.create(user=second_parent, session_soon=False)
    sweep_at(EVE, hour=10)
    assert reminders_sent() == []
    skipped = Message.objects.get(kind=Kind.SESSION_SOON, user=second_parent)
    assert skipped.status == Message.Status.SKIPPED
    sweep_at(EVE, hour=19)
    assert [message.to for message in reminders_sent()] == [[parent.email]]


def test_a_session_without_a_time_gives_the_day(group, parent, sweep_at):
    GroupSessionFactory(group=group, date=DAY)
    sweep_at(EVE)
    [message] = reminders_sent()
    assert "meets tomorrow, Tuesday 5 March 2030." in message.body


def test_a_moved_session_is_not_reminded_for_its_old_day_but_for_its_new_one(
    session, parent, sweep_at, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    sweep_at(EVE)  # recorded, not sent yet
    session.date = DAY + datetime.timedelta(days=7)
    session.save(update_fields=["date"])
    message = Message.objects.get(kind=Kind.SESSION_SOON)
    assert message_send(message_id=message.pk) == Message.Status.SKIPPED
    message.refresh_from_db()
    assert message.error == "The session moved to another day."
    # The new day is a new occasion.
    rows = session_soon_rows(today=EVE + datetime.timedelta(days=7))
    assert [row[2] for row in rows] == [f"session:{session.pk}:{session.date.isoformat()}"]


def test_the_email_is_about_that_session_and_for_a_member_of_its_group_only(
    session, group, course, parent, second_parent, settings
):
    settings.SITE_URL = "https://course.example.org/"
    GroupSessionFactory(group=group, date=DAY + datetime.timedelta(days=7))  # a later one
    GroupSessionFactory(group=ParentGroupFactory(course=course), date=DAY)  # another group's
    MembershipFactory(group=group, user=second_parent)
    context = {"session": session.pk, "date": DAY.isoformat()}
    found = session_soon_email_context(user=parent, context=context)
    assert found["session"] == session and found["group"] == group
    assert found["dashboard_url"] == "https://course.example.org/dashboard/"
    # Left the group (while someone else stays, and while in another group): not sent.
    group.memberships.filter(user=parent).delete()
    MembershipFactory(group=ParentGroupFactory(course=course), user=parent)
    with pytest.raises(SessionNotWanted, match=r"^No longer in the group\.$"):
        session_soon_email_context(user=parent, context=context)
    # The group archived, or the session deleted: not sent to anyone.
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    with pytest.raises(SessionNotWanted, match=r"^The session is gone or its group is archived\.$"):
        session_soon_email_context(user=second_parent, context=context)
    group.archived_at = None
    group.save(update_fields=["archived_at"])
    session.delete()
    with pytest.raises(SessionNotWanted, match=r"^The session is gone or its group is archived\.$"):
        session_soon_email_context(user=second_parent, context=context)


def test_the_email_is_in_the_person_s_language(session, parent, sweep_at):
    parent.language = "es"
    parent.save(update_fields=["language"])
    sweep_at(EVE)
    [message] = [m for m in mail.outbox if "mañana" in m.subject]
    with translation.override("es"):
        assert message.subject == "Tuesday evening group se reúne mañana"
    assert "a las 18:30" in message.body


@pytest.mark.html
def test_the_email_is_valid_html(session, sweep_at):
    sweep_at(EVE)
    [message] = reminders_sent()
    assert validate({"session reminder": message.alternatives[0].content}) == []
