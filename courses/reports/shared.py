"""
The reflections a group's members shared on one lesson, a page at a time: a 500-parent group
shares hundreds, and listing them all on the report made it long and slow (bench/README.md).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils import formats, timezone

from accounts.models import Membership
from courses.insights import shared_reflections

SHARED_PER_PAGE = 50


@dataclass(frozen=True)
class SharedReflection:
    """One shared reflection as its page shows it: the writer (name, and email to tell two of
    the same name apart), the words, the dates in words (formatted here, once)."""

    writer: str
    email: str
    text: str
    written_on: str  # ISO date, for <time datetime>
    written: str  # "3 March 2026"
    changed: str  # the day it was last changed, if that is not the day it was written


def _shared_reflection(reflection):
    written = timezone.localdate(reflection.created_at)
    changed = timezone.localdate(reflection.updated_at)
    return SharedReflection(
        writer=str(reflection.user),
        email=reflection.user.email,
        text=reflection.text,
        written_on=written.isoformat(),
        written=formats.date_format(written, "DATE_FORMAT"),
        changed=formats.date_format(changed, "DATE_FORMAT") if changed != written else "",
    )


def shared_reflections_page(*, group, lesson, number):
    """
    A page of the reflections the group's members shared on one lesson, newest first: the
    same rule as everywhere (courses/insights.py), so a private reflection, one made private
    again, or one by a parent who left the group never shows. Two queries, the count and the
    page, whatever the group's size. Not for an archived group, which shows no shared words.
    """
    members = Membership.objects.filter(group=group).values("user_id")
    paginator = Paginator(shared_reflections(lesson=lesson, user_ids=members), SHARED_PER_PAGE)
    page = paginator.get_page(number)
    page.object_list = [_shared_reflection(reflection) for reflection in page.object_list]
    return page
