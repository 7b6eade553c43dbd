"""Email invitations: sending, the one-time expiring link, and landing new people in the group."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.groups import INVITATION_RESEND_PAUSE
from accounts.models import Invitation, Membership, User
from tests.conftest import logged_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/groups/invitation/[^/\s]+/)")


def invite(facilitator_client, group, email="new.parent@example.com"):
    return facilitator_client.post(
        reverse("accounts:facilitator-invite", args=[group.pk]),
        {"invite-email": email},
        follow=True,
    )


def link_in(message):
    return LINK.search(message.body).group(1)


def confirmation_link():
    """The address-confirmation link allauth sent last."""
    found = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body)
    return found.group(1)


class TestSending:
    def test_facilitator_invites_by_email(self, group, facilitator_client, facilitator):
        response = invite(facilitator_client, group, "New.Parent@Example.com")
        assert "Invitation sent to new.parent@example.com" in response.content.decode()
        [message] = mail.outbox
        assert message.to == ["new.parent@example.com"]
        assert "Tuesday evening group" in message.subject
        assert f"{facilitator} has invited you" in message.body
        path = link_in(message)
        invitation = Invitation.objects.get()
        assert invitation.email == "new.parent@example.com"
        token = path.rstrip("/").rsplit("/", 1)[1]
        assert token not in invitation.token_hash  # only a hash is kept
        assert "new.parent@example.com" in response.content.decode()  # listed as waiting

    def test_a_double_click_sends_one_email(self, group, facilitator_client):
        invite(facilitator_client, group)
        response = invite(facilitator_client, group)
        assert len(mail.outbox) == 1
        assert Invitation.objects.count() == 1
        assert "a few minutes ago" in response.content.decode()

    def test_inviting_again_later_renews_the_link_and_retires_the_old(
        self, group, facilitator_client, client
    ):
        invite(facilitator_client, group)
        Invitation.objects.update(sent_at=timezone.now() - INVITATION_RESEND_PAUSE * 2)
        invite(facilitator_client, group)
        first, second = (link_in(message) for message in mail.outbox)
        assert first != second
        assert Invitation.objects.count() == 1
        assert client.get(first).status_code == 404
        assert client.get(second).status_code == 200

    def test_bad_address_is_explained_and_nothing_sent(self, group, facilitator_client):
        response = facilitator_client.post(
            reverse("accounts:facilitator-invite", args=[group.pk]),
            {"invite-email": "not-an-email"},
        )
        assert response.status_code == 400
        assert "not an email address we can send to: not-an-email" in response.content.decode()
        assert mail.outbox == []

    def test_someone_already_in_the_group_is_not_invited(self, group, facilitator_client):
        response = facilitator_client.post(
            reverse("accounts:facilitator-invite", args=[group.pk]),
            {"invite-email": "PARENT@example.com"},
        )
        assert response.status_code == 400
        assert "is already in this group" in response.content.decode()
        assert mail.outbox == []

    def test_facilitator_cancels_an_invitation(self, group, facilitator_client, client):
        invite(facilitator_client, group)
        path = link_in(mail.outbox[0])
        invitation = Invitation.objects.get()
        facilitator_client.post(
            reverse("accounts:facilitator-invitation-cancel", args=[group.pk, invitation.pk])
        )
        assert not Invitation.objects.exists()
        assert client.get(path).status_code == 404


class TestAccepting:
    def test_logged_in_parent_accepts_after_confirming(
        self, group, facilitator_client, second_parent
    ):
        invite(facilitator_client, group, second_parent.email)
        path = link_in(mail.outbox[0])
        browser = logged_in(second_parent)
        response = browser.get(path)
        assert "You are invited to Tuesday evening group" in response.content.decode()
        assert not Membership.objects.filter(user=second_parent).exists()
        response = browser.post(path, follow=True)
        assert Membership.objects.filter(group=group, user=second_parent).exists()
        assert "Welcome to Tuesday evening group" in response.content.decode()
        invitation = Invitation.objects.get()
        assert invitation.accepted_at is not None and invitation.accepted_by == second_parent

    def test_the_link_works_once(self, group, facilitator_client, second_parent):
        invite(facilitator_client, group)
        path = link_in(mail.outbox[0])
        logged_in(second_parent).post(path)
        someone_else = UserFactory()
        response = logged_in(someone_else).post(path)
        assert response.status_code == 410
        assert "already been used" in response.content.decode()
        assert not Membership.objects.filter(user=someone_else).exists()

    def test_the_link_expires(self, group, facilitator_client, second_parent):
        invite(facilitator_client, group)
        path = link_in(mail.outbox[0])
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        response = logged_in(second_parent).post(path)
        assert response.status_code == 410
        assert "has expired" in response.content.decode()
        assert not Membership.objects.filter(user=second_parent).exists()

    def test_an_archived_group_takes_nobody_in(self, group, facilitator_client, second_parent):
        invite(facilitator_client, group)
        path = link_in(mail.outbox[0])
        group.archived_at = timezone.now()
        group.save()
        assert logged_in(second_parent).post(path).status_code == 410
        assert not Membership.objects.filter(user=second_parent).exists()

    def test_made_up_token_is_not_found(self, client, second_parent):
        path = reverse("accounts:invitation", args=["made-up-token"])
        assert client.get(path).status_code == 404
        assert logged_in(second_parent).post(path).status_code == 404

    def test_existing_account_logs_in_through_the_link_and_lands_in_the_group(
        self, group, facilitator_client, client, second_parent
    ):
        invite(facilitator_client, group, second_parent.email)
        path = link_in(mail.outbox[0])
        response = client.get(path)
        assert "I already have an account" in response.content.decode()
        response = client.post(
            reverse("account_login") + f"?next={path}",
            {"login": second_parent.email, "password": PASSWORD},
            follow=True,
        )
        assert Membership.objects.filter(group=group, user=second_parent).exists()
        assert "Welcome to Tuesday evening group" in response.content.decode()


class TestNewPersonSignsUpThroughTheLink:
    def sign_up(self, client, path, email):
        client.get(path)  # the token waits in this browser's session
        return client.post(
            reverse("account_signup") + f"?next={path}",
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        )

    def test_the_sign_up_form_starts_with_the_invited_address(
        self, group, facilitator_client, client
    ):
        invite(facilitator_client, group, "new.parent@example.com")
        path = link_in(mail.outbox[0])
        assert "Create my account" in client.get(path).content.decode()
        form = client.get(reverse("account_signup") + f"?next={path}").context["form"]
        assert form["email"].value() == "new.parent@example.com"

    def test_signing_up_with_the_invited_address_needs_no_confirmation_email(
        self, group, facilitator_client, client
    ):
        """The invitation reached that address, which proves it: they are in at once."""
        invite(facilitator_client, group, "new.parent@example.com")
        path = link_in(mail.outbox[0])
        response = self.sign_up(client, path, "New.Parent@example.com")
        assert response.status_code == 302
        user = User.objects.get(email__iexact="new.parent@example.com")
        assert EmailAddress.objects.get(user=user).verified
        assert len(mail.outbox) == 1  # the invitation; no "please confirm" email
        assert Membership.objects.filter(group=group, user=user).exists()
        assert Invitation.objects.get().accepted_by == user
        page = client.get(reverse("accounts:groups"))
        assert page.wsgi_request.user == user
        assert "Welcome to Tuesday evening group" in page.content.decode()

    def test_signing_up_with_another_address_still_lands_them_in_the_group(
        self, group, facilitator_client, client
    ):
        invite(facilitator_client, group, "work.address@example.com")
        path = link_in(mail.outbox[0])
        self.sign_up(client, path, "home.address@example.com")
        user = User.objects.get(email="home.address@example.com")
        assert not Membership.objects.filter(user=user).exists()  # not before confirming
        assert not EmailAddress.objects.get(user=user).verified
        response = client.post(confirmation_link(), follow=True)
        assert Membership.objects.filter(group=group, user=user).exists()
        assert response.wsgi_request.user == user
        assert "Welcome to Tuesday evening group" in response.content.decode()

    def test_confirming_the_invited_address_elsewhere_still_lands_them_in_the_group(
        self, group, facilitator_client, client
    ):
        """They signed up on another device, without the link: confirming the address is proof."""
        invite(facilitator_client, group, "new.parent@example.com")
        client.post(
            reverse("account_signup"),
            {"email": "new.parent@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
        Client().post(confirmation_link())
        user = User.objects.get(email="new.parent@example.com")
        assert Membership.objects.filter(group=group, user=user).exists()
        assert Invitation.objects.get().accepted_by == user


class TestInvitationsThatUsedToFail:
    def test_an_address_over_254_characters_is_refused_with_a_message(
        self, group, facilitator_client
    ):
        email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.com"  # 261 characters
        response = facilitator_client.post(
            reverse("accounts:facilitator-invite", args=[group.pk]), {"invite-email": email}
        )
        assert response.status_code == 400
        assert "at most 254 characters" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_a_group_name_with_a_line_break_is_kept_on_one_line(self, group, facilitator_client):
        facilitator_client.post(
            reverse("accounts:facilitator-group-name", args=[group.pk]),
            {"name": "Tuesday\r\nevening\tgroup "},
        )
        group.refresh_from_db()
        assert group.name == "Tuesday evening group"
        invite(facilitator_client, group)
        [message] = mail.outbox
        assert "\n" not in message.subject and "Tuesday evening group" in message.subject


@pytest.mark.django_db(transaction=True)
def test_fifty_identical_invitations_at_once_make_one_invitation_and_one_email(group, facilitator):
    """A double click times fifty, on PostgreSQL: no 500, one invitation, one email."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions (set DATABASE_URL)")
    url = reverse("accounts:facilitator-invite", args=[group.pk])

    def send(_):
        try:
            browser = logged_in(facilitator)
            return browser.post(url, {"invite-email": "same.parent@example.com"}).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(send, range(50)))
    assert set(statuses) == {302}
    assert Invitation.objects.filter(email="same.parent@example.com").count() == 1
    assert len(mail.outbox) == 1


