"""
Everything the site holds about one person, as plain data for the "download my data" file, and
the deletion of their account.

accounts never imports courses (dependencies point one way), so each app adds its own sections
to the export with `@export_section("name", kept=...)` (or register_section): courses
registers progress, reflections, practice notes, answers and certificates in
courses/personal_data.py, loaded from CoursesConfig.ready().
Group memberships belong here, in accounts (`groups` below). Each section runs a fixed number
of queries.
"""

import logging

from allauth.account.models import EmailAddress
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.language import in_language, language_for_user
from accounts.models import Membership

logger = logging.getLogger(__name__)

EXPORT_SECTIONS = {}
# Lines for the "What we keep" list of the My data page, from apps that register a section
# with register_section(..., kept=...): accounts cannot name what other apps keep itself.
KEPT_DESCRIPTIONS = []


def register_section(name, function, *, kept=None):
    """
    Add `function(user) -> JSON-ready data` to the export as the section `name`, and, if
    given, a line (`kept`, translatable) to the My data page's list of what the site keeps.
    Apps call it from their AppConfig.ready(), so accounts never imports them.
    """
    if name in EXPORT_SECTIONS:
        raise ValueError(f"Export section {name!r} is registered twice.")
    EXPORT_SECTIONS[name] = function
    if kept is not None:
        KEPT_DESCRIPTIONS.append(kept)
    return function


def export_section(name, *, kept=None):
    """Decorator form of register_section."""

    def register(function):
        return register_section(name, function, kept=kept)

    return register


def _when(value):
    return value.isoformat() if value else None


@export_section("account")
def _account(user):
    return {
        "email": user.email,
        "name": user.display_name,
        "role": user.role,
        "language": user.language,
        "child_age": user.child_age,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("id")
        ],
    }


def memberships_of(user):
    """The person's group memberships with group and course, in the order they joined."""
    # The course is reached through the group's foreign key, so accounts never imports courses.
    return (
        Membership.objects.filter(user=user)
        .select_related("group__course")
        .order_by("joined_at", "id")
    )


@export_section("groups")
def _groups(user):
    return [
        {
            "group": membership.group.name,
            "course": membership.group.course.title,
            "joined_at": _when(membership.joined_at),
            "group_archived": membership.group.is_archived,
        }
        for membership in memberships_of(user)
    ]


def personal_data_export(*, user):
    """The whole export, section by section, in the order they were registered."""
    return {
        "exported_at": timezone.now().isoformat(),
        "site": "Circle course",
        **{name: function(user) for name, function in EXPORT_SECTIONS.items()},
    }


@transaction.atomic
def account_delete(*, user):
    """
    Delete the account and everything personal that hangs from it. Progress, reflections,
    practice notes, answers, certificates, email addresses and group memberships all go with
    the user row (on_delete=CASCADE); the course content they pointed at stays (PROTECT runs the
    other way). A short goodbye email goes to the address, once the deletion has committed.
    """
    email, name = user.email, user.get_short_name()
    # Written before the account goes, in the language the person read the site in.
    with in_language(language_for_user(user, fallback=translation.get_language())):
        subject = gettext("[Circle course] Your account is deleted")
        message = render_to_string("accounts/email/account_deleted.txt", {"name": name})
    user.delete()
    transaction.on_commit(lambda: _send_goodbye(email, subject, message))


def _send_goodbye(email, subject, message):
    # The account is already gone; a mail server hiccup must not turn that into an error page.
    try:
        send_mail(subject, message, None, [email])
    except Exception:
        logger.exception("Could not send the account-deleted email.")
