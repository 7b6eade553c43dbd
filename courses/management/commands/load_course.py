from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.loader import CONTENT_DIR, content_load


class Command(BaseCommand):
    help = (
        "Create or update courses from the Markdown files under courses/content/ (never deletes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(CONTENT_DIR), help="Folder of course folders.")

    def handle(self, *args, root, **options):
        try:
            reports = content_load(root=root)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if not reports:
            raise CommandError(f"No course folders (with a course.md) under {root}.")
        for name, report in reports.items():
            self.stdout.write(self.style.SUCCESS(f"Loaded {name}: {report}"))
