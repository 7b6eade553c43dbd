"""
Create or update courses from Markdown folders, showing item by item what changes. Never
deletes anything; with --dry-run it changes nothing at all.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.loader import CREATED, UPDATED, content_load


class Command(BaseCommand):
    help = (
        "Create or update a course from a folder holding course.md (or every course folder "
        "inside DIR), by slug. Never deletes content, progress, reflections or answers."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="A course folder, or a folder of course folders.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created or updated, and change nothing.",
        )

    def handle(self, *args, dir, dry_run, verbosity, **options):
        try:
            reports = content_load(root=dir, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if not reports:
            raise CommandError(f"No course folder (with a course.md) in {dir}.")
        styles = {CREATED: self.style.SUCCESS, UPDATED: self.style.WARNING}
        for name, report in reports.items():
            for item in report.items:
                if item.status != "unchanged" or verbosity > 1:
                    self.stdout.write(styles.get(item.status, str)(f"  {item}"))
            verb = "Would load" if dry_run else "Loaded"
            self.stdout.write(self.style.SUCCESS(f"{verb} {name}: {report}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
