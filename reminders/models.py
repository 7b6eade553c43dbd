"""
What the site sends people and what they chose to get.

Message is the outbox: one row per email, under a unique (kind, user, occasion), so a sweep may
run as often as it likes and on as many machines as it likes and still send each reminder once.
A row holds the kind, the occasion and a few ids to render it with (`context`), never a rendered
body: nothing a parent wrote is ever stored in it or quoted in an email.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ANNOUNCEMENT_MAX_LENGTH = 500
NUDGE_NOTE_MAX_LENGTH = 200


class Kind(models.TextChoices):
    MODULE_OPENS = "module_opens", _("A planned module opens")
    SUGGESTED_SOON = "suggested_soon", _("A module's suggested day is near")
    WELCOME_BACK = "welcome_back", _("Welcome back after a quiet spell")
    PRACTICE = "practice", _("This week's practice")
    ANNOUNCEMENT = "announcement", _("Announcements from my group")
    NUDGE = "nudge", _("A kind word from my facilitator")
    DIGEST = "digest", _("Weekly group digest")
    # Decided and worded by outcomes (reminders/registry.py).
    CHECKIN_FOLLOW_UP = "checkin_follow_up", _("An invitation to the follow-up check-in")
    SESSION_SOON = "session_soon", _("My group meets tomorrow")  # outcomes/session_reminders.py


# The kinds a person can turn on or off on the Reminders page, each a ReminderPreference field.
PARENT_KINDS = [
    Kind.MODULE_OPENS,
    Kind.SUGGESTED_SOON,
    Kind.WELCOME_BACK,
    Kind.PRACTICE,
    Kind.ANNOUNCEMENT,
    Kind.NUDGE,
    Kind.CHECKIN_FOLLOW_UP,
    Kind.SESSION_SOON,
]


class ReminderPreference(models.Model):
    """
    A person's choices. No row means the defaults: every kind on, at the site's default hour.
    The hour is in the site's time zone (settings.TIME_ZONE).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    module_opens = models.BooleanField(_("when a module opens"), default=True)
    suggested_soon = models.BooleanField(
        _("two days before a module's suggested day"), default=True
    )
    welcome_back = models.BooleanField(_("a welcome back after a quiet spell"), default=True)
    practice = models.BooleanField(
        _("this week's practice, three days after a lesson"), default=True
    )
    announcement = models.BooleanField(_("announcements from my group"), default=True)
    nudge = models.BooleanField(_("a kind word from my facilitator"), default=True)
    checkin_follow_up = models.BooleanField(
        _("an invitation to answer the check-in again, some weeks after the course"),
        default=True,
    )
    # db_default too: an app server still on the code before it can add a row (a rolling deploy).
    session_soon = models.BooleanField(
        _("the day before my group meets"), default=True, db_default=True
    )
    hour = models.PositiveSmallIntegerField(
        _("preferred hour"), null=True, blank=True, validators=[MaxValueValidator(23)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__isnull=True) | Q(hour__lte=23), name="reminders_hour_in_day"
            )
        ]

    def __str__(self):
        return f"Reminder preferences of {self.user_id}"

    def wants(self, kind):
        return bool(getattr(self, kind, True)) if kind in PARENT_KINDS else True

    @property
    def send_hour(self):
        return settings.REMINDERS_DEFAULT_HOUR if self.hour is None else self.hour


class DigestOptOut(models.Model):
    """A facilitator who turned off the weekly digest of one group."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_opt_outs"
    )
    group = models.ForeignKey(
        "accounts.ParentGroup", on_delete=models.CASCADE, related_name="digest_opt_outs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest opt-out")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="reminders_digest_opt_out_once")
        ]

    def __str__(self):
        return f"No digest of {self.group_id} for {self.user_id}"


def calendar_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """
    The private address of one member's calendar of one group's plan. Anyone holding the address
    reads the plan (calendar apps cannot log in), so it can be replaced at any time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    group = models.ForeignKey(
        "accounts.ParentGroup", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"], name="reminders_calendar_one_per_group"
            )
        ]

    def __str__(self):
        return f"Calendar of {self.group_id} for {self.user_id}"


class Announcement(models.Model):
    """A facilitator's short news for a group: on the members' dashboards and emailed."""

    group = models.ForeignKey(
        "accounts.ParentGroup", on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("announcement"), max_length=ANNOUNCEMENT_MAX_LENGTH)
    # Sent with the form, so a double submit posts one announcement, not two.
    key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "key"], name="reminders_announcement_key"),
            models.CheckConstraint(condition=~Q(text=""), name="reminders_announcement_not_empty"),
        ]
        indexes = [models.Index(fields=["group", "-created_at"], name="reminders_announce_recent")]

    def __str__(self):
        return f"Announcement {self.pk} to {self.group_id}"


class MessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Message.Status.PENDING)


class Message(models.Model):
    """One email to one person: queued, sent or given up on (with the reason)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")
        SKIPPED = "skipped", _("not sent (no longer wanted)")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent"
    )
    # What the message is about, e.g. "module:12" or "week:2026-W10": (kind, user, occasion)
    # is unique, so the same reminder can never be recorded, nor sent, twice.
    occasion = models.CharField(max_length=80)
    # Ids to render the message with (module, lesson, group, announcement), and a nudge's
    # sentence from the facilitator. Never anything a parent wrote.
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "occasion"], name="reminders_message_once"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "kind", "-created_at"], name="reminders_message_mine"),
            models.Index(fields=["status", "-created_at"], name="reminders_message_status"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user_id} ({self.occasion})"
