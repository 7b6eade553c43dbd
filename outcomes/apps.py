from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes: check-ins, sessions and reports")

    def ready(self):
        # Neither courses nor accounts imports this app: it registers itself with them here.
        # - The check-in and the session guides load and export with their course
        #   (courses/loader.py CONTENT_PARTS).
        # - The dashboard's and course page's course rows carry the parent's check-in state
        #   for the check-in card (courses/progress.py COURSE_ANNOTATIONS): no query of its own.
        # - The person's check-in answers and attendance join the personal-data export
        #   (accounts/personal_data.py register_section, in outcomes/personal_data.py).
        # - The parent's dashboard shows each group's next session, read with the groups
        #   (courses/assignments.py GROUP_PLAN_ANNOTATIONS): no query of its own.
        # - Each group's sessions join its members' calendar feed (reminders/calendar.py
        #   CALENDAR_PARTS, in outcomes/calendar.py).
        # - The follow-up check-in invitation and the day-before-a-session reminder go out
        #   through the reminders pipeline (reminders/registry.py): its outbox, sweep, queue,
        #   preferences and unsubscribe.
        from courses.assignments import GROUP_PLAN_ANNOTATIONS
        from courses.loader import register_content_part
        from courses.progress import COURSE_ANNOTATIONS
        from outcomes import (
            followup,
            personal_data,  # noqa: F401
            session_reminders,
        )
        from outcomes.calendar import session_events
        from outcomes.checkins import course_checkin_annotations
        from outcomes.content import CONTENT_PART
        from outcomes.sessions import next_session_annotations
        from reminders.calendar import CALENDAR_PARTS
        from reminders.models import Kind
        from reminders.registry import ExternalKind, register_kind

        register_content_part(CONTENT_PART)
        register_kind(
            ExternalKind(
                kind=Kind.CHECKIN_FOLLOW_UP,
                rows_for_day=lambda today: followup.follow_up_rows(today=today),
                email_context=followup.follow_up_email_context,
                template_base=followup.TEMPLATE_BASE,
            )
        )
        register_kind(
            ExternalKind(
                kind=Kind.SESSION_SOON,
                rows_for_day=lambda today: session_reminders.session_soon_rows(today=today),
                email_context=session_reminders.session_soon_email_context,
                template_base=session_reminders.TEMPLATE_BASE,
            )
        )
        COURSE_ANNOTATIONS.update(course_checkin_annotations())
        GROUP_PLAN_ANNOTATIONS.update(next_session_annotations())
        CALENDAR_PARTS["sessions"] = session_events
