from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from courses import content_cache  # noqa: F401 - connects the signals
