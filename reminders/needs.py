"""
Who in a group may need a hand: parents away for two weeks or more (or who never came, two
weeks after joining) and parents behind the group's plan. Shown on the group report with a
"Send a kind nudge" button (`needs_from_report`, from the report the page already built). The
weekly digest reads the members itself (`group_members`): a fixed number of queries whatever
the group's size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import Membership
from courses.models import Lesson, LessonProgress, Module
from reminders import rules
from reminders.models import Kind, Message


@dataclass
class Member:
    user_id: int
    name: str
    joined_on: datetime.date
    modules: dict = field(default_factory=dict)  # module id -> rules.ModuleProgress

    @property
    def started(self):
        return sum(progress.started for progress in self.modules.values()) > 0

    @property
    def done(self):
        return sum(progress.done for progress in self.modules.values())

    @property
    def last_seen(self):
        days = [p.last_seen for p in self.modules.values() if p.last_seen]
        return max(days) if days else None


@dataclass
class Need:
    user_id: int
    name: str
    email: str  # shown beside the name: two parents of the same name are told apart
    away_since: datetime.date | None
    away: bool
    behind: list  # module numbers ("Module 2") behind the plan
    last_nudged: datetime.date | None
    may_nudge: bool


def group_members(*, group):
    """The group's members with their progress per module of the group's course."""
    lessons = Lesson.objects.published().filter(module__course_id=group.course_id)
    module_totals = defaultdict(int)
    for module_id in lessons.values_list("module_id", flat=True):
        module_totals[module_id] += 1
    members = {
        user_id: Member(user_id, name or email.split("@")[0], timezone.localtime(joined).date())
        for user_id, name, email, joined in Membership.objects.filter(group=group)
        .order_by("user__display_name", "user_id")
        .values_list("user_id", "user__display_name", "user__email", "joined_at")
    }
    rows = (
        LessonProgress.objects.filter(
            user_id__in=Membership.objects.filter(group=group).values("user_id"),
            lesson_id__in=lessons.values("pk"),
        )
        .values("user_id", "lesson__module_id")
        .annotate(
            started=Count("id"),
            done=Count("id", filter=Q(completed_at__isnull=False)),
            last_seen=Max("last_seen_at"),
        )
    )
    for row in rows:
        member = members.get(row["user_id"])
        if member is not None:
            member.modules[row["lesson__module_id"]] = rules.ModuleProgress(
                done=row["done"],
                started=row["started"],
                last_seen=timezone.localtime(row["last_seen"]).date(),
            )
    return list(members.values()), dict(module_totals)


def course_module_numbers(*, course_id):
    """{module id: its number as parents see it ("Module 2")}: published modules with lessons."""
    ids = (
        Module.objects.published()
        .filter(course_id=course_id, lessons__in=Lesson.objects.published())
        .order_by("position", "id")
        .values_list("pk", flat=True)
        .distinct()
    )
    return {pk: number for number, pk in enumerate(ids, start=1)}


def last_nudges(*, user_ids, today):
    """{user id: the day of their last nudge}, for nudges in the last week."""
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=rules.NUDGE_SPACING_DAYS), datetime.time.min
        )
    )
    return {
        user_id: timezone.localtime(last).date()
        for user_id, last in Message.objects.filter(
            kind=Kind.NUDGE, user_id__in=user_ids, created_at__gte=since
        )
        .values("user_id")
        .annotate(last=Max("created_at"))
        .values_list("user_id", "last")
    }


@dataclass
class GroupNeeds:
    """Who may need a hand: the whole group's count, and the people on the shown page."""

    count: int
    page: list  # Need, for the members on the report's current page


def needs_from_report(*, report, today=None):
    """
    Who in a group report (courses.reports.GroupReport) may need a hand: counted over the
    whole group, listed (each with why, and whether a nudge may go today) for the members on
    the page of the table being shown, so the page never lists hundreds of forms. Read from what
    the report has already counted (each member's lessons done per module and days away, the
    group's plan): the page adds one query at most, the last week's nudges of those listed.
    """
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    plan, module_totals, numbers = [], {}, {}
    for module in report.modules:
        module_id = module.module.pk
        numbers[module_id] = module.number
        module_totals[module_id] = len(module.columns)
        if module.assignment is not None:
            plan.append(rules.PlanDate(report.group.pk, module_id, None, module.assignment.due_on))
    on_page = {row.member.user_id for row in report.rows}
    total = sum(module_totals.values())
    count = 0
    needs = []
    for progress in report.members:
        done = {
            module_id: rules.ModuleProgress(done=progress.done_by_module.get(module_id, 0))
            for module_id in module_totals
        }
        days_away = progress.days_away
        reasons = rules.needs_a_hand(
            today=today,
            joined_on=progress.member.joined_at.astimezone(tz).date(),
            last_seen=None if days_away is None else today - datetime.timedelta(days=days_away),
            behind_modules=rules.modules_behind(
                today=today, plan=plan, module_totals=module_totals, modules=done
            ),
            finished=total > 0 and progress.done >= total,
        )
        if reasons:
            count += 1
            if progress.member.user_id in on_page:
                needs.append((progress.member, dict(reasons)))
    if not needs:
        return GroupNeeds(count=count, page=[])
    nudged = last_nudges(user_ids=[member.user_id for member, _ in needs], today=today)
    return GroupNeeds(
        count=count,
        page=[
            Need(
                user_id=member.user_id,
                name=member.name,
                email=member.email,
                away="away" in reasons,
                away_since=reasons.get("away"),
                behind=sorted(numbers[m] for m in reasons.get("behind", [])),
                last_nudged=nudged.get(member.user_id),
                may_nudge=rules.nudge_allowed(today=today, last_nudged=nudged.get(member.user_id)),
            )
            for member, reasons in needs
        ],
    )
