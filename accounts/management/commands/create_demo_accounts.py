"""
Demo accounts for a local run: a parent, a facilitator and an admin, with verified emails.

Safe to run again: existing accounts are left exactly as they are. Refuses to run in production
mode unless --force is given, because the passwords are printed and well known.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User

DEMO_ACCOUNTS = [
    ("parent@example.com", "Sam", User.Role.PARENT, False, "parent-demo-2026"),
    ("facilitator@example.com", "Alex", User.Role.FACILITATOR, False, "facilitator-demo-2026"),
    ("admin@example.com", "Robin", User.Role.PARENT, True, "admin-demo-2026"),
]


class Command(BaseCommand):
    help = "Create demo parent, facilitator and admin accounts (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo accounts have public passwords; refusing with DEBUG off.")
        self.stdout.write("Demo accounts (log in at http://127.0.0.1:8000/accounts/login/):")
        for email, name, role, is_admin, password in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    display_name=name,
                    role=role,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                note = "created"
            else:
                note = "already there, left unchanged"
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            kind = "admin" if is_admin else role
            self.stdout.write(f"  {kind:<12} {email:<26} password: {password}  ({note})")
