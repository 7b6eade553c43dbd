"""
"Your group meets tomorrow": an email to each member of a group the day before one of its
sessions, at the hour they chose for reminders, through the reminders pipeline (its outbox row
per (kind, person, occasion), hourly sweep, task queue, preferences and one-click unsubscribe;
registered in outcomes/apps.py, reminders/registry.py).

A session moved to another day is a new occasion, so its members hear of the new day; one
moved, cancelled or left behind before the email goes out is not sent. The email says the
day and time, never the place: that stays with the facilitators.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from accounts.models import Membership
from outcomes.models import GroupSession
from reminders.registry import NotWanted

KIND = "session_soon"  # reminders.models.Kind.SESSION_SOON
TEMPLATE_BASE = "outcomes/email/session_soon"


def session_soon_rows(*, today):
    """
    The outbox rows for tomorrow's sessions of active groups: (kind, member id, occasion,
    context) for each active member. One query.
    """
    tomorrow = today + datetime.timedelta(days=1)
    members = (
        Membership.objects.filter(
            group__sessions__date=tomorrow,
            group__archived_at__isnull=True,
            user__is_active=True,
        )
        .values_list("user_id", "group__sessions__pk")
        .order_by("group__sessions__pk", "user_id")
    )
    return [
        (
            KIND,
            user_id,
            f"session:{session_id}:{tomorrow.isoformat()}",
            {"session": session_id, "date": tomorrow.isoformat()},
        )
        for user_id, session_id in members
    ]


class SessionNotWanted(NotWanted):
    """The reminder should no longer go out (the reason says why; the outbox records it)."""


def session_soon_email_context(*, user, context):
    """
    What the email templates need for a recorded reminder's `context`; SessionNotWanted when
    the session has gone, moved to another day, its group is archived or the person left it.
    """
    session = (
        GroupSession.objects.select_related("group")
        .filter(pk=context.get("session"), group__archived_at__isnull=True)
        .first()
    )
    if session is None:
        raise SessionNotWanted("The session is gone or its group is archived.")
    if session.date.isoformat() != context.get("date"):
        raise SessionNotWanted("The session moved to another day.")
    if not Membership.objects.filter(group=session.group, user=user).exists():
        raise SessionNotWanted("No longer in the group.")
    return {
        "group": session.group,
        "session": session,
        "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("courses:dashboard"),
    }
