"""
The facilitator's group report: one row per parent, one column per published lesson (grouped
by module), with each parent's completion and last activity and each lesson's completion
across the group. Per lesson it also says how many of the group's parents reflected and how
many shared their reflection (counts only), and how the group did on the knowledge checks
(courses/insights.py; never per-parent grades). The page and the CSV export are both drawn
from one GroupReport, so their numbers cannot disagree.

The words of shared reflections are on a page of their own, one lesson and 50 reflections at
a time (shared_reflections_page): a 500-parent group shares hundreds, and listing them all on
the report made it long and slow (bench/README.md).

Six queries whatever the size of the group or the course: members, lessons (with the group's
assignment of each module joined in), progress, reflection counts, and the questions with
their first-try counts. Progress comes back as plain tuples; 200 parents and 40 lessons is
8,000 cells. The table's rows are built as HTML here, once each (ReportRow.html): looping over
500 rows and 6,000 cells in the template was most of the page's time.

The CSV export does not build a GroupReport: it reads the members in pages of CSV_CHUNK (in the
same order as the page) and each page's progress, and writes their rows as it goes, so its
memory does not grow with the group. Two queries per page, plus lessons and reflection counts.

Only members count: a parent who left the group, was removed or deleted their account has no
membership row, so neither their progress nor their reflections reach the report.
"""

import csv
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from html import escape
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from courses.insights import question_summary, reflection_summary, shared_reflections
from courses.models import Assignment, Lesson, LessonProgress, Reflection
from courses.progress import DONE, IN_PROGRESS, NOT_STARTED

# After this many days without a visit, the report mentions it (gently).
QUIET_AFTER_DAYS = 7
CELL_LABELS = {
    DONE: pgettext_lazy("a lesson's status", "Done"),
    IN_PROGRESS: pgettext_lazy("a lesson's status", "Started"),
    NOT_STARTED: _("Not started"),
}
CSV_LABELS = {
    DONE: pgettext_lazy("a lesson's status in the CSV", "done"),
    IN_PROGRESS: pgettext_lazy("a lesson's status in the CSV", "started"),
    NOT_STARTED: pgettext_lazy("a lesson's status in the CSV", "not started"),
}
CELL_SYMBOLS = {DONE: "✓", IN_PROGRESS: "◐", NOT_STARTED: "·"}


@cache
def cell_html(language):
    """
    A 500-parent report has 6,000 cells: looping over them in the template was 84% of the
    page's time. There are only three kinds of cell, so each is built once per language, here,
    and a row joins them (bench/README.md, "The 500-parent report").
    """
    return {
        status: format_html(
            '<td class="report-cell cell-{}"><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></td>',
            status,
            CELL_SYMBOLS[status],
            CELL_LABELS[status],
        )
        for status in CELL_LABELS
    }


# The rest of a row, around its cells: filled in Python for each of the report's rows.
ROW_HTML = (
    '<tr><th scope="row" class="report-name">{name}</th>'
    '<td class="text-nowrap">{done} ({percent}%)</td>'
    '<td class="{note_class}">{note}</td>{cells}</tr>'
)
# Members per page of the CSV export: its memory depends on this, not on the group's size.
CSV_CHUNK = 200
# Shared reflections per page of a lesson's shared reflections.
SHARED_PER_PAGE = 50


def _percent(done, total):
    return round(100 * done / total) if total else 0


@dataclass
class LessonColumn:
    lesson: Lesson
    done: int = 0
    started: int = 0
    members: int = 0
    reflections: object = None  # insights.ReflectionCount: how many reflected, never the text
    # How many of those reflections were shared with the facilitators; 0 for an archived group,
    # which no longer shows them.
    shared: int = 0
    checks: object = None  # insights.LessonQuestionSummary: the group's first-try results

    @property
    def percent(self):
        return _percent(self.done, self.members)


@dataclass
class ModuleColumns:
    module: object
    columns: list = field(default_factory=list)
    assignment: Assignment | None = None


class Member(NamedTuple):
    """A member as the report needs them: read as plain values, not 500 User objects."""

    user_id: int
    name: str  # their display name, or their email if they have none (as User.__str__)
    email: str
    joined_at: datetime
    sort_name: str

    def __str__(self):
        return self.name


