"""Factories for the outcomes app: a small check-in, answers, sessions and attendance."""

import datetime

import factory
from django.utils import timezone

from outcomes.checkins import checkin_record_version
from outcomes.models import (
    Attendance,
    Checkin,
    CheckinResponse,
    CheckinStatement,
    CheckinTheme,
    GroupSession,
    SessionGuide,
)

SCALE = ["Not at all like me", "A little", "Somewhat", "Quite", "Very like me"]


def make_checkin(course, *, follow_up_weeks=8, is_published=True):
    """
    A check-in on `course` with two themes: "calm" (c1, c2 reversed) and "repair" (r1, r2, r3
    with r3 reversed). Its first version is recorded.
    """
    checkin = Checkin.objects.create(
        course=course,
        title="Parent check-in",
        about="A reflection aid, not a validated clinical measure.",
        intro="How are *you* doing?",
        scale=SCALE,
        follow_up_weeks=follow_up_weeks,
        is_published=is_published,
    )
    calm = CheckinTheme.objects.create(checkin=checkin, key="calm", title="Calm", position=1)
    repair = CheckinTheme.objects.create(checkin=checkin, key="repair", title="Repair", position=2)
    for position, (theme, key, text, reverse) in enumerate(
        [
            (calm, "c1", "I stay calm.", False),
            (calm, "c2", "I snap quickly.", True),
            (repair, "r1", "I go back and make up.", False),
            (repair, "r2", "We feel close again.", False),
            (repair, "r3", "Sorry is hard for me.", True),
        ],
        start=1,
    ):
        CheckinStatement.objects.create(
            checkin=checkin, theme=theme, key=key, text=text, reverse=reverse, position=position
        )
    checkin_record_version(checkin=checkin)
    return checkin


def answer(user, checkin, moment, ratings, version=None):
    """Save `ratings` ({key: rating}) as the user's answers at `moment`."""
    version = version or checkin.versions.order_by("-number").first()
    return CheckinResponse.objects.create(
        user=user, checkin=checkin, version=version, moment=moment, answers=dict(ratings)
    )


def all_same(rating):
    return {key: rating for key in ("c1", "c2", "r1", "r2", "r3")}


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance


class SessionGuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionGuide

    agenda = "Say hello\nTalk\nSay goodbye"
    questions = "What did you notice?\nWhat helped?"
    pause = "Breathe for a minute."
    notes = "Go *gently*."