class TestSeveralAtOnce:
    def test_a_pasted_list_invites_each_and_says_what_happened_to_each(
        self, group, facilitator_client, parent
    ):
        invite(facilitator_client, group, "kim@example.com")  # a moment ago
        pasted = (
            "Ann Lee <ann@example.com>, bo@example.com; kim@example.com\n"
            f"{parent.email}\nANN@example.com"
        )
        html = invite(facilitator_client, group, pasted).content.decode()
        assert "Invitations sent to 2 parents: ann@example.com, bo@example.com." in html
        assert "An invitation went to kim@example.com a few minutes ago." in html
        assert "parent@example.com is already in this group." in html
        assert sorted(message.to[0] for message in mail.outbox) == [
            "ann@example.com",
            "bo@example.com",
            "kim@example.com",
        ]
        assert Invitation.objects.filter(group=group).count() == 3

    def test_one_wrong_address_in_the_list_sends_nothing_and_keeps_the_list(
        self, group, facilitator_client
    ):
        pasted = "ann@example.com, not-an-address, bo@example.com"
        response = facilitator_client.post(
            reverse("accounts:facilitator-invite", args=[group.pk]), {"invite-email": pasted}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "This is not an email address we can send to: not-an-address." in html
        assert pasted in html  # nothing typed is lost
        assert mail.outbox == [] and not Invitation.objects.exists()

    def test_at_most_fifty_at_a_time(self, group, facilitator_client):
        pasted = "\n".join(f"parent{n}@example.com" for n in range(51))
        response = facilitator_client.post(
            reverse("accounts:facilitator-invite", args=[group.pk]), {"invite-email": pasted}
        )
        assert response.status_code == 400
        assert "at most 50 parents at a time" in response.content.decode()
        assert not Invitation.objects.exists()
