"""
What facilitators and parents do with groups: create, rename, archive; join codes; joining,
leaving and removing; email invitations.

Join codes are 8 characters from a 31-letter alphabet without look-alikes (0/O, 1/I/L): about
8.5 * 10**11 codes, and wrong guesses are rate-limited (accounts.ratelimit), so guessing one is
hopeless. Invitation links carry a 256-bit token of which only the SHA-256 is stored.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.language import in_language, language_for_group, language_supported
from accounts.models import Invitation, Membership, ParentGroup, User

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
INVITATION_LIFETIME = timedelta(days=14)
# Inviting the same address again within this time does not send a second email, so a
# double-click on "Send" cannot leave the parent with two links of which one is dead.
INVITATION_RESEND_PAUSE = timedelta(minutes=10)

ARCHIVED_MESSAGE = gettext_lazy("This group is archived. Restore it first to make changes.")


def join_code_generate():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def join_code_normalise(text):
    """What a person typed, as stored: capitals, without the spaces and dash people add."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _check_not_archived(group):
    if group.is_archived:
        raise ValidationError(ARCHIVED_MESSAGE)


def _save_new_join_code(group):
    # Collisions are astronomically rare, but the unique constraint is the one that decides.
    for _ in range(5):
        group.join_code = join_code_generate()
        try:
            with transaction.atomic():
                group.save(update_fields=["join_code"])
            return group
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free join code.")


def group_name_clean(name):
    """
    A group's name on one line: runs of spaces, tabs and line breaks become one space. The name
    goes into every invitation email's subject, where a line break is not allowed.
    """
    return " ".join(name.split())


@transaction.atomic
def group_create(*, name, course, facilitator):
    name = group_name_clean(name)
    if not name:
        raise ValidationError(gettext("Please give the group a name."))
    if not facilitator.is_facilitator:
        raise ValidationError(gettext("Only facilitators can create groups."))
    group = ParentGroup.objects.create(name=name, course=course)
    group.facilitators.add(facilitator)
    return _save_new_join_code(group)


def group_rename(*, group, name):
    name = group_name_clean(name)
    if not name:
        raise ValidationError(gettext("Please give the group a name."))
    group.name = name
    group.save(update_fields=["name"])
    return group


def group_replace_join_code(*, group):
    """A new code (and so a new join link); the old one stops working at once."""
    _check_not_archived(group)
    return _save_new_join_code(group)


def group_set_language(*, group, language):
    """The language the group's invitations are written in ("" for the site's default)."""
    if language and language_supported(language) != language:
        raise ValidationError(gettext("Please pick one of the languages in the list."))
    if group.language != language:
        group.language = language
        group.save(update_fields=["language"])
    return group


def group_turn_off_join_code(*, group):
    group.join_code = None
    group.save(update_fields=["join_code"])
    return group


def group_archive(*, group):
    """Hide the group from its parents and stop new joins. Nothing is deleted."""
    if group.archived_at is None:
        group.archived_at = timezone.now()
        group.join_code = None
        group.save(update_fields=["archived_at", "join_code"])
    return group


def group_restore(*, group):
    """Bring an archived group back. Joining by code stays off until a new code is made."""
    group.archived_at = None
    group.save(update_fields=["archived_at"])
    return group


def group_add_facilitator(*, group, user):
    if not user.is_facilitator:
        raise ValidationError(
            gettext("That person is not a facilitator yet. An administrator can make them one.")
        )
    group.facilitators.add(user)
    return group


def membership_add(*, group, user):
    """Put the parent in the group. Joining twice changes nothing."""
    _check_not_archived(group)
    membership, _ = Membership.objects.get_or_create(group=group, user=user)
    return membership


def membership_remove(*, group, user):
    """Take the parent out of the group. Their own progress and writing stay with them."""
    Membership.objects.filter(group=group, user=user).delete()


