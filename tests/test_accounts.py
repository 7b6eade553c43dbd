"""Signing up, verifying the email address, logging in and out, and passwords (allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from circle import settings as site_settings
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-77"


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def sign_up(client, email="new.parent@example.com", **extra):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )


def test_sign_up_sends_a_verification_email_and_verifying_logs_in(client):
    response = sign_up(client, display_name="Jo")
    assert response.status_code == 302
    user = User.objects.get(email="new.parent@example.com")
    assert user.display_name == "Jo"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.parent@example.com"]
    assert mail.outbox[0].body.startswith("Hello Jo,\n")  # the name they gave, when they gave one
    # Opened in another browser (a phone's mail app), the link leads to logging in: said so.
    sent = client.get(response["Location"]).content.decode()
    assert "If the site then asks you to log in, use the password you just chose." in sent

    # Until the address is verified, the dashboard is out of reach.
    assert client.get(reverse("courses:dashboard")).status_code == 302

    confirm_url = link_in(mail.outbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Is <strong>new.parent@example.com</strong> your address?" in page.content.decode()
    assert "Yes, confirm my address" in page.content.decode()
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("courses:dashboard")).status_code == 200


def test_an_unverified_parent_cannot_log_in_and_is_told_to_check_their_email(client):
    sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.parent@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("courses:dashboard")).status_code == 302


def test_sign_up_errors_re_render_the_form_with_a_message(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": PASSWORD, "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "not-an-email" in html  # what they typed is kept
    assert "Enter a valid email address" in html
    assert not User.objects.exists()


def test_signing_up_twice_with_one_email_makes_one_account(client):
    UserFactory(email="taken@example.com")
    sign_up(client, email="Taken@Example.com")
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_log_in_with_email_and_password_then_log_out(client, parent):
    response = client.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")
    dashboard = client.get(reverse("courses:dashboard"))
    assert dashboard.status_code == 200
    # In the site's voice, and true on a first visit as on a return.
    assert f"Hello, {parent.get_short_name()}. You are logged in." in dashboard.content.decode()
    client.post(reverse("account_logout"))
    assert client.get(reverse("courses:dashboard")).status_code == 302


def test_a_wrong_password_gets_a_clear_message(client, parent):
    response = client.post(
        reverse("account_login"), {"login": parent.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert (
        "The email address or password is not right. Please check them and try again."
        in response.content.decode()
    )


def test_the_login_page_asks_for_email_not_username(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'type="email"' in html
    assert "username" not in html.lower()


@pytest.mark.parametrize(
    ("language", "words"),
    [("en-gb", "Forgotten your password?"), ("es", "¿Has olvidado tu contraseña?")],
)
def test_the_login_page_offers_a_new_password_once(client, language, words):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert html.count(f'href="{reverse("account_reset_password")}"') == 1
    assert html.count(words) == 1
    assert not re.search(r"Forgot your password|Olvidaste", html)


def test_forgotten_password_is_reset_through_the_emailed_link(client, parent):
    client.post(reverse("account_reset_password"), {"email": parent.email})
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.check_password(NEW_PASSWORD)


def test_after_a_reset_the_page_leads_to_logging_in_with_the_new_password(client, parent):
    client.post(reverse("account_reset_password"), {"email": parent.email})
    reset_url = link_in(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert "Your password is changed" in html
    assert f'href="{reverse("account_login")}">Log in</a>' in html
    # And the account hears of it, in case it was not its owner.
    notice = mail.outbox[-1]
    assert notice.to == [parent.email]
    assert notice.subject == "[Circle course] Your password was changed"
    assert "If it was not you, please choose a new password straight away" in notice.body


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_a_parent_changes_their_password(client, parent):
    client.force_login(parent)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.check_password(NEW_PASSWORD)
    (notice,) = mail.outbox
    assert notice.to == [parent.email]
    assert notice.subject == "[Circle course] Your password was changed"
    assert "The password of your Circle course account was changed." in notice.body


def test_adding_an_address_asks_to_confirm_it_and_tells_the_account_when_it_changes(client, parent):
    """Not "thank you for signing up": the parent has an account already."""
    client.force_login(parent)
    client.post(reverse("account_email"), {"action_add": "", "email": "new.home@example.com"})
    (confirm,) = mail.outbox
    assert confirm.to == ["new.home@example.com"]
    assert "signing up" not in confirm.body
    assert "Please confirm that this address is yours" in confirm.body
    client.get(link_in(confirm))
    client.post(link_in(confirm))
    client.post(reverse("account_email"), {"action_primary": "", "email": "new.home@example.com"})
    changed = mail.outbox[-1]
    assert changed.subject == "[Circle course] Your email address was changed"
    assert "is now new.home@example.com. It was " + parent.email in changed.body


def test_password_change_needs_the_old_password(client, parent):
    client.force_login(parent)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    parent.refresh_from_db()
    assert parent.check_password(PASSWORD)


def test_the_account_pages_speak_in_the_site_s_words_not_the_library_s(client, parent):
    """
    allauth's English ("Make Primary", "Remember Me") is replaced by the site's own, through
    locale/en_GB (accounts/account_wording.py), as the Spanish catalogue replaces its Spanish.
    """
    login = client.get(reverse("account_login")).content.decode()
    assert "Remember me on this device" in login and "Remember Me" not in login
    client.force_login(parent)
    emails = client.get(reverse("account_email")).content.decode()
    assert "My email addresses" in emails and "Make this my main address" in emails
    assert "Make Primary" not in emails and "Re-send Verification" not in emails
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ).content.decode()
    assert "That is not your current password. Please try again." in wrong
    assert "Current password" in wrong and "The same new password again" in wrong


def test_passwords_are_hashed_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = site_settings.PASSWORD_HASHERS
    sign_up(client)
    assert User.objects.get().password.startswith("argon2$argon2id$")


def test_repeated_failed_logins_are_rate_limited(client, parent):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": parent.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("courses:dashboard")).status_code == 302


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_emails_are_warm_and_name_the_site(client):
    sign_up(client)  # no name given: a plain greeting
    message = mail.outbox[0]
    assert message.subject == "[Circle course] Welcome: please confirm your email address"
    assert message.body.startswith("Hello,")
    assert "testserver!" not in message.body
    assert "The Circle course" in message.body


def test_a_facilitator_lands_on_their_groups_and_a_parent_on_their_dashboard(parent, facilitator):
    for person, landing in (
        (facilitator, reverse("accounts:facilitator-groups")),
        (parent, reverse("courses:dashboard")),
    ):
        response = Client().post(
            reverse("account_login"), {"login": person.email, "password": PASSWORD}
        )
        assert response["Location"] == landing


def test_where_someone_was_going_wins_over_the_landing_page(facilitator):
    response = Client().post(
        reverse("account_login") + "?next=/journal/",
        {"login": facilitator.email, "password": PASSWORD},
    )
    assert response["Location"] == "/journal/"


class TestAccountPage:
    url = reverse("accounts:account")

    def test_a_parent_changes_the_name_the_site_greets_them_by(self, parent):
        browser = Client()
        browser.force_login(parent)
        response = browser.post(self.url, {"display_name": "  Patricia \n Jones "}, follow=True)
        assert "Your name is saved." in response.content.decode()
        parent.refresh_from_db()
        assert parent.display_name == "Patricia Jones"
        assert "Hello, Patricia Jones" in browser.get(reverse("courses:dashboard")).content.decode()

    def test_the_page_leads_to_password_addresses_and_data(self, parent):
        browser = Client()
        browser.force_login(parent)
        html = browser.get(self.url).content.decode()
        for name in ("account_change_password", "account_email", "accounts:my-data"):
            assert f'href="{reverse(name)}"' in html
        assert 'value="Pat"' in html  # the name as it is now

    def test_a_name_can_be_left_empty_but_not_too_long(self, parent):
        browser = Client()
        browser.force_login(parent)
        assert browser.post(self.url, {"display_name": ""}).status_code == 302
        parent.refresh_from_db()
        assert parent.display_name == ""
        response = browser.post(self.url, {"display_name": "x" * 81})
        assert response.status_code == 200
        assert "at most 80 characters" in response.content.decode()

    def test_one_persons_change_leaves_everyone_else_alone(self, parent, second_parent):
        browser = Client()
        browser.force_login(parent)
        browser.post(self.url, {"display_name": "New name"})
        second_parent.refresh_from_db()
        assert second_parent.display_name == "Kim"
