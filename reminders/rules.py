"""
When a reminder is due: the decisions of the sweep and the nudge button, as plain functions of
plain data (dates, ids, counts), so each rule is tested directly and by mutation testing.

Every day here is a day in the site's time zone. The sweep (reminders/sweep.py) gathers the
facts from the database and hands them to `person_reminders`.
"""

import datetime
from dataclasses import dataclass, field

# The numbers the issue gives, in one place.
SUGGESTED_SOON_DAYS = 2  # "suggested by" is two days away
AWAY_DAYS = 10  # away this long in the middle of a course: "welcome back"
WELCOME_BACK_SPACING_DAYS = 21  # at most once every three weeks...
WELCOME_BACK_MAX = 3  # ...and never more than three times in all
PRACTICE_AFTER_DAYS = 3  # the practice prompt, three days after a lesson is finished
NEEDS_A_HAND_AWAY_DAYS = 14  # the group report marks parents away this long
NUDGE_SPACING_DAYS = 7  # one nudge per parent per week at most
DIGEST_WEEKDAY = 0  # Monday


@dataclass(frozen=True)
class PlanDate:
    """One module of one group's plan, with its dates (either may be None)."""

    group_id: int
    module_id: int
    opens_on: datetime.date | None
    due_on: datetime.date | None


@dataclass
class ModuleProgress:
    """One person's lessons done in one module, out of its published lessons."""

    done: int = 0
    started: int = 0
    last_seen: datetime.date | None = None


@dataclass
class Person:
    """What the sweep knows about one person on one day."""

    user_id: int
    send_hour: int
    turned_off: frozenset = frozenset()
    group_ids: frozenset = frozenset()
    # module id -> ModuleProgress, for the published lessons of the courses they took.
    modules: dict = field(default_factory=dict)
    # lesson ids finished PRACTICE_AFTER_DAYS ago that have a practice and no practice note yet.
    practice_lessons: tuple = ()
    # The days they were sent a welcome back before.
    welcome_backs: tuple = ()


@dataclass(frozen=True)
class Due:
    """A reminder to record: its kind, occasion (unique per person and kind) and context."""

    kind: str
    occasion: str
    context: dict


def hour_reached(*, local_hour, send_hour):
    """Reminders go out from the person's hour on; a later sweep that day still sends them."""
    return local_hour >= send_hour


def modules_opening(*, today, plan, group_ids):
    """Modules a group of theirs planned to open today: {module id: group id}."""
    return {
        item.module_id: item.group_id
        for item in plan
        if item.group_id in group_ids and item.opens_on == today
    }


def modules_suggested_soon(*, today, plan, group_ids, module_totals, modules):
    """
    Modules a group of theirs suggested finishing two days from today whose published lessons
    they have not all done: {module id: (group id, suggested day)}.
    """
    soon = today + datetime.timedelta(days=SUGGESTED_SOON_DAYS)
    found = {}
    for item in plan:
        if item.group_id not in group_ids or item.due_on != soon:
            continue
        progress = modules.get(item.module_id) or ModuleProgress()
        if progress.done < module_totals.get(item.module_id, 0):
            found[item.module_id] = (item.group_id, item.due_on)
    return found


def course_in_the_middle(*, course_modules, module_totals, modules):
    """Started at least one published lesson of the course and not done them all."""
    started = sum(modules[m].started for m in course_modules if m in modules)
    done = sum(modules[m].done for m in course_modules if m in modules)
    total = sum(module_totals.get(m, 0) for m in course_modules)
    return started > 0 and done < total


def last_seen_in(*, course_modules, modules):
    days = [modules[m].last_seen for m in course_modules if m in modules and modules[m].last_seen]
    return max(days) if days else None


def is_away(*, today, last_seen, days=AWAY_DAYS):
    return last_seen is not None and (today - last_seen).days >= days


