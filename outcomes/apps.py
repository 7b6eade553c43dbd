from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes: check-ins, sessions and reports")

    def ready(self):
        # The check-in and the session guides load and export with their course
        # (courses/loader.py CONTENT_PARTS), and the person's check-in answers and attendance
        # join the personal-data export (accounts/personal_data.py). Neither courses nor
        # accounts imports this app: it registers itself with them here.
        from courses.loader import register_content_part
        from outcomes import personal_data  # noqa: F401
        from outcomes.content import CONTENT_PART

        register_content_part(CONTENT_PART)
