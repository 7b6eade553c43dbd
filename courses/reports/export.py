"""
The group report as a CSV file: the page's columns and numbers, every member (not a page), read
CSV_CHUNK members at a time so that memory does not grow with the group.

Progress numbers and, per lesson, how many parents reflected: never the words of a reflection,
not even shared ones. A file leaves the site (it is emailed, kept on laptops) and cannot follow
a parent who makes a reflection private again, leaves the group or deletes their account; the
page always shows what is shared right now.
"""

import csv

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from circle.downloads import csv_filename
from courses.progress import STATUS_LABELS
from courses.reports.group import lesson_columns, report_lessons
from courses.reports.members import Member, count_statuses, member_rows, members_in_order

# Members per chunk of the CSV export: its memory depends on this, not on the group's size.
CSV_CHUNK = 200


def _safe(value):
    """Keep spreadsheet programs from running a name like '=HYPERLINK(...)' as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def _member_chunks(group, chunk_size):
    """The members in the page's order, chunk by chunk (keyset paging, no OFFSET)."""
    members = members_in_order(group)
    chunk = [Member(*values) for values in members[:chunk_size]]
    while chunk:
        yield chunk
        if len(chunk) < chunk_size:
            return
        # The next chunk starts after the last member of this one (name, then email, which
        # is unique), so a parent joining meanwhile cannot shift rows twice.
        last = chunk[-1]
        chunk = [
            Member(*values)
            for values in members.filter(
                Q(sort_name__gt=last.sort_name)
                | Q(sort_name=last.sort_name, user__email__gt=last.email)
            )[:chunk_size]
        ]


def report_csv_lines(*, group, now=None, chunk_size=None):
    """The CSV, one line at a time, for a StreamingHttpResponse."""
    chunk_size = chunk_size or CSV_CHUNK
    today = timezone.localdate(now or timezone.now())
    writer = csv.writer(_Echo())
    lessons = report_lessons(group)
    # The header first; the counts are added up while the rows stream (count_statuses, as the
    # page counts them) and written at the end, with the reflection counts.
    modules = lesson_columns(group=group, lessons=lessons, members=0, with_checks=False)
    lesson_ids = [lesson.pk for lesson in lessons]
    counts = {pk: [0, 0] for pk in lesson_ids}
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the names as UTF-8
    yield writer.writerow(
        [
            gettext("Parent"),
            gettext("Email"),
            gettext("Joined"),
            gettext("Lessons done"),
            gettext("Completion (%)"),
            gettext("Last activity"),
            pgettext("a column of the CSV", "Note"),
            *(
                f"{module.number}.{position} {column.lesson.tr('title')}"
                for module in modules
                for position, column in enumerate(module.columns, start=1)
            ),
        ]
    )
    parents = 0
    percent_sum = 0
    for chunk in _member_chunks(group, chunk_size):
        for row in member_rows(members=chunk, lessons=lessons, today=today):
            count_statuses(dict(zip(lesson_ids, row.statuses, strict=True)), counts)
            parents += 1
            percent_sum += row.percent
            last = timezone.localtime(row.last_activity) if row.last_activity else None
            yield writer.writerow(
                [
                    _safe(row.member),
                    _safe(row.member.email),
                    timezone.localdate(row.member.joined_at).isoformat(),
                    row.done,
                    row.percent,
                    last.strftime("%Y-%m-%d %H:%M") if last else "",
                    row.activity_note,
                    *(str(STATUS_LABELS[status]) for status in row.statuses),
                ]
            )
    columns = [
        column
        for module in lesson_columns(
            group=group, lessons=lessons, members=parents, counts=counts, with_checks=False
        )
        for column in module.columns
    ]
    blank = [""] * 6
    yield writer.writerow(
        [
            gettext("Whole group: lesson completion (%)"),
            *blank[:3],
            round(percent_sum / parents) if parents else 0,
            *blank[:2],
            *(column.percent for column in columns),
        ]
    )
    yield writer.writerow(
        [
            gettext("Whole group: parents who reflected"),
            *blank,
            *(column.reflections.reflected for column in columns),
        ]
    )


def report_filename(group, today=None):
    return csv_filename(gettext("%(group)s-progress-%(date)s"), group.name, today)