def group_find_by_code(code):
    """The active group with this join code, or None (wrong, turned off and replaced alike)."""
    code = join_code_normalise(code)
    if len(code) != JOIN_CODE_LENGTH:
        return None
    return ParentGroup.objects.active().select_related("course").filter(join_code=code).first()


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_find(token):
    """The invitation this link's token belongs to, used or not, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("group__course")
        .filter(token_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_send(*, group, email, invited_by, link_for):
    """
    Email a one-time link to join the group. `link_for(token)` turns the token into the
    absolute URL to put in the email. Returns (invitation, sent): `sent` is False when the
    same address was invited a moment ago and the earlier email still stands.
    """
    _check_not_archived(group)
    email = email.strip().lower()
    if group.members.filter(email__iexact=email).exists():
        raise ValidationError(gettext("%(email)s is already in this group.") % {"email": email})
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(group=group, email=email, accepted_at__isnull=True)
        .first()
    )
    if (
        invitation is not None
        and invitation.expires_at > now
        and now - invitation.sent_at < INVITATION_RESEND_PAUSE
    ):
        return invitation, False
    token = secrets.token_urlsafe(32)
    created = invitation is None
    if created:
        invitation = Invitation(group=group, email=email)
    invitation.token_hash = _token_hash(token)
    invitation.invited_by = invited_by
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        if not created:
            raise
        # The same invitation sent at the same moment (a double click, two tabs): the other
        # request made it, under the one-open-invitation constraint, and sends its email.
        return (
            Invitation.objects.select_for_update().get(
                group=group, email=email, accepted_at__isnull=True
            ),
            False,
        )
    context = {
        "group": group,
        "invited_by": invited_by,
        "link": link_for(token),
        "expires_at": invitation.expires_at,
    }
    # In the invited person's own language if they chose one, else in the group's.
    person = User.objects.filter(email__iexact=email).only("language").first()
    with in_language(
        language_supported(getattr(person, "language", "")) or language_for_group(group)
    ):
        # One line whatever the names hold: a header with a line break cannot be sent.
        subject = " ".join(
            render_to_string("accounts/email/invitation_subject.txt", context).split()
        )
        message = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[email])
    return invitation, True


SENT, SENT_RECENTLY, ALREADY_IN = "sent", "sent_recently", "already_in"


def invitations_send(*, group, emails, invited_by, link_for):
    """
    Invite several addresses at once (invitation_send for each, each in its own
    transaction): {outcome: [addresses]} with SENT, SENT_RECENTLY (the earlier email still
    stands) and ALREADY_IN (a member already). An archived group raises ValidationError.
    """
    _check_not_archived(group)
    results = {SENT: [], SENT_RECENTLY: [], ALREADY_IN: []}
    for email in emails:
        try:
            _, sent = invitation_send(
                group=group, email=email, invited_by=invited_by, link_for=link_for
            )
        except ValidationError:
            results[ALREADY_IN].append(email)
        else:
            results[SENT if sent else SENT_RECENTLY].append(email)
    return results


def invitation_problem(invitation, user=None):
    """Why this invitation cannot be used now, in words for the parent; None if it can."""
    if invitation is None:
        return gettext("We could not find this invitation. Please check the link in your email.")
    if invitation.accepted_at is not None:
        if user is not None and invitation.accepted_by_id == user.pk:
            return None
        return gettext(
            "This invitation has already been used. Each link works once. If you need a new "
            "one, please ask your facilitator."
        )
    if invitation.expires_at <= timezone.now():
        return gettext(
            "This invitation has expired. Please ask your facilitator to send a new one."
        )
    if invitation.group.is_archived:
        return gettext("This group has finished, so it is not taking new members.")
    return None


@transaction.atomic
def invitation_accept(*, token, user):
    """Use the invitation: the person joins the group and the link stops working."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("group")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    problem = invitation_problem(invitation, user)
    if problem:
        raise ValidationError(problem)
    membership_add(group=invitation.group, user=user)
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


def invitations_accept_for_email(*, user, email):
    """
    Accept every open invitation sent to an address the person has just proved they own.
    Confirming the address is the same proof as clicking the link, and it lets someone who
    confirms on another device (where the link's session is not) still land in their group.
    """
    joined = []
    for invitation in Invitation.objects.open().filter(email=email.strip().lower()):
        with transaction.atomic():
            locked = (
                Invitation.objects.select_for_update()
                .select_related("group")
                .open()
                .filter(pk=invitation.pk)
                .first()
            )
            if locked is None or locked.group.is_archived:
                continue
            membership_add(group=locked.group, user=user)
            locked.accepted_at = timezone.now()
            locked.accepted_by = user
            locked.save(update_fields=["accepted_at", "accepted_by"])
            joined.append(locked.group)
    return joined
