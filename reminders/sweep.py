"""
The reminders sweep (`manage.py send_reminders`): who is due which reminder at a given moment.

Run it as often as you like (hourly is the plan, see README), from any number of machines: it
records each (kind, person, occasion) once under the outbox's constraint (reminders/outbox.py)
and queues the sending of what it recorded when each batch commits.

People are read in keyset-paged batches; each batch costs the same few queries whatever its size
or the size of the data (the people with their preferences, their groups, their progress per
module, the lessons they finished three days ago, their past welcome-backs, one insert, and one
queue row per 50 new messages). The decisions are in reminders/rules.py.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import Membership, ParentGroup, User
from courses.models import Assignment, Lesson, LessonProgress, PracticeNote
from reminders import rules
from reminders.models import DigestOptOut, Kind, Message, ReminderPreference
from reminders.outbox import messages_record_and_queue
from reminders.registry import EXTERNAL_KINDS

BATCH_SIZE = 1000


@dataclass
class SweepReport:
    moment: datetime.datetime
    batches: int = 0
    people: int = 0
    recorded: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self):
        return sum(self.recorded.values())


@dataclass(frozen=True)
class Content:
    """The published lessons, as the sweep needs them (read once per sweep)."""

    lesson_ids: frozenset  # every published lesson
    module_totals: dict  # module id -> published lessons
    courses: dict  # course id -> module ids
    practice_lessons: frozenset  # lessons with a "try this week" practice


def content_read():
    lesson_ids = set()
    module_totals = defaultdict(int)
    courses = defaultdict(set)
    practice = set()
    for lesson_id, module_id, course_id, practice_text in Lesson.objects.published().values_list(
        "id", "module_id", "module__course_id", "practice"
    ):
        lesson_ids.add(lesson_id)
        module_totals[module_id] += 1
        courses[course_id].add(module_id)
        if practice_text.strip():
            practice.add(lesson_id)
    return Content(frozenset(lesson_ids), dict(module_totals), dict(courses), frozenset(practice))


def plan_read(*, today):
    """The plan dates that matter today: modules opening today or suggested two days on."""
    soon = today + datetime.timedelta(days=rules.SUGGESTED_SOON_DAYS)
    rows = Assignment.objects.filter(
        Q(opens_on=today) | Q(due_on=soon), group__archived_at__isnull=True
    ).values_list("group_id", "module_id", "opens_on", "due_on")
    return [rules.PlanDate(*row) for row in rows]


def verified(user_ref="pk", email_ref="email"):
    """The person's own address is verified (allauth): nobody else gets email from us."""
    return Exists(
        EmailAddress.objects.filter(
            user_id=OuterRef(user_ref), email__iexact=OuterRef(email_ref), verified=True
        )
    )


def hour_reached(*, local_hour):
    """People whose hour has come today (the rules check it again, person by person)."""
    reached = Q(reminder_preference__hour__lte=local_hour)
    if local_hour >= settings.REMINDERS_DEFAULT_HOUR:
        reached |= Q(reminder_preference__isnull=True) | Q(reminder_preference__hour__isnull=True)
    return reached


def people_batches(*, batch_size, local_hour):
    """
    Active people with a verified address whose hour has come, `batch_size` at a time, in id
    order: the early hours' sweeps read only the few who chose an early hour.
    """
    last_id = 0
    while True:
        batch = list(
            User.objects.filter(is_active=True, pk__gt=last_id)
            .filter(hour_reached(local_hour=local_hour))
            .filter(verified())
            .select_related("reminder_preference")
            .only("id", "email", "reminder_preference")
            .order_by("pk")[:batch_size]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].pk


def preference_of(user):
    try:
        return user.reminder_preference
    except ReminderPreference.DoesNotExist:
        return ReminderPreference(user=user)


