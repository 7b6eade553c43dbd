"""
A group's sessions in its members' calendar feed (reminders/calendar.py CALENDAR_PARTS,
registered in outcomes/apps.py): each session on its day, at its time when it has one. As on the
dashboard, the place is left out: it is for facilitators only.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Event

from outcomes.models import GroupSession
from reminders.calendar import day_event


def session_events(*, group, host, stamp):
    """The group's sessions as iCalendar events. One query."""
    sessions = GroupSession.objects.filter(group=group).only("pk", "date", "time")
    summary = _("Group session: %(group)s") % {"group": group.name}
    description = _("Your group meets. Your facilitator has the details.")
    for session in sessions.order_by("date", "time", "pk"):
        uid = f"session-{session.pk}@{host}"
        if session.time is None:
            yield day_event(
                uid=uid, day=session.date, summary=summary, description=description, stamp=stamp
            )
            continue
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        # In UTC, so no time zone definition is needed; calendar apps show it in local time.
        start = datetime.datetime.combine(
            session.date, session.time, tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        event.add("dtstart", start.astimezone(datetime.UTC))
        event.add("summary", summary)
        event.add("description", description)
        yield event
