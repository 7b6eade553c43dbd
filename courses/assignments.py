"""
Modules assigned to groups, and what that means for a parent: which modules are still locked
(and until when) and what their groups have planned.

A module is locked for a parent only when every one of their active groups for that course
has assigned it with an opening day still to come. A group that has not assigned a module
leaves it open, as it was before groups existed; so does having no group at all.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.language import friendly_date
from accounts.models import ParentGroup
from circle.compiled import CompiledRead
from courses.models import Assignment, Course, Module
from courses.translation import current_language, tr_marked

# friendly_date ("Monday 3 March", "lunes 3 de marzo") lives with the other language helpers in
# accounts/language.py; the pages import it from here as before.


# A plan's days fall within about five years of today (a session's, three: outcomes/forms.py):
# a slip of the keyboard (9999, 0001) is caught where it is typed, and the calendar and the
# pages never meet a day they cannot show.
PLAN_DAYS = 5 * 366


def plan_day_problem(day, today=None):
    """Why `day` cannot be in a group's plan (a message), or None when it can."""
    if day is None:
        return None
    today = today or timezone.localdate()
    if abs((day - today).days) > PLAN_DAYS:
        return gettext("Please choose a date within five years of today.")
    return None


def group_assign_module(*, group, module, opens_on=None, due_on=None):
    """Assign the module to the group, or change the dates of its assignment. Idempotent."""
    if group.is_archived:
        raise ValidationError(gettext("This group is archived. Restore it first to make changes."))
    if module.course_id != group.course_id:
        raise ValidationError(gettext("That module belongs to a different course."))
    for day in (opens_on, due_on):
        if problem := plan_day_problem(day):
            raise ValidationError(problem)
    if opens_on and due_on and opens_on > due_on:
        raise ValidationError(gettext("The suggested date cannot be before the module opens."))
    assignment, _ = Assignment.objects.update_or_create(
        group=group, module=module, defaults={"opens_on": opens_on, "due_on": due_on}
    )
    return assignment


@transaction.atomic
def group_plan_save(*, group, plan):
    """
    The group's whole plan at once: `plan` is [(module, planned, opens_on, due_on)] for the
    modules of its course; a planned module is assigned with its days, any other taken off
    the plan. All or nothing: one refused line saves none of them.
    """
    for module, planned, opens_on, due_on in plan:
        if planned:
            group_assign_module(group=group, module=module, opens_on=opens_on, due_on=due_on)
        else:
            group_unassign_module(group=group, module=module)


def group_unassign_module(*, group, module):
    """Take the module off the group's plan; it is simply open again for the group's parents."""
    if group.is_archived:
        raise ValidationError(gettext("This group is archived. Restore it first to make changes."))
    Assignment.objects.filter(group=group, module=module).delete()


@dataclass
class AssignmentNotice:
    """One line on a parent's dashboard about one assigned module."""

    assignment: Assignment
    today: object
    number: int | None = None  # the module's place in its course, as the course page shows it
    progress: object = None  # the parent's ModuleEntry for this module, when the view has it

    @property
    def module(self):
        return self.assignment.module

    @property
    def name(self):
        """'Module 2', as in "Module 2 opens Monday 3 March"."""
        return (
            gettext("Module %(number)s") % {"number": self.number}
            if self.number
            else self.module.title
        )

    @property
    def is_open(self):
        opens_on = self.assignment.opens_on
        return opens_on is None or opens_on <= self.today

    @property
    def opens_text(self):
        return friendly_date(self.assignment.opens_on, self.today)

    @property
    def due_text(self):
        if self.assignment.due_on is None:
            return ""
        return friendly_date(self.assignment.due_on, self.today)


@dataclass
class GroupPlan:
    group: ParentGroup
    notices: list

    @property
    def state_key(self):
        """
        Everything the plan's card on the dashboard shows, as it shows it (names, titles in the
        page's language, dates in words, the parent's counts): its HTML is rendered once per
        such state (circle/fragments.py).
        """
        return (
            self.group.pk,
            self.group.name,
            tr_marked(self.group.course, "title"),
            tuple(
                (
                    notice.name,
                    notice.is_open,
                    notice.due_text,
                    "" if notice.is_open else notice.opens_text,
                    tr_marked(notice.module, "title"),
                    notice.progress.done if notice.progress else None,
                    notice.progress.total if notice.progress else None,
                )
                for notice in self.notices
            ),
        )


# A hook for other apps: {attribute name: function(today) -> query expression}, annotated on
# each group when the plans are read `with_extras` (the dashboard), so it can show more about a
# group without a query of its own and without courses importing that app (reminders adds each
# group's latest announcement, reminders/apps.py).
GROUP_PLAN_ANNOTATIONS = {}


