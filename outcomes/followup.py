"""
The follow-up check-in by email: who is due an invitation on a given day, and the email itself.

A parent is invited once, from `follow_up_weeks` after the day they finished the course (their
certificate's date) and for FOLLOW_UP_WINDOW_DAYS after that: an invitation months late would
only puzzle them. Only parents who answered the check-in at the start or the end are invited,
never one who already answered the follow-up, said "not now" to it or stopped the check-ins,
and never to an account that is closed.

The sending belongs to the reminders app's pipeline (its outbox row per (kind, person,
occasion) under a unique constraint, its hourly sweep, task queue, preferences and one-click
unsubscribe): outcomes/apps.py registers this kind there (reminders/registry.py) with
`follow_up_rows`, the rows due on a day, and `follow_up_email_context`, what the email
(templates/outcomes/email/checkin_follow_up*) needs.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from courses.models import Certificate
from outcomes.models import Checkin, CheckinDecline, CheckinResponse, Moment
from reminders.registry import NotWanted

KIND = "checkin_follow_up"  # reminders.models.Kind.CHECKIN_FOLLOW_UP
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


class FollowUpNotWanted(NotWanted):
    """The invitation should no longer go out (the reason says why; the outbox records it)."""


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


# The email's templates: _subject.txt, .txt and .html (reminders renders them, in the
# person's language, with its own unsubscribe and preferences links).
TEMPLATE_BASE = "outcomes/email/checkin_follow_up"
