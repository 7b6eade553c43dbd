from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # Adds the courses sections to the personal-data export (accounts/personal_data.py).
        from courses import personal_data  # noqa: F401
