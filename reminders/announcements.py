"""Announcements: a facilitator's short news for a group, on dashboards and by email."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Membership
from reminders.models import Announcement, Kind
from reminders.outbox import messages_record_and_queue
from reminders.sweep import verified

DASHBOARD_DAYS = 21  # how long an announcement stays on the members' dashboards


def announcement_post(*, group, author, text, key):
    """
    Post an announcement and email it to the members who have not turned announcements off.
    A second submit of the same form (same key) returns the first one and sends nothing more.
    Returns (announcement, created).
    """
    try:
        with transaction.atomic():
            announcement = Announcement.objects.create(
                group=group, author=author, text=text.strip(), key=key
            )
            recipients = (
                Membership.objects.filter(group=group, user__is_active=True)
                .filter(verified(user_ref="user_id", email_ref="user__email"))
                .exclude(user__reminder_preference__announcement=False)
                .values_list("user_id", flat=True)
            )
            occasion = f"announcement:{announcement.pk}"
            context = {"announcement": announcement.pk, "group": group.pk}
            messages_record_and_queue(
                rows=[(Kind.ANNOUNCEMENT, user_id, occasion, context) for user_id in recipients]
            )
            return announcement, True
    except IntegrityError:
        return Announcement.objects.get(group=group, key=key), False


def latest_announcement_annotations():
    """
    {name: function(today) -> expression} for each group's latest announcement of the last
    DASHBOARD_DAYS: its text and when it was posted (None when there is none).
    """

    def latest(field):
        def make(today):
            since = timezone.make_aware(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=DASHBOARD_DAYS), datetime.time.min
                )
            )
            return Subquery(
                Announcement.objects.filter(group=OuterRef("pk"), created_at__gte=since)
                .order_by("-created_at", "-id")
                .values(field)[:1]
            )

        return make

    return {
        "latest_announcement_text": latest("text"),
        "latest_announcement_at": latest("created_at"),
    }


def announcements_for_group(*, group, limit=5):
    return list(group.announcements.select_related("author").order_by("-created_at", "-id")[:limit])
