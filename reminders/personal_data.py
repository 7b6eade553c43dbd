"""The reminders section of a person's data export (see accounts/personal_data.py)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import export_section
from reminders.models import PARENT_KINDS, DigestOptOut

MESSAGE_FIELDS = ["kind", "occasion", "status", "created_at", "sent_at"]


def _when(value):
    return value.isoformat() if value else None


@export_section(
    "reminders",
    kept=_(
        "Your reminder choices, and which reminder emails we sent you and when (never their "
        "words about you: we keep no copy of what they said)."
    ),
)
def _reminders(user):
    # One query: the person's row with their preferences and each message they were sent, both
    # joined (LEFT JOIN), one row per message (or one row when there is none).
    kinds = [str(kind) for kind in PARENT_KINDS]
    rows = list(
        User.objects.filter(pk=user.pk)
        .values(
            *[f"reminder_preference__{kind}" for kind in kinds],
            "reminder_preference__hour",
            *[f"messages_sent__{name}" for name in MESSAGE_FIELDS],
        )
        .order_by("messages_sent__created_at", "messages_sent__id")
    )
    first = rows[0] if rows else {}
    preferences = {kind: first.get(f"reminder_preference__{kind}") is not False for kind in kinds}
    hour = first.get("reminder_preference__hour")
    preferences["hour"] = settings.REMINDERS_DEFAULT_HOUR if hour is None else hour
    if user.is_facilitator:  # only facilitators get digests: parents' exports skip the query
        preferences["digest_turned_off_for_groups"] = list(
            DigestOptOut.objects.filter(user=user)
            .order_by("group__name")
            .values_list("group__name", flat=True)
        )
    return {
        "preferences": preferences,
        "messages_sent": [
            {
                "kind": row["messages_sent__kind"],
                "about": row["messages_sent__occasion"],
                "status": row["messages_sent__status"],
                "created_at": _when(row["messages_sent__created_at"]),
                "sent_at": _when(row["messages_sent__sent_at"]),
            }
            for row in rows
            if row["messages_sent__kind"] is not None
        ],
    }
