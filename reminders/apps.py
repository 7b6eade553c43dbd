from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders and messages")

    def ready(self):
        # Adds the reminders sections to the personal-data export (accounts/personal_data.py).
        from reminders import personal_data  # noqa: F401
