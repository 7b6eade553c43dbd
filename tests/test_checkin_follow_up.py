"""
Who is invited to the follow-up check-in on a given day, and the invitation email: in the
person's language, with a link and no private content, sent through the reminders pipeline
(its hourly sweep, outbox, preferences and one-click unsubscribe).
"""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from outcomes.followup import (
    FOLLOW_UP_WINDOW_DAYS,
    FollowUpNotWanted,
    follow_up_due,
    follow_up_email_context,
    follow_up_invitations,
    follow_up_rows,
)
from outcomes.models import CheckinDecline
from reminders.models import Kind, Message, ReminderPreference
from reminders.sending import message_send
from tests.factories import CertificateFactory, UserFactory
from tests.outcome_factories import all_same, answer, make_checkin

FINISHED = datetime.date(2026, 3, 2)
DUE = FINISHED + datetime.timedelta(weeks=8)


def due(today, **changes):
    facts = {
        "finished_on": FINISHED,
        "weeks": 8,
        "today": today,
        "took_part": True,
        "answered_follow_up": False,
        "declined": False,
        **changes,
    }
    return follow_up_due(**facts)


def test_the_invitation_is_due_from_eight_weeks_after_finishing_for_four_weeks():
    assert not due(DUE - datetime.timedelta(days=1))
    assert due(DUE)
    assert due(DUE + datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS - 1))
    assert not due(DUE + datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS))


def test_no_invitation_without_taking_part_or_after_answering_or_declining():
    assert not due(DUE, took_part=False)
    assert not due(DUE, answered_follow_up=True)
    assert not due(DUE, declined=True)
    assert not due(DUE, weeks=0)
    assert not due(DUE, finished_on=None)


@pytest.fixture
def checkin(course):
    return make_checkin(course)


def finished(person, course, checkin, *, moments=("start", "end"), on=FINISHED):
    CertificateFactory(user=person, course=course, completed_on=on)
    for moment in moments:
        answer(person, checkin, moment, all_same(3))
    return person


@pytest.mark.django_db
def test_the_day_s_invitations_name_only_those_due(course, checkin):
    due_one = finished(UserFactory(), course, checkin)
    only_start = finished(UserFactory(), course, checkin, moments=("start",))
    finished(UserFactory(), course, checkin, moments=())  # never took part
    finished(UserFactory(), course, checkin, moments=("start", "follow_up"))  # answered
    said_no = finished(UserFactory(), course, checkin)
    CheckinDecline.objects.create(user=said_no, checkin=checkin, moment="follow_up")
    stopped = finished(UserFactory(), course, checkin)
    CheckinDecline.objects.create(user=stopped, checkin=checkin, moment="")
    closed = finished(UserFactory(), course, checkin)
    closed.is_active = False
    closed.save()
    finished(UserFactory(), course, checkin, on=FINISHED + datetime.timedelta(days=1))
    finished(UserFactory(), course, checkin, on=FINISHED - datetime.timedelta(days=40))
    invitations = follow_up_invitations(today=DUE)
    assert [invitation.user_id for invitation in invitations] == sorted([due_one.pk, only_start.pk])
    rows = follow_up_rows(today=DUE)
    assert rows[0] == (
        "checkin_follow_up",
        due_one.pk,
        f"checkin:{checkin.pk}:follow_up",
        {"checkin": checkin.pk, "course": course.pk},
    )


@pytest.mark.django_db
def test_an_unpublished_check_in_or_one_without_follow_up_invites_nobody(course, checkin):
    finished(UserFactory(), course, checkin)
    checkin.follow_up_weeks = 0
    checkin.save()
    assert follow_up_invitations(today=DUE) == []
    checkin.follow_up_weeks = 8
    checkin.is_published = False
    checkin.save()
    assert follow_up_invitations(today=DUE) == []


@pytest.mark.django_db
def test_the_sweep_sends_the_invitation_with_a_link_and_nothing_private(
    course, checkin, parent, sweep_at, second_parent, settings
):
    settings.SITE_URL = "https://course.example.org"
    finished(parent, course, checkin)
    finished(second_parent, course, checkin, moments=())  # never took part: not invited
    sweep_at(DUE)
    [message] = mail.outbox
    assert message.to == [parent.email]
    assert message.subject == "A few weeks on from The circle: a short check-in"
    assert "Hello Pat," in message.body
    assert "https://course.example.org/checkins/circle/follow_up/" in message.body
    assert "only you see your answers" in message.body
    html = message.alternatives[0].content
    assert 'href="https://course.example.org/checkins/circle/follow_up/"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reminders/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    for private in ("3.0", "I stay calm", "Calm"):
        assert private not in message.body and private not in html
    outbox = Message.objects.get(kind=Kind.CHECKIN_FOLLOW_UP)
    assert (outbox.user, outbox.status) == (parent, Message.Status.SENT)
    sweep_at(DUE)  # again, and the next day: nothing more
    sweep_at(DUE + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_invitation_waits_for_the_person_s_hour(course, checkin, parent, sweep_at):
    ReminderPreference.objects.create(user=parent, hour=19)
    finished(parent, course, checkin)
    sweep_at(DUE, hour=10)
    assert mail.outbox == []
    sweep_at(DUE, hour=19)
    assert [message.to for message in mail.outbox] == [[parent.email]]


@pytest.mark.django_db
def test_a_parent_who_turned_it_off_gets_nothing(course, checkin, parent, sweep_at):
    ReminderPreference.objects.create(user=parent, checkin_follow_up=False)
    finished(parent, course, checkin)
    sweep_at(DUE)
    assert mail.outbox == []
    assert Message.objects.get(kind=Kind.CHECKIN_FOLLOW_UP).status == Message.Status.SKIPPED


@pytest.mark.django_db
def test_the_email_is_written_in_the_person_s_language(course, checkin, parent, sweep_at, settings):
    parent.language = "es"
    parent.save(update_fields=["language"])
    finished(parent, course, checkin)
    seen = []
    original = translation.override

    class Spy(original):
        def __init__(self, language, *args, **kwargs):
            seen.append(language)
            super().__init__(language, *args, **kwargs)

    translation.override = Spy
    try:
        sweep_at(DUE)
    finally:
        translation.override = original
    assert "es" in seen and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_invitation_no_longer_wanted_is_not_sent(course, checkin, parent, sweep_at, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    finished(parent, course, checkin)
    sweep_at(DUE)  # recorded, not sent yet
    answer(parent, checkin, "follow_up", all_same(4))  # they answered meanwhile
    message = Message.objects.get(kind=Kind.CHECKIN_FOLLOW_UP)
    assert message_send(message_id=message.pk) == Message.Status.SKIPPED
    assert mail.outbox == []
    with pytest.raises(FollowUpNotWanted):
        follow_up_email_context(user=parent, context={"checkin": 0})
