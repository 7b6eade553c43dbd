"""
What the reminders includes on courses' pages need, fetched by the includes themselves, so the
courses views and reports stay untouched (see templates/reminders/includes/).
"""

import uuid

from django import template

from reminders.announcements import announcements_for_group, announcements_for_member
from reminders.forms import AnnouncementForm
from reminders.needs import group_needs

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_announcements(context):
    return announcements_for_member(user=context["request"].user)


@register.simple_tag
def recent_announcements(group):
    return announcements_for_group(group=group)


@register.simple_tag
def announcement_form():
    return AnnouncementForm(initial={"key": uuid.uuid4()})


@register.simple_tag
def needs_a_hand(group):
    if group.is_archived:
        return []
    return group_needs(group=group)