def local_day_bounds(day):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def people_facts(*, batch, today, content):
    """Everything the rules need about a batch of people: a fixed number of queries."""
    ids = [user.pk for user in batch]
    groups = defaultdict(set)
    for user_id, group_id in Membership.objects.filter(
        user_id__in=ids, group__archived_at__isnull=True
    ).values_list("user_id", "group_id"):
        groups[user_id].add(group_id)

    modules = defaultdict(dict)
    progress = (
        LessonProgress.objects.filter(user_id__in=ids, lesson_id__in=content.lesson_ids)
        .values("user_id", "lesson__module_id")
        .annotate(
            started=Count("id"),
            done=Count("id", filter=Q(completed_at__isnull=False)),
            last_seen=Max("last_seen_at"),
        )
    )
    for row in progress:
        modules[row["user_id"]][row["lesson__module_id"]] = rules.ModuleProgress(
            done=row["done"],
            started=row["started"],
            last_seen=timezone.localtime(row["last_seen"]).date() if row["last_seen"] else None,
        )

    practice = defaultdict(list)
    start, end = local_day_bounds(rules.practice_day(today=today))
    finished = (
        LessonProgress.objects.filter(
            user_id__in=ids,
            lesson_id__in=content.practice_lessons,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .annotate(
            noted=Exists(
                PracticeNote.objects.filter(
                    user_id=OuterRef("user_id"), lesson_id=OuterRef("lesson_id")
                )
            )
        )
        .filter(noted=False)
        .values_list("user_id", "lesson_id")
    )
    for user_id, lesson_id in finished:
        practice[user_id].append(lesson_id)

    welcome_backs = defaultdict(list)
    for user_id, created_at in Message.objects.filter(
        user_id__in=ids, kind=Kind.WELCOME_BACK
    ).values_list("user_id", "created_at"):
        welcome_backs[user_id].append(timezone.localtime(created_at).date())

    people = []
    for user in batch:
        preference = preference_of(user)
        people.append(
            rules.Person(
                user_id=user.pk,
                send_hour=preference.send_hour,
                turned_off=frozenset(kind for kind in rules_kinds() if not preference.wants(kind)),
                group_ids=frozenset(groups[user.pk]),
                modules=modules[user.pk],
                practice_lessons=tuple(practice[user.pk]),
                welcome_backs=tuple(welcome_backs[user.pk]),
            )
        )
    return people


def rules_kinds():
    return [Kind.MODULE_OPENS, Kind.SUGGESTED_SOON, Kind.WELCOME_BACK, Kind.PRACTICE]


def reminders_sweep(*, now=None, batch_size=BATCH_SIZE, on_batch=None):
    """
    Record and queue every reminder due at `now` (default: this moment). Returns a SweepReport.
    `on_batch(report)` is called after each batch commits (the benchmark measures with it).
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    today, local_hour = local.date(), local.hour
    report = SweepReport(moment=now)
    content = content_read()
    plan = plan_read(today=today)
    for batch in people_batches(batch_size=batch_size, local_hour=local_hour):
        with transaction.atomic():
            rows = []
            for person in people_facts(batch=batch, today=today, content=content):
                for due in rules.person_reminders(
                    person=person,
                    today=today,
                    local_hour=local_hour,
                    plan=plan,
                    module_totals=content.module_totals,
                    courses=content.courses,
                ):
                    rows.append((due.kind, person.user_id, due.occasion, due.context))
            created = messages_record_and_queue(rows=rows, now=now)
        report.batches += 1
        report.people += len(batch)
        _count(report, rows, created)
        if on_batch:
            on_batch(report)
    digests_sweep(now=now, today=today, local_hour=local_hour, report=report, batch_size=batch_size)
    external_kinds_sweep(now=now, today=today, local_hour=local_hour, report=report)
    return report


def _count(report, rows, created):
    # Which kinds the new rows were: the insert returns ids only, so count by what was asked
    # when everything was new, else read them back (rare: a second sweep of the same hour).
    if len(created) == len(rows):
        for kind, *_ in rows:
            report.recorded[str(kind)] += 1
    elif created:
        for kind in Message.objects.filter(pk__in=created).values_list("kind", flat=True):
            report.recorded[kind] += 1


def digests_sweep(*, now, today, local_hour, report, batch_size):
    """On Mondays, each facilitator's weekly digest of each active group they run (opt-out)."""
    if today.weekday() != rules.DIGEST_WEEKDAY:
        return
    through = ParentGroup.facilitators.through
    week = rules.week_key(today)
    last_id = 0
    while True:
        pairs = list(
            through.objects.filter(
                pk__gt=last_id,
                parentgroup__archived_at__isnull=True,
                user__is_active=True,
                user__role=User.Role.FACILITATOR,
            )
            .filter(verified(user_ref="user_id", email_ref="user__email"))
            .exclude(
                Exists(
                    DigestOptOut.objects.filter(
                        user_id=OuterRef("user_id"), group_id=OuterRef("parentgroup_id")
                    )
                )
            )
            .values_list("pk", "user_id", "parentgroup_id", "user__reminder_preference__hour")
            .order_by("pk")[:batch_size]
        )
        if not pairs:
            return
        last_id = pairs[-1][0]
        rows = [
            (Kind.DIGEST, user_id, f"group:{group_id}:{week}", {"group": group_id, "week": week})
            for _, user_id, group_id, hour in pairs
            if rules.digest_due(
                today=today,
                local_hour=local_hour,
                send_hour=ReminderPreference(hour=hour).send_hour,
            )
        ]
        with transaction.atomic():
            created = messages_record_and_queue(rows=rows, now=now)
        report.batches += 1
        _count(report, rows, created)


def external_kinds_sweep(*, now, today, local_hour, report):
    """
    Kinds other apps decide (reminders/registry.py), e.g. the follow-up check-in: their rows
    for today, recorded for the people whose hour has come, with verified addresses. Two queries
    a kind beside its own: the people's addresses and hours. Preferences are checked again when
    each is sent, as for every kind.
    """
    for external in EXTERNAL_KINDS.values():
        rows = external.rows_for_day(today)
        if not rows:
            continue
        hours = dict(
            User.objects.filter(pk__in={row[1] for row in rows}, is_active=True)
            .filter(verified())
            .values_list("pk", "reminder_preference__hour")
        )
        due = [
            row
            for row in rows
            if row[1] in hours
            and rules.hour_reached(
                local_hour=local_hour, send_hour=ReminderPreference(hour=hours[row[1]]).send_hour
            )
        ]
        with transaction.atomic():
            created = messages_record_and_queue(rows=due, now=now)
        report.batches += 1
        _count(report, due, created)
