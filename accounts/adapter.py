"""How allauth fits this site: where people land after logging in, and invited sign-ups."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts.groups import invitation_find, invitation_problem
from accounts.signals import PENDING_INVITATION_SESSION_KEY


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Facilitators come to run their groups, so they land there; parents on their dashboard."""
        user = request.user
        if user.is_authenticated and user.is_facilitator:
            return reverse("courses:facilitator-groups")
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
