"""The seed content loader: import_course with courses/content/ as the default folder."""

from courses.loader import CONTENT_DIR
from courses.management.commands import import_course


class Command(import_course.Command):
    help = "Create or update courses from the Markdown files under courses/content/."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(CONTENT_DIR), help="Folder of course folders.")
        parser.add_argument("--dry-run", action="store_true", help="Show changes, change nothing.")

    def handle(self, *args, root, **options):
        return super().handle(*args, dir=root, **options)