@dataclass
class ReportRow:
    member: Member
    joined_at: datetime
    statuses: list
    last_activity: datetime | None  # None if they have not opened a lesson
    days_away: int | None  # whole days from their last activity to today, in local time

    @cached_property
    def done(self):
        return sum(status == DONE for status in self.statuses)

    @property
    def percent(self):
        return _percent(self.done, len(self.statuses))

    @property
    def cells_html(self):
        """The row's lesson cells: a symbol for the eye, the status in words for screen readers."""
        cells = cell_html(get_language())
        return mark_safe("".join(cells[status] for status in self.statuses))  # noqa: S308

    @property
    def html(self):
        """The whole table row, built here rather than by the template (ROW_HTML)."""
        return ROW_HTML.format(
            name=escape(self.member.name),
            done=self.done,
            percent=self.percent,
            note_class="text-nowrap quiet-note" if self.is_quiet else "text-nowrap",
            note=escape(self.activity_note),
            cells=self.cells_html,
        )

    @property
    def is_quiet(self):
        return self.days_away is not None and self.days_away >= QUIET_AFTER_DAYS

    @property
    def activity_note(self):
        """How long since their last visit, in words that do not blame."""
        days = self.days_away
        if days is None:
            return gettext("Has not started yet")
        if days >= QUIET_AFTER_DAYS:
            return ngettext(
                "Hasn't visited in %(days)d day", "Hasn't visited in %(days)d days", days
            ) % {"days": days}
        if days == 0:
            return gettext("Visited today")
        if days == 1:
            return gettext("Visited yesterday")
        return ngettext("Visited %(days)d day ago", "Visited %(days)d days ago", days) % {
            "days": days
        }


@dataclass
class GroupReport:
    group: object
    modules: list
    rows: list
    # An archived group is over: its parents no longer see it, so their shared words are no
    # longer shown to it either ("shared with the facilitators of your groups" stays true).
    shows_shared: bool = True

    @property
    def shared_count(self):
        return sum(column.shared for column in self.columns)

    @property
    def columns(self):
        return [column for module in self.modules for column in module.columns]

    @property
    def lesson_count(self):
        return len(self.columns)

    @cached_property
    def average_percent(self):  # the template asks twice
        return round(sum(row.percent for row in self.rows) / len(self.rows)) if self.rows else 0

    @cached_property
    def quiet_count(self):  # the template asks three times
        return sum(row.is_quiet for row in self.rows)

    @property
    def rows_html(self):
        """Every row of the table, for one template variable instead of a 500-row loop."""
        return mark_safe("\n".join(row.html for row in self.rows))  # noqa: S308 - escaped in ReportRow.html


def _members_in_order(group):
    """
    The group's members by name, then email: one order for the page and the CSV. Values, not
    model instances: building a Membership and a User for each of 500 parents was an eighth
    of the report's time.
    """
    return (
        Membership.objects.filter(group=group)
        .annotate(
            name=Coalesce(
                NullIf("user__display_name", Value("")), "user__email", output_field=CharField()
            ),
            sort_name=Lower("name"),
        )
        .order_by("sort_name", "user__email")
        .values_list("user_id", "name", "user__email", "joined_at", "sort_name")
    )


def _members(queryset):
    return [Member(*values) for values in queryset]


def _report_lessons(group):
    return list(
        Lesson.objects.published()
        .filter(module__course_id=group.course_id)
        .select_related("module")
        .only("id", "slug", "title", "position", "module__id", "module__title", "module__position")
        # The group's plan for each module rides along (one per module and group, so no
        # duplicate rows), which saves the report a query of its own.
        .annotate(
            _plan=FilteredRelation(
                "module__assignments", condition=Q(module__assignments__group=group)
            ),
            plan_pk=F("_plan__pk"),
            plan_opens_on=F("_plan__opens_on"),
            plan_due_on=F("_plan__due_on"),
        )
        .in_course_order()
    )


