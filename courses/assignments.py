"""
Modules assigned to groups, and what that means for a parent: which modules are still locked
(and until when) and what their groups have planned.

A module is locked for a parent only when every one of their active groups for that course
has assigned it with an opening day still to come. A group that has not assigned a module
leaves it open, as it was before groups existed; so does having no group at all.
"""

from collections import defaultdict
from dataclasses import dataclass

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


@dataclass
class ParentPlans:
    """
    What a parent's active groups mean for them, from one read (parent_plans): each group
    with the modules it planned (`plans`), the modules still locked for them (`locks`,
    {module_id: the earliest day it opens}) and their groups' names (`group_names`, whose
    facilitators read the reflections they share).

    The rule: a module is locked only when every one of their active groups for its course has
    planned it with an opening day still to come. A group that has not planned a module leaves
    it open, as it was before groups existed; so does having no group at all.
    """

    plans: list
    locks: dict

    @property
    def group_names(self):
        names = {(plan.group.name.casefold(), plan.group.name) for plan in self.plans}
        return [name for _, name in sorted(names)]

    def opens_on(self, module_id):
        """The day this module opens for the parent, or None when it is open to them."""
        return self.locks.get(module_id)


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
        return ParentPlans(plans=[], locks={})
    extras = list(GROUP_PLAN_ANNOTATIONS) if with_extras else []
    language = current_language()
    # The extras depend on the day (not a plain parameter): that query is compiled once a day.
    shape = (course is not None, today if extras else None, language)
    by_course = {"course": course.pk} if course is not None else {}
    rows = _PLANS(shape=shape, user=user.pk, **by_course)
    plans = {}
    for row in rows:
        group_id, name, course_id, course_title, course_slug, course_published = row[:6]
        extra = dict(zip(extras, row[6 : 6 + len(extras)], strict=True))
        assignment_id, module_id, opens_on, due_on, title, slug, position, published = row[
            6 + len(extras) : 14 + len(extras)
        ]
        course_tr, module_tr = row[14 + len(extras) :] or (None, None)
        plan = plans.get(group_id)
        if plan is None:
            group = ParentGroup(
                pk=group_id,
                name=name,
                course=Course(pk=course_id, title=course_title, slug=course_slug),
            )
            if course_tr:
                group.course.translations = {language: {"title": course_tr}}
            for key, value in extra.items():
                setattr(group, key, value)
            plan = plans[group_id] = GroupPlan(group=group, notices=[])
        # A module that is not published is not part of the plan a parent sees.
        if assignment_id is not None and published and course_published:
            module = Module(pk=module_id, course_id=course_id, title=title, slug=slug)
            if module_tr:
                module.translations = {language: {"title": module_tr}}
            module.position = position
            assignment = Assignment(
                pk=assignment_id, group=plan.group, module=module, opens_on=opens_on, due_on=due_on
            )
            plan.notices.append(AssignmentNotice(assignment=assignment, today=today))
    for plan in plans.values():
        plan.notices.sort(key=lambda notice: (notice.module.position, notice.module.pk))
    return ParentPlans(plans=list(plans.values()), locks=_locks(plans.values(), today))


def _locks(plans, today):
    """{module_id: earliest opening day} for modules every group of its course opens later."""
    groups_by_course = defaultdict(set)
    waiting = {}  # module_id -> (course_id, {group_id: opens_on})
    for plan in plans:
        course_id = plan.group.course_id
        groups_by_course[course_id].add(plan.group.pk)
        for notice in plan.notices:
            opens_on = notice.assignment.opens_on
            if opens_on is not None and opens_on > today:
                waiting.setdefault(notice.module.pk, (course_id, {}))[1][plan.group.pk] = opens_on
    return {
        module_id: min(by_group.values())
        for module_id, (course_id, by_group) in waiting.items()
        if set(by_group) == groups_by_course[course_id]
    }
