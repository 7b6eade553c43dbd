"""
The follow-up check-in by email: who is due an invitation on a given day, and the email itself.

A parent is invited once, from `follow_up_weeks` after the day they finished the course (their
certificate's date) and for FOLLOW_UP_WINDOW_DAYS after that: an invitation months late would
only puzzle them. Only parents who answered the check-in at the start or the end are invited,
never one who already answered the follow-up, said "not now" to it or stopped the check-ins,
and never to an account that is closed.

The sending belongs to the reminders app's pipeline (its outbox row per (kind, person,
occasion) under a unique constraint, its task queue and its preferences): `follow_up_rows`
gives the rows in its shape, and `follow_up_email_context` what its sender needs to render
the email (templates/outcomes/email/checkin_follow_up*). To connect them, in reminders:
a Kind CHECKIN_FOLLOW_UP = KIND with a ReminderPreference field of that name (in
PARENT_KINDS); the hourly sweep records `follow_up_rows(today=...)` for the people whose hour
it is, through messages_record_and_queue; and the sender's KIND_CONTEXT entry calls
`follow_up_email_context`, turning FollowUpNotWanted into its NotWanted, with the templates
above as that kind's email.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from courses.models import Certificate
from outcomes.models import Checkin, CheckinDecline, CheckinResponse, Moment

KIND = "checkin_follow_up"  # the reminders kind this would be sent as
FOLLOW_UP_WINDOW_DAYS = 28


def follow_up_due(*, finished_on, weeks, today, took_part, answered_follow_up, declined):
    """Whether a parent who finished on `finished_on` is due the invitation on `today`."""
    if not weeks or finished_on is None or not took_part or answered_follow_up or declined:
        return False
    due = finished_on + datetime.timedelta(weeks=weeks)
    return due <= today < due + datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)


@dataclass(frozen=True)
class FollowUpInvitation:
    user_id: int
    checkin_id: int
    course_id: int

    @property
    def occasion(self):
        # One invitation per person and check-in, ever: the outbox's unique constraint.
        return f"checkin:{self.checkin_id}:follow_up"

    @property
    def context(self):
        return {"checkin": self.checkin_id, "course": self.course_id}


def follow_up_invitations(*, today):
    """Every FollowUpInvitation due on `today`: one query per check-in (courses are few)."""
    found = []
    checkins = Checkin.objects.filter(
        is_published=True, course__is_published=True, follow_up_weeks__gt=0
    )
    for checkin in checkins:
        latest = today - datetime.timedelta(weeks=checkin.follow_up_weeks)
        earliest = latest - datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS - 1)
        answers = CheckinResponse.objects.filter(checkin=checkin, user_id=OuterRef("user_id"))
        rows = (
            Certificate.objects.filter(
                course_id=checkin.course_id,
                completed_on__range=(earliest, latest),
                user__is_active=True,
            )
            .annotate(
                took_part=Exists(answers.filter(moment__in=[Moment.START, Moment.END])),
                answered_follow_up=Exists(answers.filter(moment=Moment.FOLLOW_UP)),
                declined=Exists(
                    CheckinDecline.objects.filter(
                        Q(moment=Moment.FOLLOW_UP) | Q(moment=CheckinDecline.ALL),
                        checkin=checkin,
                        user_id=OuterRef("user_id"),
                    )
                ),
            )
            .values_list("user_id", "completed_on", "took_part", "answered_follow_up", "declined")
            .order_by("user_id")
        )
        for user_id, finished_on, took_part, answered, declined in rows:
            if follow_up_due(
                finished_on=finished_on,
                weeks=checkin.follow_up_weeks,
                today=today,
                took_part=took_part,
                answered_follow_up=answered,
                declined=declined,
            ):
                found.append(FollowUpInvitation(user_id, checkin.pk, checkin.course_id))
    return found


def follow_up_rows(*, today):
    """The invitations as reminders' outbox rows: (kind, user id, occasion, context)."""
    return [
        (KIND, invitation.user_id, invitation.occasion, invitation.context)
        for invitation in follow_up_invitations(today=today)
    ]


class FollowUpNotWanted(Exception):
    """The invitation should no longer go out (the reason says why)."""


def follow_up_email_context(*, user, context):
    """
    What the email templates need, for a recorded invitation's `context`; FollowUpNotWanted if
    it should no longer be sent (answered meanwhile, declined, the check-in unpublished).
    Nothing the parent wrote or answered is in it: only the course and a link.
    """
    checkin = (
        Checkin.objects.select_related("course")
        .filter(pk=context.get("checkin"), is_published=True, course__is_published=True)
        .first()
    )
    if checkin is None:
        raise FollowUpNotWanted("The check-in is no longer published.")
    if CheckinResponse.objects.filter(user=user, checkin=checkin, moment=Moment.FOLLOW_UP).exists():
        raise FollowUpNotWanted("Already answered.")
    if CheckinDecline.objects.filter(
        user=user, checkin=checkin, moment__in=[Moment.FOLLOW_UP, CheckinDecline.ALL]
    ).exists():
        raise FollowUpNotWanted("Declined.")
    path = reverse("outcomes:checkin", args=[checkin.course.slug, Moment.FOLLOW_UP])
    return {
        "course": checkin.course,
        "checkin_url": settings.SITE_URL.rstrip("/") + path,
        "name": user.get_short_name(),
    }


TEMPLATE_BASE = "outcomes/email/checkin_follow_up"


def language_of(user):
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def follow_up_email(*, user, context, extra=None):
    """
    (subject, text, html) of the invitation, in the person's language. `extra` adds the
    sender's own links (reminders passes unsubscribe_url and preferences_url).
    """
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language_of(user)):
        values = {**follow_up_email_context(user=user, context=context), **(extra or {})}
        subject = " ".join(render_to_string(f"{TEMPLATE_BASE}_subject.txt", values).split())
        text = render_to_string(f"{TEMPLATE_BASE}.txt", values)
        html = render_to_string(f"{TEMPLATE_BASE}.html", values)
    return subject, text, html
