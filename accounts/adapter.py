"""
How allauth fits this site: where people land after logging in, invited sign-ups, and mail in
each person's language (sign-up confirmation, password reset and the rest are written in the
language saved on the account they go to, else the language of the page that sent them).
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.groups import invitation_find, invitation_problem
from accounts.language import in_language, language_for_user, language_supported
from accounts.models import User
from accounts.signals import PENDING_INVITATION_SESSION_KEY


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Facilitators come to run their groups, so they land there; parents on their dashboard."""
        user = request.user
        if user.is_authenticated and user.is_facilitator:
            return reverse("accounts:facilitator-groups")
        return super().get_login_redirect_url(request)

    def is_email_verified(self, request, email):
        """
        An address that a usable invitation in this browser was sent to is proven: the person
        followed the link from that inbox. Signing up with it needs no confirmation email.
        """
        token = request.session.get(PENDING_INVITATION_SESSION_KEY)
        invitation = invitation_find(token) if token else None
        return (
            invitation is not None
            and invitation_problem(invitation) is None
            and invitation.email.lower() == email.strip().lower()
        )

    def unstash_verified_email(self, request):
        """
        The invitation page stashes the invited address only to fill in the sign-up form.
        allauth would also make it the account's login even when the person typed another
        address; is_email_verified above decides instead, for the address they chose.
        """
        super().unstash_verified_email(request)
        return None

    def send_mail(self, template_prefix, email, context):
        person = context.get("user") or User.objects.filter(email__iexact=email).first()
        with in_language(language_for_user(person, fallback=translation.get_language())):
            super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        return gettext("[Circle course] %(subject)s") % {"subject": subject}

    def save_user(self, request, user, form, commit=True):
        # A new account keeps the language it was made in, so mail sent later, outside any
        # page (reminders, digests), is in that language too. The switcher changes it.
        user.language = language_supported(translation.get_language())
        return super().save_user(request, user, form, commit=commit)
