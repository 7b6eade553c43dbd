"""
A group's sessions in its members' calendar feed (reminders/calendar.py CALENDAR_PARTS,
registered in outcomes/apps.py): each session on its day, at its time when it has one. As on the
dashboard, the place is left out: it is for facilitators only.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from outcomes.models import GroupSession
from reminders.calendar import calendar_event


def session_events(*, group, host, stamp):
    """The group's sessions as iCalendar events: on their day, or at their time. One query."""
    sessions = GroupSession.objects.filter(group=group).only("pk", "date", "time")
    summary = _("Group session: %(group)s") % {"group": group.name}
    description = _("Your group meets. Your facilitator has the details.")
    zone = ZoneInfo(settings.TIME_ZONE)
    for session in sessions.order_by("date", "time", "pk"):
        start = (
            datetime.datetime.combine(session.date, session.time, tzinfo=zone)
            if session.time is not None
            else session.date
        )
        yield calendar_event(
            uid=f"session-{session.pk}@{host}",
            start=start,
            summary=summary,
            description=description,
            stamp=stamp,
        )
