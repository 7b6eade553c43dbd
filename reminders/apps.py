from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders and messages")

    def ready(self):
        # Adds the reminders sections to the personal-data export (accounts/personal_data.py).
        # The parent's dashboard shows each group's latest announcement, read with the groups
        # (courses/assignments.py GROUP_PLAN_ANNOTATIONS): no query of its own.
        # Reminder emails' List-Unsubscribe header stays a plain address
        # (reminders/mail_headers.py).
        from courses.assignments import GROUP_PLAN_ANNOTATIONS
        from reminders import mail_headers, personal_data  # noqa: F401
        from reminders.announcements import latest_announcement_annotations

        GROUP_PLAN_ANNOTATIONS.update(latest_announcement_annotations())
        mail_headers.register()