def _report_rows(*, progress_rows, members, columns, today):
    """A ReportRow per member, counting each lesson's done and started on its column."""
    progress = {}
    last_seen = {}
    for user_id, lesson_id, done, latest in progress_rows:
        progress[user_id, lesson_id] = DONE if done else IN_PROGRESS
        if user_id not in last_seen or latest > last_seen[user_id]:
            last_seen[user_id] = latest
    lesson_ids = [column.lesson.pk for column in columns]
    done_counts = [0] * len(columns)
    started_counts = [0] * len(columns)
    tz = timezone.get_current_timezone()  # once, not once per parent
    rows = []
    for member in members:
        user_id = member.user_id
        statuses = [progress.get((user_id, lesson_id), NOT_STARTED) for lesson_id in lesson_ids]
        for index, status in enumerate(statuses):
            if status != NOT_STARTED:
                started_counts[index] += 1
                if status == DONE:
                    done_counts[index] += 1
        last_activity = last_seen.get(user_id)
        rows.append(
            ReportRow(
                member=member,
                joined_at=member.joined_at,
                statuses=statuses,
                last_activity=last_activity,
                days_away=None
                if last_activity is None
                else (today - last_activity.astimezone(tz).date()).days,
            )
        )
    for column, done, started in zip(columns, done_counts, started_counts, strict=True):
        column.members += len(members)
        column.done += done
        column.started += started
    return rows


def _progress_values(lessons, user_ids):
    """Each progress row of these users on the report's lessons as (user, lesson, done?, its
    latest moment): one date to read, not two, for each of a 500-parent group's thousands."""
    # Both as lists of ids: PostgreSQL then reads the members' rows on the (user, lesson) index
    # (bench/results/explain-report-500.txt, 7 ms for 500 parents). Joining through the users or
    # the lessons' modules made it read every user of the site, or every parent's progress.
    return LessonProgress.objects.filter(
        user_id__in=user_ids, lesson_id__in=[lesson.pk for lesson in lessons]
    ).values_list(
        "user_id",
        "lesson_id",
        ExpressionWrapper(Q(completed_at__isnull=False), output_field=BooleanField()),
        # last_seen_at is never empty; a completion may come after the last visit.
        Greatest("last_seen_at", Coalesce("completed_at", "last_seen_at")),
    )


