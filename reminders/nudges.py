"""The facilitator's "Send a kind nudge" button: one email per parent per week at most."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Membership
from reminders import rules
from reminders.models import NUDGE_NOTE_MAX_LENGTH, Kind, ReminderPreference
from reminders.needs import last_nudges
from reminders.outbox import messages_record_and_queue
from reminders.sweep import verified


@transaction.atomic
def nudge_send(*, group, facilitator, member_id, note=""):
    """
    Record and queue a kind nudge to one member of the group. Raises ValidationError when this
    parent had one in the last week, cannot get email, or turned nudges off.
    """
    note = " ".join(note.split())
    if len(note) > NUDGE_NOTE_MAX_LENGTH:
        raise ValidationError(
            _("Please keep your sentence to %(max)s characters.") % {"max": NUDGE_NOTE_MAX_LENGTH}
        )
    membership = (
        Membership.objects.filter(group=group, user_id=member_id)
        .filter(verified(user_ref="user_id", email_ref="user__email"))
        .select_related("user")
        .first()
    )
    if membership is None or not membership.user.is_active:
        raise ValidationError(_("This parent cannot get email from us yet."))
    preference = ReminderPreference.objects.filter(user_id=member_id).first()
    if preference is not None and not preference.wants(Kind.NUDGE):
        raise ValidationError(_("This parent has chosen not to get nudges by email."))
    today = timezone.localdate()
    last = last_nudges(user_ids=[member_id], today=today).get(member_id)
    if not rules.nudge_allowed(today=today, last_nudged=last):
        raise ValidationError(
            _("This parent had a nudge in the last week. Another one can go from %(day)s.")
            % {"day": date_format(last + datetime.timedelta(days=rules.NUDGE_SPACING_DAYS), "j F")}
        )
    context = {
        "group": group.pk,
        "from": facilitator.get_short_name(),
        "note": note,
    }
    created = messages_record_and_queue(
        rows=[(Kind.NUDGE, member_id, f"week:{rules.week_key(today)}", context)]
    )
    if not created:
        raise ValidationError(_("This parent already had a nudge this week."))
    return created[0]
