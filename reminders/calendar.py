"""
A group's plan as an iCalendar feed (RFC 5545, built with the `icalendar` library): each planned
module's opening day and "suggested by" day as all-day events, and what other apps add
(CALENDAR_PARTS: the group's sessions, outcomes/calendar.py). Read by calendar apps from a
private address (CalendarFeed.token), without a login.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.models import Membership
from courses.models import Assignment
from reminders.models import CalendarFeed
from reminders.needs import course_module_numbers

PRODUCT_ID = "-//Circle course//Group plan//EN"

# {name: function(group, host, stamp) -> [Event]} that add to every group's feed; apps that
# reminders does not import register theirs here (outcomes/apps.py adds the group's sessions).
CALENDAR_PARTS = {}


def get_feed_for_token(token):
    """The feed of a member of an active group; 404 for anything else (revoked, left, archived)."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("group__course", "user"),
        token=token,
        group__archived_at__isnull=True,
        user__is_active=True,
    )
    if not Membership.objects.filter(group=feed.group, user=feed.user).exists():
        raise Http404("No such calendar.")
    return feed


def feeds_of(user):
    """
    [(group, its CalendarFeed or None)] for each active group the person is in, by name. Read
    only: an address is made when the person asks for one (feed_make).
    """
    memberships = (
        Membership.objects.filter(user=user, group__archived_at__isnull=True)
        .select_related("group")
        .order_by("group__name", "group_id")
    )
    feeds = {feed.group_id: feed for feed in CalendarFeed.objects.filter(user=user)}
    return [(m.group, feeds.get(m.group_id)) for m in memberships]


def feed_make(*, user, group):
    """
    A new address for this member's calendar of the group; the old one, if any, stops working
    at once. Returns (the feed, whether it replaced one). Two at once (a double tap) leave one.
    """
    try:
        with transaction.atomic():
            replaced, _ = CalendarFeed.objects.filter(user=user, group=group).delete()
            return CalendarFeed.objects.create(user=user, group=group), bool(replaced)
    except IntegrityError:  # the other tap made it in between: this one replaced nothing
        return CalendarFeed.objects.get(user=user, group=group), False


def calendar_event(*, uid, start, summary, description, stamp):
    """
    One event. A day (`datetime.date`) is a day-long event that leaves the time free; a moment
    (an aware `datetime.datetime`) starts then, written in UTC so the feed needs no time zone
    definition (calendar apps show it in local time), and has no end: how long it lasts is not
    known.
    """
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    if isinstance(start, datetime.datetime):
        event.add("dtstart", start.astimezone(datetime.UTC))
    else:
        event.add("dtstart", start)
        if start < datetime.date.max:  # the last day there is needs no end
            event.add("dtend", start + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    event.add("summary", summary)
    event.add("description", description)
    return event


def group_calendar(*, group):
    """The group's plan as iCalendar bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{group.name} · {group.course.tr('title')}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    assignments = list(
        Assignment.objects.filter(group=group)
        .select_related("module")
        .order_by("module__position", "module_id")
    )
    numbers = course_module_numbers(course_id=group.course_id)
    stamp = timezone.now()
    course_url = settings.SITE_URL.rstrip("/") + group.course.get_absolute_url()
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "circle-course"
    for assignment in assignments:
        number = numbers.get(assignment.module_id)
        if number is None:
            continue  # an unpublished module: nothing for parents to open
        title = assignment.module.tr("title")
        if assignment.opens_on:
            calendar.add_component(
                calendar_event(
                    uid=f"assignment-{assignment.pk}-opens@{host}",
                    start=assignment.opens_on,
                    summary=_("Module %(number)s opens: %(title)s")
                    % {"number": number, "title": title},
                    description=_("Module %(number)s of %(course)s is ready for you. %(url)s")
                    % {"number": number, "course": group.course.tr("title"), "url": course_url},
                    stamp=stamp,
                )
            )
        if assignment.due_on:
            calendar.add_component(
                calendar_event(
                    uid=f"assignment-{assignment.pk}-suggested@{host}",
                    start=assignment.due_on,
                    summary=_("Module %(number)s suggested by today: %(title)s")
                    % {"number": number, "title": title},
                    description=_(
                        "Your group suggested finishing Module %(number)s around today. "
                        "It is there whenever you are ready. %(url)s"
                    )
                    % {"number": number, "url": course_url},
                    stamp=stamp,
                )
            )
    for part in CALENDAR_PARTS.values():
        for event in part(group=group, host=host, stamp=stamp):
            calendar.add_component(event)
    return calendar.to_ical()