def group_report(*, group, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    members = _members(_members_in_order(group))
    lessons = _report_lessons(group)
    assignments = {
        lesson.module_id: Assignment(
            pk=lesson.plan_pk,
            group=group,
            module_id=lesson.module_id,
            opens_on=lesson.plan_opens_on,
            due_on=lesson.plan_due_on,
        )
        for lesson in lessons
        if lesson.plan_pk is not None
    }
    # The members' ids as a subquery rather than a list: 500 parameters cost more to build
    # and send than PostgreSQL takes to read the memberships again.
    user_ids = Membership.objects.filter(group=group).values("user_id")
    reflected = reflection_summary(lessons=lessons, user_ids=user_ids, parents=len(members))
    checks = question_summary(lessons=lessons, user_ids=user_ids)

    modules = []
    columns = []
    for lesson in lessons:
        if not modules or modules[-1].module.pk != lesson.module_id:
            modules.append(
                ModuleColumns(module=lesson.module, assignment=assignments.get(lesson.module_id))
            )
        column = LessonColumn(
            lesson=lesson,
            reflections=reflected[lesson.pk],
            shared=0 if group.is_archived else reflected[lesson.pk].shared,
            checks=checks[lesson.pk],
        )
        modules[-1].columns.append(column)
        columns.append(column)

    rows = _report_rows(
        progress_rows=_progress_values(lessons, [member.user_id for member in members]),
        members=members,
        columns=columns,
        today=today,
    )
    return GroupReport(group=group, modules=modules, rows=rows, shows_shared=not group.is_archived)


@dataclass(frozen=True)
class SharedReflection:
    """One shared reflection as its page shows it: the writer's name, the words, the dates in
    words (formatted here, once, not by the template)."""

    writer: str
    text: str
    written_on: str  # ISO date, for <time datetime>
    written: str  # "3 March 2026"
    changed: str  # the day it was last changed, if that is not the day it was written


def _shared_reflection(reflection):
    written = timezone.localdate(reflection.created_at)
    changed = timezone.localdate(reflection.updated_at)
    return SharedReflection(
        writer=str(reflection.user),
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


def _safe(value):
    """Keep spreadsheet programs from running a name like '=HYPERLINK(...)' as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def report_csv_lines(*, group, now=None, chunk_size=None):
    """
    The group's report as CSV, one line at a time, for a StreamingHttpResponse: the same
    numbers, columns and order as the page (group_report), read CSV_CHUNK members at a time
    so that memory does not grow with the group.

    Progress numbers and, per lesson, how many parents reflected: never the words of a
    reflection, not even shared ones. A file leaves the site (it is emailed, kept on laptops)
    and cannot follow a parent who makes a reflection private again, leaves the group or
    deletes their account; the page always shows what is shared right now.
    """
    chunk_size = chunk_size or CSV_CHUNK
    today = timezone.localdate(now or timezone.now())
    writer = csv.writer(_Echo())
    lessons = _report_lessons(group)
    columns = [LessonColumn(lesson=lesson) for lesson in lessons]
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the names as UTF-8
    numbers = []
    for lesson in lessons:
        if not numbers or numbers[-1][0] != lesson.module_id:
            numbers.append((lesson.module_id, []))
        numbers[-1][1].append(lesson)
    lesson_headers = [
        f"{number}.{position} {lesson.title}"
        for number, (_, module_lessons) in enumerate(numbers, start=1)
        for position, lesson in enumerate(module_lessons, start=1)
    ]
    yield writer.writerow(
        [
            gettext("Parent"),
            gettext("Email"),
            gettext("Joined"),
            gettext("Lessons done"),
            gettext("Completion (%)"),
            gettext("Last activity"),
            pgettext("a column of the CSV", "Note"),
            *lesson_headers,
        ]
    )
    parents = 0
    percent_sum = 0
    members = _members_in_order(group)
    page = _members(members[:chunk_size])
    while page:
        rows = _report_rows(
            progress_rows=_progress_values(lessons, [member.user_id for member in page]),
            members=page,
            columns=columns,
            today=today,
        )
        for row in rows:
            parents += 1
            percent_sum += row.percent
            last = timezone.localtime(row.last_activity) if row.last_activity else None
            yield writer.writerow(
                [
                    _safe(row.member),
                    _safe(row.member.email),
                    timezone.localdate(row.joined_at).isoformat(),
                    row.done,
                    row.percent,
                    last.strftime("%Y-%m-%d %H:%M") if last else "",
                    row.activity_note,
                    *(str(CSV_LABELS[status]) for status in row.statuses),
                ]
            )
        if len(page) < chunk_size:
            break
        # Keyset paging: the next page starts after the last member of this one (name, then
        # email, which is unique), so a parent joining meanwhile cannot shift rows twice.
        last_member = page[-1]
        page = _members(
            members.filter(
                Q(sort_name__gt=last_member.sort_name)
                | Q(sort_name=last_member.sort_name, user__email__gt=last_member.email)
            )[:chunk_size]
        )
    # How many of the members reflected on each lesson: counted in the database, per lesson.
    reflected = dict(
        Reflection.objects.filter(
            lesson_id__in=[lesson.pk for lesson in lessons], user__memberships__group=group
        )
        .values("lesson_id")
        .annotate(reflected=Count("user_id", distinct=True))
        .values_list("lesson_id", "reflected")
    )
    yield writer.writerow(
        [
            gettext("Whole group: lesson completion (%)"),
            "",
            "",
            "",
            round(percent_sum / parents) if parents else 0,
            "",
            "",
            *(column.percent for column in columns),
        ]
    )
    yield writer.writerow(
        [
            gettext("Whole group: parents who reflected"),
            "",
            "",
            "",
            "",
            "",
            "",
            *(reflected.get(lesson.pk, 0) for lesson in lessons),
        ]
    )


def report_filename(group, today=None):
    today = today or timezone.localdate()
    # Header-safe ASCII only: a name like "Groupe été" becomes "Groupe---t-".
    safe_name = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in group.name)
    safe_name = safe_name.strip("-")
    # The translated words pass the same filter, whatever the language.
    stem = gettext("%(group)s-progress-%(date)s") % {
        "group": safe_name or gettext("group"),
        "date": today.isoformat(),
    }
    return (
        "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem)
        + ".csv"
    )
