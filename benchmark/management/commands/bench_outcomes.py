"""
Add the outcomes app's rows to a benchmark database built by `manage.py bench_data`:
`manage.py bench_outcomes`. bench/run.py runs it after bench_data.

At realistic rates: every active group met every fortnight, six times, the last a few days ago,
and each member who had joined by then came to a session with a chance of 70%. Six parents in
ten answered the start check-in; two in three of those who finished the course answered the
end one too, and one in three of those the follow-up. Ratings sit around the middle of the
scale at the start and move up a little by the end, with some parents going down.
"""

import json
import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Membership, ParentGroup
from benchmark.management.commands.bench_data import EMAIL_DOMAIN, rows_write
from courses.models import Course, Lesson, LessonProgress
from outcomes.checkins import checkin_current_version
from outcomes.models import Attendance, Checkin, CheckinResponse, GroupSession

SESSIONS_PER_GROUP = 6
SESSION_EVERY_DAYS = 14
CAME = 0.7
ANSWERED_START = 0.6
ANSWERED_END = 2 / 3
ANSWERED_FOLLOW_UP = 1 / 3


def _ratings(rng, keys, shift):
    return {key: max(1, min(5, round(rng.gauss(3 + shift, 1)))) for key in keys}


class Command(BaseCommand):
    help = "Add group sessions, attendance and check-in answers to benchmark data."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args, seed, **options):
        course = Course.objects.published().filter(checkin__isnull=False).first()
        if course is None:
            raise CommandError("No published course with a check-in: run bench_data first.")
        if not Membership.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").exists():
            raise CommandError("No benchmark groups: run bench_data first.")
        if GroupSession.objects.exists():
            self.stdout.write("Outcomes benchmark data is there already.")
            return
        rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
        now = timezone.now()
        today = timezone.localdate(now)
        started = time.monotonic()
        with transaction.atomic():
            sessions, present = self.sessions_build(rng, today, now)
            self.stdout.write(
                f"{time.monotonic() - started:7.1f}s  sessions: {sessions}, present: {present}"
            )
            answers = self.checkins_build(rng, course, now)
            self.stdout.write(f"{time.monotonic() - started:7.1f}s  check-in answers: {answers}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE outcomes_groupsession, outcomes_attendance, outcomes_checkinresponse"
                )
        self.stdout.write(self.style.SUCCESS("Outcomes benchmark data ready."))

    def sessions_build(self, rng, today, now):
        groups = list(ParentGroup.objects.active().values_list("pk", flat=True))
        dates = [
            today - timedelta(days=3 + SESSION_EVERY_DAYS * number)
            for number in range(SESSIONS_PER_GROUP)
        ]
        created = GroupSession.objects.bulk_create(
            [GroupSession(group_id=group_id, date=date) for group_id in groups for date in dates],
            batch_size=2000,
        )
        by_group = {}
        for session in created:
            by_group.setdefault(session.group_id, []).append(session)
        # Lists, read before the COPY: no other query can run on its connection meanwhile.
        joined = list(
            Membership.objects.filter(group_id__in=groups).values_list(
                "group_id", "user_id", "joined_at"
            )
        )
        count = 0

        def rows():
            nonlocal count
            for group_id, user_id, joined_at in joined:
                for session in by_group.get(group_id, []):
                    if timezone.localdate(joined_at) <= session.date and rng.random() < CAME:
                        count += 1
                        yield session.pk, user_id, now

        rows_write(Attendance, ["session_id", "user_id", "recorded_at"], rows())
        return len(created), count

    def checkins_build(self, rng, course, now):
        checkin = Checkin.objects.get(course=course)
        version = checkin_current_version(checkin=checkin)
        keys = [statement["key"] for statement in version.content["statements"]]
        lessons = Lesson.objects.published().filter(module__course=course).count()
        finished = set(
            LessonProgress.objects.filter(lesson__module__course=course, lesson__is_published=True)
            .values("user_id")
            .annotate(done=Count("id", filter=Q(completed_at__isnull=False)))
            .filter(done__gte=lessons)
            .values_list("user_id", flat=True)
        )
        parents = list(
            Membership.objects.values_list("user_id", flat=True).distinct().order_by("user_id")
        )
        count = 0

        def rows():
            nonlocal count
            for user_id in parents:
                if rng.random() >= ANSWERED_START:
                    continue
                start_shift = rng.gauss(0, 0.4)
                yield self.row(
                    user_id, checkin, version, "start", _ratings(rng, keys, start_shift), now
                )
                count += 1
                if user_id in finished and rng.random() < ANSWERED_END:
                    end_shift = start_shift + rng.gauss(0.4, 0.5)
                    yield self.row(
                        user_id, checkin, version, "end", _ratings(rng, keys, end_shift), now
                    )
                    count += 1
                    if rng.random() < ANSWERED_FOLLOW_UP:
                        yield self.row(
                            user_id,
                            checkin,
                            version,
                            "follow_up",
                            _ratings(rng, keys, end_shift),
                            now,
                        )
                        count += 1

        fields = ["user_id", "checkin_id", "version_id", "moment", "answers", "created_at"]
        rows_write(CheckinResponse, fields, rows())
        return count

    @staticmethod
    def row(user_id, checkin, version, moment, answers, now):
        # COPY (PostgreSQL) takes the JSON as text; bulk_create (elsewhere) takes the dict.
        value = json.dumps(answers) if connection.vendor == "postgresql" else answers
        return user_id, checkin.pk, version.pk, moment, value, now
