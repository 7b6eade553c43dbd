"""
Give someone the facilitator role (or take it away with --remove).

Taking the role away keeps their groups intact (other facilitators and the members are not
touched); they simply stop seeing them until the role is given back.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User


class Command(BaseCommand):
    help = "Make the person with this email address a facilitator (or a parent with --remove)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--remove", action="store_true", help="Take the facilitator role away instead."
        )

    def handle(self, *args, email, remove, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account uses {email}. They need to sign up first.")
        role = User.Role.PARENT if remove else User.Role.FACILITATOR
        if user.role == role:
            self.stdout.write(f"{user.email} is already a {role.label.lower()}; nothing changed.")
            return
        user.role = role
        user.save(update_fields=["role"])
        if remove:
            self.stdout.write(self.style.SUCCESS(f"{user.email} is no longer a facilitator."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{user.email} is now a facilitator."))
