"""
Sending one message from the outbox: claim it, check it is still wanted, render it in the
person's language, send it through Django's mail, and record what happened.

A row is claimed by moving it from pending to sending in one UPDATE, so two workers that got
the same id never both send it. A failed send goes back to pending and is queued again after a
pause (1, 5, then 25 minutes, with the task backend's `run_after`); after MAX_ATTEMPTS it is
recorded as failed with the reason, for the admin's outbox.
"""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.tasks import default_task_backend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership, ParentGroup
from courses.models import Course, Lesson, Module
from reminders.digest import group_digest
from reminders.models import Announcement, DigestOptOut, Kind, Message, ReminderPreference
from reminders.needs import course_module_numbers
from reminders.outbox import messages_queue
from reminders.registry import EXTERNAL_KINDS, NotWanted
from reminders.tokens import unsubscribe_token

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
FIRST_RETRY_SECONDS = 60
RETRY_FACTOR = 5


def retry_delay(attempts):
    """The pause before the next try, after `attempts` tries: 1, 5, 25 minutes."""
    return datetime.timedelta(seconds=FIRST_RETRY_SECONDS * RETRY_FACTOR ** (attempts - 1))


def site_url(path):
    return settings.SITE_URL.rstrip("/") + path


def message_send(*, message_id):
    """Send one message if it is still pending. Returns its status afterwards."""
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.PENDING).update(
        status=Message.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return None  # sent, given up, being sent by another worker, or deleted with its person
    message = Message.objects.select_related("user").get(pk=message_id)
    try:
        message_email(message).send()
    except NotWanted as reason:
        return _finish(message, Message.Status.SKIPPED, error=str(reason))
    except Exception as error:  # a mail server's refusal, a timeout, or a bug: try again later
        logger.warning(
            "Sending message %s failed (try %s): %s", message.pk, message.attempts, error
        )
        reason = f"{type(error).__name__}: {error}"[:1000]
        if message.attempts >= MAX_ATTEMPTS:
            return _finish(message, Message.Status.FAILED, error=reason)
        _finish(message, Message.Status.PENDING, error=reason)
        message_retry(message)
        return Message.Status.PENDING
    return _finish(message, Message.Status.SENT, sent_at=timezone.now(), error="")


# A send takes seconds (SMTP's timeout is 20 s). A message "being sent" for longer than this was
# claimed by a worker that stopped (killed, restarted, the machine went away) before recording
# what happened.
STUCK_AFTER = datetime.timedelta(minutes=30)


def messages_release_stuck(*, now=None):
    """
    Give messages a stopped worker left behind another try, so none is lost silently:
    - "being sent" for longer than STUCK_AFTER: claimed by a worker that stopped before it
      recorded what happened; tried again as a failed send would be (or recorded as failed
      after MAX_ATTEMPTS);
    - "waiting to be sent" with no try for longer than STUCK_AFTER: its task was lost (a task
      sends a chunk of messages in turn, and a worker killed halfway, or a task that failed,
      leaves the rest of the chunk with nothing queued for them); queued again.
    A message queued twice is still sent once: each send claims its row first. `send_reminders`
    calls this every time it runs (hourly). Returns how many were queued again.
    """
    now = now or timezone.now()
    stuck = Message.objects.filter(
        status=Message.Status.SENDING, last_attempt_at__lt=now - STUCK_AFTER
    )
    # A retry waits at most 25 minutes (retry_delay), less than STUCK_AFTER.
    orphaned = Message.objects.filter(status=Message.Status.PENDING).filter(
        Q(last_attempt_at__isnull=True, created_at__lt=now - STUCK_AFTER)
        | Q(last_attempt_at__lt=now - STUCK_AFTER)
    )
    reason = "The worker stopped while sending it."
    with transaction.atomic():
        stuck.filter(attempts__gte=MAX_ATTEMPTS).update(status=Message.Status.FAILED, error=reason)
        # Two sweeps at once: each row is released (and queued) by one of them only.
        released = list(stuck.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if released:
            Message.objects.filter(pk__in=released).update(
                status=Message.Status.PENDING, error=reason
            )
        waiting = list(
            orphaned.exclude(pk__in=released)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        again = released + waiting
        messages_queue(again)
    return len(again)


def _finish(message, status, **fields):
    Message.objects.filter(pk=message.pk).update(status=status, **fields)
    return status


def message_retry(message):
    from reminders.tasks import send_message

    task = send_message
    if default_task_backend.supports_defer:
        task = send_message.using(run_after=timezone.now() + retry_delay(message.attempts))
    transaction.on_commit(lambda: task.enqueue(message.pk))


def language_of(user):
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def message_email(message):
    """The email for a message, rendered in its person's language; NotWanted if it should not go."""
    user = message.user
    if (
        not user.is_active
        or not EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists()
    ):
        raise NotWanted("The address is not verified or the account is closed.")
    preference = ReminderPreference.objects.filter(user=user).first() or ReminderPreference()
    if not preference.wants(message.kind):
        raise NotWanted("Turned off on the Reminders page.")
    with translation.override(language_of(user)):
        external = EXTERNAL_KINDS.get(message.kind)
        if external is not None:
            context = external.email_context(user=user, context=message.context)
            base = external.template_base
        else:
            context = KIND_CONTEXT[message.kind](message)
            base = f"reminders/email/{message.kind}"
        group_id = message.context.get("group") if message.kind == Kind.DIGEST else None
        unsubscribe = site_url(
            reverse(
                "reminders:unsubscribe",
                args=[unsubscribe_token(user_id=user.pk, kind=message.kind, group_id=group_id)],
            )
        )
        context.update(
            name=user.get_short_name(),
            unsubscribe_url=unsubscribe,
            preferences_url=site_url(reverse("reminders:preferences")),
            site_url=settings.SITE_URL,
        )
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def _member_group(message):
    group = ParentGroup.objects.active().filter(pk=message.context.get("group")).first()
    if group is None or not Membership.objects.filter(group=group, user=message.user).exists():
        raise NotWanted("No longer in the group.")
    return group


def _module_context(message):
    group = _member_group(message)
    module = (
        Module.objects.published()
        .select_related("course")
        .filter(pk=message.context.get("module"))
        .first()
    )
    if module is None:
        raise NotWanted("The module is no longer published.")
    context = {
        "group": group,
        "module": module,
        "number": course_module_numbers(course_id=module.course_id).get(module.pk),
        "course_url": site_url(module.course.get_absolute_url()),
    }
    if message.context.get("due_on"):
        context["due_on"] = datetime.date.fromisoformat(message.context["due_on"])
    return context


def _welcome_back_context(message):
    course = Course.objects.published().filter(pk=message.context.get("course")).first()
    if course is None:
        raise NotWanted("The course is no longer published.")
    return {"course": course, "course_url": site_url(course.get_absolute_url())}


def _practice_context(message):
    lesson = (
        Lesson.objects.published()
        .select_related("module__course")
        .filter(pk=message.context.get("lesson"))
        .first()
    )
    if lesson is None or not lesson.practice.strip():
        raise NotWanted("The lesson or its practice is gone.")
    return {"lesson": lesson, "lesson_url": site_url(lesson.get_absolute_url()) + "#practice-notes"}


def _announcement_context(message):
    announcement = (
        Announcement.objects.select_related("group", "author")
        .filter(pk=message.context.get("announcement"))
        .first()
    )
    if announcement is None:
        raise NotWanted("The announcement is gone.")
    message.context["group"] = announcement.group_id
    _member_group(message)
    return {
        "announcement": announcement,
        "group": announcement.group,
        "dashboard_url": site_url(reverse("courses:dashboard")),
    }


def _nudge_context(message):
    group = _member_group(message)
    return {
        "group": group,
        "facilitator": message.context.get("from", ""),
        "note": message.context.get("note", ""),
        "dashboard_url": site_url(reverse("courses:dashboard")),
    }


def _digest_context(message):
    group = (
        ParentGroup.objects.for_facilitator(message.user)
        .active()
        .select_related("course")
        .filter(pk=message.context.get("group"))
        .first()
    )
    if group is None:
        raise NotWanted("No longer runs the group.")
    if DigestOptOut.objects.filter(user=message.user, group=group).exists():
        raise NotWanted("Turned off for this group.")
    since = message.created_at - datetime.timedelta(days=7)
    return {
        "group": group,
        "digest": group_digest(group=group, since=since, now=message.created_at),
        "report_url": site_url(reverse("courses:facilitator-report", args=[group.pk])),
    }


KIND_CONTEXT = {
    Kind.MODULE_OPENS: _module_context,
    Kind.SUGGESTED_SOON: _module_context,
    Kind.WELCOME_BACK: _welcome_back_context,
    Kind.PRACTICE: _practice_context,
    Kind.ANNOUNCEMENT: _announcement_context,
    Kind.NUDGE: _nudge_context,
    Kind.DIGEST: _digest_context,
}
