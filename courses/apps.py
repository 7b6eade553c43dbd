from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        # Adds the courses sections to the personal-data export (accounts/personal_data.py).
        from courses import personal_data  # noqa: F401
