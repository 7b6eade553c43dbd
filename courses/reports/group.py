"""
The group report page: the lessons by module with the group's plan, the whole group's figures
for each lesson (done and started, counted by members.count_statuses as the CSV counts them;
reflected and shared; the knowledge checks), a summary of the members, and a page of rows.

A fixed number of queries whatever the size of the group or the course: the lessons (with the
group's plan of each module joined in), the members with their status on each lesson
(members.member_progress: one query gives the summary, the counts and the page's rows), the
reflection counts, and the knowledge checks (two). The table shows REPORT_PAGE_SIZE parents a
page; the summary above it and the per-lesson figures below it are the whole group's.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from accounts.models import Membership
from courses.insights import question_summary, reflection_summary
from courses.models import Assignment, Lesson
from courses.reports.members import count_statuses, member_progress, percent_of

REPORT_PAGE_SIZE = 50


@dataclass
class LessonColumn:
    lesson: Lesson
    members: int = 0
    done: int = 0
    started: int = 0
    reflections: object = None  # insights.ReflectionCount: how many reflected, never the text
    # How many of those reflections were shared with the facilitators; 0 for an archived group,
    # which no longer shows them.
    shared: int = 0
    checks: object = None  # insights.LessonQuestionSummary: the group's first-try results

    @property
    def percent(self):
        return percent_of(self.done, self.members)

    @property
    def state_key(self):
        """
        Every figure the report's line for this lesson shows (with the group and the content
        version, which the template adds to the key): its HTML is rendered once per state
        (circle/fragments.py), so reloading the report renders only what changed.
        """
        checks = self.checks
        return (
            self.lesson.pk,
            self.members,
            self.done,
            self.started,
            (self.reflections.reflected, self.reflections.parents) if self.reflections else None,
            self.shared,
            tuple(
                (stats.question.pk, stats.attempts, stats.parents, stats.first_try_correct)
                for stats in checks.questions
            )
            if checks
            else None,
        )


@dataclass
class ModuleColumns:
    module: object
    number: int
    columns: list = field(default_factory=list)
    assignment: Assignment | None = None


def report_lessons(group):
    """The course's published lessons in order, each with its module and the group's plan of it."""
    return list(
        Lesson.objects.published()
        .filter(module__course_id=group.course_id)
        .select_related("module")
        .only(
            "id",
            "slug",
            "title",
            "position",
            "translations",  # titles in the page's language, read here rather than one by one
            "module__id",
            "module__title",
            "module__position",
            "module__translations",
        )
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


def lesson_columns(*, group, lessons, members, counts=None, with_checks=True):
    """
    The whole group's figures for each lesson, grouped by module (ModuleColumns): of the
    `members` parents, how many started and finished it (`counts`, {lesson id: [started,
    done]} from members.count_statuses; none yet for the CSV's header), reflected on it and
    shared their reflection, and (with_checks) how they did on its knowledge check. One query
    (three with the checks).
    """
    counts = counts or {}
    member_ids = Membership.objects.filter(group=group).values("user_id")
    reflected = reflection_summary(lessons=lessons, user_ids=member_ids, parents=members)
    checks = question_summary(lessons=lessons, user_ids=member_ids) if with_checks else {}
    modules = []
    for lesson in lessons:
        if not modules or modules[-1].module.pk != lesson.module_id:
            plan = None
            if lesson.plan_pk is not None:
                plan = Assignment(
                    pk=lesson.plan_pk,
                    group=group,
                    module_id=lesson.module_id,
                    opens_on=lesson.plan_opens_on,
                    due_on=lesson.plan_due_on,
                )
            modules.append(
                ModuleColumns(module=lesson.module, number=len(modules) + 1, assignment=plan)
            )
        started, done = counts.get(lesson.pk, (0, 0))
        modules[-1].columns.append(
            LessonColumn(
                lesson=lesson,
                members=members,
                started=started,
                done=done,
                reflections=reflected[lesson.pk],
                shared=0 if group.is_archived else reflected[lesson.pk].shared,
                checks=checks.get(lesson.pk),
            )
        )
    return modules


@dataclass
class GroupReport:
    group: object
    modules: list  # ModuleColumns, with the whole group's counts per lesson
    members: list  # members.MemberProgress for every member, in order
    page: object  # a Paginator page of members.ReportRow: the table's rows
    # An archived group is over: its parents no longer see it, so their shared words are no
    # longer shown to it either ("shared with the facilitators of your groups" stays true).
    shows_shared: bool = True

    @property
    def rows(self):
        return self.page.object_list

    @property
    def columns(self):
        return [column for module in self.modules for column in module.columns]

    @property
    def lesson_count(self):
        return len(self.columns)

    @property
    def member_count(self):
        return len(self.members)

    @cached_property
    def average_percent(self):
        """The mean of each parent's completion, as the CSV's "Whole group" line says."""
        if not self.members:
            return 0
        total = self.lesson_count
        return round(
            sum(percent_of(member.done, total) for member in self.members) / len(self.members)
        )

    @cached_property
    def quiet_count(self):
        return sum(member.is_quiet for member in self.members)

    @property
    def shared_count(self):
        return sum(column.shared for column in self.columns)


class _Rows:
    """The members as the Paginator sees them: a page's rows are built only when asked for."""

    def __init__(self, members, lesson_ids):
        self.members, self.lesson_ids = members, lesson_ids

    def __len__(self):
        return len(self.members)

    def __getitem__(self, index):
        return [progress.row(self.lesson_ids) for progress in self.members[index]]


def group_report(*, group, page=1, now=None):
    today = timezone.localdate(now or timezone.now())
    lessons = report_lessons(group)
    members = member_progress(group=group, lessons=lessons, today=today)
    counts = {lesson.pk: [0, 0] for lesson in lessons}
    for progress in members:
        count_statuses(progress.statuses, counts)
    paginator = Paginator(_Rows(members, [lesson.pk for lesson in lessons]), REPORT_PAGE_SIZE)
    return GroupReport(
        group=group,
        modules=lesson_columns(group=group, lessons=lessons, members=len(members), counts=counts),
        members=members,
        page=paginator.get_page(page),
        shows_shared=not group.is_archived,
    )
