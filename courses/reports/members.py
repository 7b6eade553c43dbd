"""
A group's members and what each has done in the group's course.

Two reads, both a fixed number of queries whatever the group's size:
- member_progress: every member, with their lessons started and done per module and their last
  activity, counted in the database (one query): what the report's summary, "who may need a
  hand" and the CSV's order need, without a row per lesson per parent;
- member_rows: for a page of members, a status per lesson (one query): the report's table.

Members come as plain values (Member), not User objects: building a Membership and a User for
each of 500 parents was an eighth of the report's time.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    Q,
    StringAgg,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import Membership, User
from accounts.names import in_name_order, name_order, shown_name
from courses.models import LessonProgress
from courses.progress import DONE, IN_PROGRESS, NOT_STARTED

# After this many days without a visit, the report mentions it (gently).
QUIET_AFTER_DAYS = 7


def percent_of(done, total):
    return round(100 * done / total) if total else 0


class Member(NamedTuple):
    """A member as the report needs them."""

    user_id: int
    name: str  # their display name, or their email if they have none (as User.__str__)
    email: str  # shown to the group's facilitators beside the name: two Sams are told apart
    joined_at: datetime
    sort_name: str

    def __str__(self):
        return self.name


def members_in_order(group):
    """The group's members by name, then email (unique): one order for the page and the CSV."""
    return in_name_order(Membership.objects.filter(group=group)).values_list(
        "user_id", "name", "user__email", "joined_at", "sort_name"
    )


def _days_since(moment, today, tz):
    return None if moment is None else (today - moment.astimezone(tz).date()).days


def activity_note(days_away):
    """How long since a parent's last visit, in words that do not blame."""
    if days_away is None:
        return gettext("Has not started yet")
    if days_away >= QUIET_AFTER_DAYS:
        return ngettext(
            "Hasn't visited in %(days)d day", "Hasn't visited in %(days)d days", days_away
        ) % {"days": days_away}
    if days_away == 0:
        return gettext("Visited today")
    if days_away == 1:
        return gettext("Visited yesterday")
    return ngettext("Visited %(days)d day ago", "Visited %(days)d days ago", days_away) % {
        "days": days_away
    }


@dataclass
class MemberProgress:
    """One member and their status on each lesson of the course they have opened."""

    member: Member
    statuses: dict = field(default_factory=dict)  # lesson id -> DONE or IN_PROGRESS
    done_by_module: dict = field(default_factory=dict)  # module id -> lessons done
    last_activity: datetime | None = None
    days_away: int | None = None

    @property
    def done(self):
        return sum(self.done_by_module.values())

    @property
    def is_quiet(self):
        return self.days_away is not None and self.days_away >= QUIET_AFTER_DAYS

    def row(self, lesson_ids):
        """Their row of the table, from what was read already (no query)."""
        return ReportRow(
            member=self.member,
            statuses=[self.statuses.get(pk, NOT_STARTED) for pk in lesson_ids],
            last_activity=self.last_activity,
            days_away=self.days_away,
        )