def welcome_back_allowed(*, today, previous):
    """At most once every three weeks, and never more than three times in all."""
    if len(previous) >= WELCOME_BACK_MAX:
        return False
    return all((today - day).days >= WELCOME_BACK_SPACING_DAYS for day in previous)


def welcome_back_course(*, today, courses, module_totals, modules):
    """The course they have been away from in the middle of, or None."""
    for course_id, course_modules in sorted(courses.items()):
        if not course_in_the_middle(
            course_modules=course_modules, module_totals=module_totals, modules=modules
        ):
            continue
        last_seen = last_seen_in(course_modules=course_modules, modules=modules)
        if is_away(today=today, last_seen=last_seen):
            return course_id
    return None


def person_reminders(*, person, today, local_hour, plan, module_totals, courses):
    """
    Every reminder due for this person today, before preferences' on/off choices are applied
    by `wanted`. `courses` maps a course id to its module ids (published lessons only).
    """
    if not hour_reached(local_hour=local_hour, send_hour=person.send_hour):
        return []
    due = []
    for module_id, group_id in sorted(
        modules_opening(today=today, plan=plan, group_ids=person.group_ids).items()
    ):
        if module_totals.get(module_id, 0):
            due.append(
                Due("module_opens", f"module:{module_id}", {"module": module_id, "group": group_id})
            )
    soon = modules_suggested_soon(
        today=today,
        plan=plan,
        group_ids=person.group_ids,
        module_totals=module_totals,
        modules=person.modules,
    )
    for module_id, (group_id, due_on) in sorted(soon.items()):
        due.append(
            Due(
                "suggested_soon",
                f"module:{module_id}",
                {"module": module_id, "group": group_id, "due_on": due_on.isoformat()},
            )
        )
    course_id = welcome_back_course(
        today=today, courses=courses, module_totals=module_totals, modules=person.modules
    )
    if course_id is not None and welcome_back_allowed(today=today, previous=person.welcome_backs):
        due.append(Due("welcome_back", f"day:{today.isoformat()}", {"course": course_id}))
    for lesson_id in sorted(person.practice_lessons):
        due.append(Due("practice", f"lesson:{lesson_id}", {"lesson": lesson_id}))
    return wanted(due, turned_off=person.turned_off)


def wanted(due, *, turned_off):
    return [item for item in due if item.kind not in turned_off]


def practice_day(*, today):
    """The day whose finished lessons get their practice prompt today."""
    return today - datetime.timedelta(days=PRACTICE_AFTER_DAYS)


def digest_due(*, today, local_hour, send_hour):
    return today.weekday() == DIGEST_WEEKDAY and hour_reached(
        local_hour=local_hour, send_hour=send_hour
    )


def week_key(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def nudge_allowed(*, today, last_nudged):
    """One nudge per parent per week: none in the seven days before today."""
    return last_nudged is None or (today - last_nudged).days >= NUDGE_SPACING_DAYS


def needs_a_hand(*, today, joined_on, last_seen, behind_modules, finished=False):
    """
    Why a parent may need a hand (a list of reasons, empty when all is well): away for two weeks
    or more (or never came, two weeks after joining), or behind the group's plan. A parent who
    has finished every lesson needs no nudge, however long ago they did.
    """
    if finished:
        return []
    reasons = []
    if last_seen is None:
        if (today - joined_on).days >= NEEDS_A_HAND_AWAY_DAYS:
            reasons.append(("away", None))
    elif is_away(today=today, last_seen=last_seen, days=NEEDS_A_HAND_AWAY_DAYS):
        reasons.append(("away", last_seen))
    if behind_modules:
        reasons.append(("behind", behind_modules))
    return reasons


def modules_behind(*, today, plan, module_totals, modules):
    """Planned modules whose suggested day has passed and whose lessons are not all done."""
    return [
        item.module_id
        for item in plan
        if item.due_on is not None
        and item.due_on < today
        and (modules.get(item.module_id) or ModuleProgress()).done
        < module_totals.get(item.module_id, 0)
    ]
