"""
Landing invited people in their group, and switching to a person's saved language as they log
in. The invitation page keeps the token in the session; the moment its person is logged in
(right after sign-up and email confirmation, or a plain log-in) they join. Confirming an address
that was invited also joins, for people who confirm on another device, where that session is
not.
"""

from allauth.account.signals import email_confirmed
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.groups import invitation_accept, invitation_find, invitations_accept_for_email
from accounts.language import language_supported

# Where an invitation token waits while its person signs up or logs in.
PENDING_INVITATION_SESSION_KEY = "circle_pending_invitation"


def _welcome(request, group):
    messages.success(
        request, _("Welcome to %(group)s!") % {"group": group.name}, fail_silently=True
    )


@receiver(user_logged_in, dispatch_uid="accounts_apply_saved_language")
def apply_saved_language(sender, request, user, **kwargs):
    """
    Logging in switches to the person's saved language at once, so the welcome message of this
    request is in it too (UserLanguageMiddleware does the same for every later request).
    """
    language = language_supported(getattr(user, "language", ""))
    if language and request is not None:
        translation.activate(language)
        request.LANGUAGE_CODE = language


@receiver(user_logged_in, dispatch_uid="accounts_accept_pending_invitation")
def accept_pending_invitation(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    token = session.pop(PENDING_INVITATION_SESSION_KEY, None) if session is not None else None
    if not token:
        return
    found = invitation_find(token)
    if found is not None and found.accepted_by_id == user.pk:
        return  # joined already, by confirming the invited address a moment ago
    try:
        accepted = invitation_accept(token=token, user=user)
    except ValidationError as error:
        messages.info(request, error.messages[0], fail_silently=True)
        return
    _welcome(request, accepted.group)


@receiver(email_confirmed, dispatch_uid="accounts_accept_invitations_for_email")
def accept_invitations_for_confirmed_email(sender, request, email_address, **kwargs):
    for group in invitations_accept_for_email(user=email_address.user, email=email_address.email):
        _welcome(request, group)