def member_progress(*, group, lessons, today):
    """
    Every member of the group in order (members_in_order), with their status on each of
    `lessons` (the report's published lessons) and their last activity: from which the
    summary, the per-lesson counts, "who may need a hand" and the page's rows all come. One
    query, a row per member: their last activity and the lessons they finished and started
    are gathered in the database (a row per member and lesson, with its dates and the
    member's name and address repeated on each, was most of a 500-parent report's time).
    """
    lesson_ids = [lesson.pk for lesson in lessons]
    module_of = {lesson.pk: lesson.module_id for lesson in lessons}
    members = (
        # From the users, not the memberships: the progress joins them directly (one hop,
        # which SQLite can also plan), and only the report's lessons are joined.
        User.objects.filter(memberships__group=group)
        .annotate(
            _progress=FilteredRelation(
                "lesson_progress", condition=Q(lesson_progress__lesson_id__in=lesson_ids)
            ),
            name=shown_name(),
            sort_name=name_order(),
            joined_at=F("memberships__joined_at"),
            # last_seen_at is never empty; a completion may come after the last visit.
            latest=Max(
                Greatest(
                    "_progress__last_seen_at",
                    Coalesce("_progress__completed_at", "_progress__last_seen_at"),
                )
            ),
            opened_ids=_lesson_ids(),
            done_ids=_lesson_ids(Q(_progress__completed_at__isnull=False)),
        )
        .order_by("sort_name", "email")
        .values_list(
            "pk", "name", "email", "joined_at", "sort_name", "latest", "opened_ids", "done_ids"
        )
    )
    tz = timezone.get_current_timezone()  # once, not once per parent
    found = []
    for *member_values, latest, opened_ids, done_ids in members:
        progress = MemberProgress(
            member=Member(*member_values),
            last_activity=latest,
            days_away=_days_since(latest, today, tz),
        )
        for lesson_id in _ids(opened_ids):
            progress.statuses[lesson_id] = IN_PROGRESS
        for lesson_id in _ids(done_ids):  # of those opened, the ones finished
            progress.statuses[lesson_id] = DONE
            module_id = module_of[lesson_id]
            progress.done_by_module[module_id] = progress.done_by_module.get(module_id, 0) + 1
        found.append(progress)
    return found


def _lesson_ids(which=None):
    """The ids of a member's lessons (that match `which`), as text: "3,5,8" (or None)."""
    return StringAgg(Cast("_progress__lesson_id", TextField()), delimiter=Value(","), filter=which)


def _ids(text):
    return [int(part) for part in text.split(",")] if text else []


def count_statuses(statuses, counts):
    """
    Add one member's statuses ({lesson id: status}) to `counts` ({lesson id: [started, done]}):
    the one way the report page and the CSV count each lesson across the group.
    """
    for lesson_id, status in statuses.items():
        if lesson_id in counts and status != NOT_STARTED:
            counts[lesson_id][0] += 1
            if status == DONE:
                counts[lesson_id][1] += 1


@dataclass
class ReportRow:
    """One member's row of the table: a status per lesson, in the report's order."""

    member: Member
    statuses: list
    last_activity: datetime | None  # None if they have not opened a lesson
    days_away: int | None  # whole days from their last activity to today, in local time

    @cached_property
    def done(self):
        return sum(status == DONE for status in self.statuses)

    @property
    def percent(self):
        return percent_of(self.done, len(self.statuses))

    @property
    def is_quiet(self):
        return self.days_away is not None and self.days_away >= QUIET_AFTER_DAYS

    @property
    def activity_note(self):
        return activity_note(self.days_away)


def member_rows(*, members, lessons, today):
    """A ReportRow per member given (a page or a chunk of the group), in one query."""
    lesson_ids = [lesson.pk for lesson in lessons]
    # Both as lists of ids: PostgreSQL then reads the members' rows on the (user, lesson) index
    # (bench/results/explain-report-500.txt). Joining through the users or the lessons' modules
    # made it read every user of the site, or every parent's progress.
    progress_rows = LessonProgress.objects.filter(
        user_id__in=[member.user_id for member in members], lesson_id__in=lesson_ids
    ).values_list(
        "user_id",
        "lesson_id",
        ExpressionWrapper(Q(completed_at__isnull=False), output_field=BooleanField()),
        Greatest("last_seen_at", Coalesce("completed_at", "last_seen_at")),
    )
    progress = {}
    last_seen = {}
    for user_id, lesson_id, done, latest in progress_rows:
        progress[user_id, lesson_id] = DONE if done else IN_PROGRESS
        if user_id not in last_seen or latest > last_seen[user_id]:
            last_seen[user_id] = latest
    tz = timezone.get_current_timezone()
    return [
        ReportRow(
            member=member,
            statuses=[progress.get((member.user_id, pk), NOT_STARTED) for pk in lesson_ids],
            last_activity=last_seen.get(member.user_id),
            days_away=_days_since(last_seen.get(member.user_id), today, tz),
        )
        for member in members
    ]
