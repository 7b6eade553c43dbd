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
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from accounts.language import friendly_date
from accounts.models import ParentGroup
from courses.models import Assignment, Module

# friendly_date ("Monday 3 March", "lunes 3 de marzo") lives with the other language helpers in
# accounts/language.py; the pages import it from here as before.


def group_assign_module(*, group, module, opens_on=None, due_on=None):
    """Assign the module to the group, or change the dates of its assignment. Idempotent."""
    if group.is_archived:
        raise ValidationError(gettext("This group is archived. Restore it first to make changes."))
    if module.course_id != group.course_id:
        raise ValidationError(gettext("That module belongs to a different course."))
    if opens_on and due_on and opens_on > due_on:
        raise ValidationError(gettext("The suggested date cannot be before the module opens."))
    assignment, _ = Assignment.objects.update_or_create(
        group=group, module=module, defaults={"opens_on": opens_on, "due_on": due_on}
    )
    return assignment


def group_unassign_module(*, group, module):
    """Take the module off the group's plan; it is simply open again for the group's parents."""
    if group.is_archived:
        raise ValidationError(gettext("This group is archived. Restore it first to make changes."))
    Assignment.objects.filter(group=group, module=module).delete()


def _locks_from_rows(rows, today):
    """
    rows: (group_id, course_id, module_id or None, opens_on or None), one per group and
    assignment (a group without assignments comes once, with Nones).
    Returns {module_id: the earliest day it opens} for the modules that are locked.
    """
    groups_by_course = defaultdict(set)
    waiting = {}  # module_id -> (course_id, {group_id: opens_on})
    for group_id, course_id, module_id, opens_on in rows:
        groups_by_course[course_id].add(group_id)
        if module_id is not None and opens_on is not None and opens_on > today:
            waiting.setdefault(module_id, (course_id, {}))[1][group_id] = opens_on
    return {
        module_id: min(by_group.values())
        for module_id, (course_id, by_group) in waiting.items()
        if set(by_group) == groups_by_course[course_id]
    }


def module_locks(*, user, course=None, today=None):
    """The parent's locked modules, {module_id: day it opens}, in one query."""
    if not user.is_authenticated:
        return {}
    groups = ParentGroup.objects.active().for_member(user)
    if course is not None:
        groups = groups.filter(course=course)
    rows = groups.values_list("pk", "course_id", "assignments__module_id", "assignments__opens_on")
    return _locks_from_rows(rows, today or timezone.localdate())


def course_groups_and_locks(*, user, course, today=None):
    """
    For the lesson page, in the one query module_locks makes: the names of the parent's active
    groups for this course (whose facilitators read the reflections they share) and the
    parent's locked modules.
    """
    rows = list(
        ParentGroup.objects.active()
        .for_member(user)
        .filter(course=course)
        .values_list("pk", "name", "course_id", "assignments__module_id", "assignments__opens_on")
    )
    names = sorted({(name.casefold(), name) for _, name, *_ in rows})
    locks = _locks_from_rows([row[:1] + row[2:] for row in rows], today or timezone.localdate())
    return [name for _, name in names], locks


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


# A hook for other apps: {attribute name: function(today) -> query expression}, annotated on
# each group of parent_group_plans, so the dashboard can show more about a group without a
# query of its own and without courses importing that app (reminders adds each group's latest
# announcement, reminders/apps.py).
GROUP_PLAN_ANNOTATIONS = {}


def parent_group_plans(*, user, today=None):
    """
    The parent's active groups with their assigned modules (two queries), and the locks
    those plans imply. Returns (plans, locks).
    """
    today = today or timezone.localdate()
    groups = list(
        ParentGroup.objects.active()
        .for_member(user)
        .annotate(**{name: make(today) for name, make in GROUP_PLAN_ANNOTATIONS.items()})
        .select_related("course")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    module__in=Module.objects.published()
                ).select_related("module"),
            )
        )
    )
    rows = []
    plans = []
    for group in groups:
        assignments = sorted(
            group.assignments.all(), key=lambda a: (a.module.position, a.module_id)
        )
        rows.append((group.pk, group.course_id, None, None))
        rows.extend((group.pk, group.course_id, a.module_id, a.opens_on) for a in assignments)
        notices = [AssignmentNotice(assignment=a, number=None, today=today) for a in assignments]
        plans.append(GroupPlan(group=group, notices=notices))
    return plans, _locks_from_rows(rows, today)
