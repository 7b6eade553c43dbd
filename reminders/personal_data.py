"""The reminders sections of a person's data export (see accounts/personal_data.py)."""

from accounts.personal_data import export_section
from reminders.models import DigestOptOut, Message, ReminderPreference


def _when(value):
    return value.isoformat() if value else None


@export_section("reminder_preferences")
def _preferences(user):
    preference = ReminderPreference.objects.filter(user=user).first() or ReminderPreference()
    return {
        "module_opens": preference.module_opens,
        "suggested_soon": preference.suggested_soon,
        "welcome_back": preference.welcome_back,
        "practice": preference.practice,
        "announcements": preference.announcement,
        "nudges": preference.nudge,
        "hour": preference.send_hour,
        "digest_turned_off_for_groups": list(
            DigestOptOut.objects.filter(user=user)
            .order_by("group__name")
            .values_list("group__name", flat=True)
        ),
    }


@export_section("messages_sent")
def _messages(user):
    return [
        {
            "kind": row.kind,
            "about": row.occasion,
            "status": row.status,
            "created_at": _when(row.created_at),
            "sent_at": _when(row.sent_at),
        }
        for row in Message.objects.filter(user=user).order_by("created_at", "id")
    ]
