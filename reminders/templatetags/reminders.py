"""
What the reminders includes on courses' pages need, fetched by the includes themselves, so the
courses views and reports stay untouched (see templates/reminders/includes/).
"""

import uuid

from django import template

from reminders.announcements import announcements_for_group
from reminders.forms import AnnouncementForm
from reminders.needs import needs_from_report

register = template.Library()


@register.filter
def with_announcement(plans):
    """The dashboard's groups that have a recent announcement, newest first."""
    groups = [
        plan.group for plan in plans or () if getattr(plan.group, "latest_announcement_text", None)
    ]
    return sorted(groups, key=lambda group: group.latest_announcement_at, reverse=True)


@register.simple_tag
def recent_announcements(group):
    return announcements_for_group(group=group)


@register.simple_tag
def announcement_form():
    return AnnouncementForm(initial={"key": uuid.uuid4()})


@register.simple_tag
def needs_a_hand(report):
    if report.group.is_archived:
        return None
    return needs_from_report(report=report)
