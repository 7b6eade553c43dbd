"""
allauth's mail in each person's language: sign-up confirmation, password reset and the rest
are written in the language saved on the account they go to, else the language of the page
that sent them (which the person's browser chose).
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation
from django.utils.translation import gettext

from accounts.language import in_language, language_for_user, language_supported
from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
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
