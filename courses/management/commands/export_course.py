"""Write a course to Markdown files that import_course (and load_course) read back."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.exporter import course_export
from courses.models import Course


class Command(BaseCommand):
    help = "Export a course as Markdown with front matter into an empty or new folder."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The course's slug.")
        parser.add_argument("--out", required=True, help="An empty or new folder to write to.")

    def handle(self, *args, slug, out, **options):
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            known = ", ".join(Course.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No course with the slug {slug!r} (courses: {known}).")
        try:
            course_export(course=course, out=out)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Exported {slug} to {out}"))