class ParentPlans:
    """
    What a parent's active groups mean for them, from one read (parent_plans): each group
    with the modules it planned (`plans`), the modules still locked for them (`locks`,
    {module_id: the earliest day it opens}) and their groups' names (`group_names`, whose
    facilitators read the reflections they share).

    The rule: a module is locked only when every one of their active groups for its course has
    planned it with an opening day still to come. A group that has not planned a module leaves
    it open, as it was before groups existed; so does having no group at all.

    The locks and names come from the rows as read; the plans' objects (groups, modules,
    assignments) are made only when a page asks for `plans` (the dashboard): making them cost
    a lesson page more than the read itself.
    """

    def __init__(self, rows, *, today, language):
        self.rows = rows  # PlanRow
        self.today = today
        self.language = language

    @property
    def group_names(self):
        names = {(row.name.casefold(), row.name) for row in self.rows}
        return [name for _, name in sorted(names)]

    def opens_on(self, module_id):
        """The day this module opens for the parent, or None when it is open to them."""
        return self.locks.get(module_id)

    @cached_property
    def locks(self):
        """{module_id: earliest opening day} for modules every group of its course opens later."""
        groups_by_course = defaultdict(set)
        waiting = {}  # module_id -> (course_id, {group_id: opens_on})
        for row in self.rows:
            groups_by_course[row.course_id].add(row.group_id)
            if row.shows_module and row.opens_on is not None and row.opens_on > self.today:
                by_group = waiting.setdefault(row.module_id, (row.course_id, {}))[1]
                by_group[row.group_id] = row.opens_on
        return {
            module_id: min(by_group.values())
            for module_id, (course_id, by_group) in waiting.items()
            if set(by_group) == groups_by_course[course_id]
        }

    @cached_property
    def plans(self):
        """Each group's GroupPlan, by name, its notices in module order."""
        plans = {}
        for row in self.rows:
            plan = plans.get(row.group_id)
            if plan is None:
                group = ParentGroup(
                    pk=row.group_id,
                    name=row.name,
                    course=Course(pk=row.course_id, title=row.course_title, slug=row.course_slug),
                )
                if row.course_tr:
                    group.course.translations = {self.language: {"title": row.course_tr}}
                for key, value in row.extras.items():
                    setattr(group, key, value)
                plan = plans[row.group_id] = GroupPlan(group=group, notices=[])
            if row.shows_module:
                module = Module(
                    pk=row.module_id, course_id=row.course_id, title=row.title, slug=row.slug
                )
                if row.module_tr:
                    module.translations = {self.language: {"title": row.module_tr}}
                module.position = row.position
                assignment = Assignment(
                    pk=row.assignment_id,
                    group=plan.group,
                    module=module,
                    opens_on=row.opens_on,
                    due_on=row.due_on,
                )
                plan.notices.append(AssignmentNotice(assignment=assignment, today=self.today))
        for plan in plans.values():
            plan.notices.sort(key=lambda notice: (notice.module.position, notice.module.pk))
        return list(plans.values())


class PlanRow(NamedTuple):
    """One row of the plans' read: a group, and one module it planned (or none)."""

    group_id: int
    name: str
    course_id: int
    course_title: str
    course_slug: str
    course_published: bool
    extras: dict  # GROUP_PLAN_ANNOTATIONS' values, by name
    assignment_id: int | None
    module_id: int | None
    opens_on: object
    due_on: object
    title: str | None
    slug: str | None
    position: int | None
    published: bool | None
    course_tr: str | None  # the titles in the page's language, when it is not the default
    module_tr: str | None

    @property
    def shows_module(self):
        """A module that is not published is not part of the plan a parent sees."""
        return self.assignment_id is not None and bool(self.published and self.course_published)

    @classmethod
    def of(cls, row, extras):
        count = len(extras)
        translated = row[14 + count :] or (None, None)
        return cls(
            *row[:6],
            dict(zip(extras, row[6 : 6 + count], strict=True)),
            *row[6 + count : 14 + count],
            *translated,
        )


_GROUP_FIELDS = ["pk", "name", "course_id", "course__title", "course__slug", "course__is_published"]
_MODULE = "assignments__module__"
_PLAN_FIELDS = [
    "assignments__pk",
    "assignments__module_id",
    "assignments__opens_on",
    "assignments__due_on",
    "assignments__module__title",
    "assignments__module__slug",
    "assignments__module__position",
    "assignments__module__is_published",
]


def _plans_query(p, by_course, extras_day, language):
    groups = ParentGroup.objects.active().for_member_id(p.user)
    if by_course:
        groups = groups.filter(course=p.course)
    extras = list(GROUP_PLAN_ANNOTATIONS) if extras_day else []
    if extras:
        groups = groups.annotate(
            **{name: make(extras_day) for name, make in GROUP_PLAN_ANNOTATIONS.items()}
        )
    # On a page in another language, the course's and modules' titles in it (just those).
    translated = (
        [f"course__translations__{language}__title", f"{_MODULE}translations__{language}__title"]
        if language
        else []
    )
    return groups.values_list(*_GROUP_FIELDS, *extras, *_PLAN_FIELDS, *translated).order_by(
        "name", "pk"
    )


# Read on every lesson, course and dashboard page: compiled once (circle/compiled.py).
_PLANS = CompiledRead(_plans_query, user=int, course=int)


def parent_plans(*, user, course=None, today=None, with_extras=False):
    """
    The parent's active groups (for one course, or all) with their plans and what those mean
    (ParentPlans), in one query whatever the number of groups or modules. Every page that
    locks a module or shows a plan reads it here: the lesson and handout pages through
    courses.access, the course page, the dashboard (`with_extras`: GROUP_PLAN_ANNOTATIONS).
    """
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return ParentPlans([], today=today, language="")
    extras = list(GROUP_PLAN_ANNOTATIONS) if with_extras else []
    language = current_language()
    # The extras depend on the day (not a plain parameter): that query is compiled once a day.
    shape = (course is not None, today if extras else None, language)
    by_course = {"course": course.pk} if course is not None else {}
    rows = _PLANS(shape=shape, user=user.pk, **by_course)
    return ParentPlans([PlanRow.of(row, extras) for row in rows], today=today, language=language)
