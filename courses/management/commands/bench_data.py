"""
Build a benchmark database of realistic size: `manage.py bench_data [--scale 10]`.

It lives in `courses` (not in bench/) because it is Django code that writes course and account
rows, and `courses` is the app allowed to import `accounts`; bench/run.py only drives it.

Default scale: 10,000 parents and 250 facilitators, the real course from courses/content/, and
three retired (unpublished) editions of it, so a parent carries about 40 progress rows as the
issue asks although the live course has only a dozen lessons. Progress follows a realistic
funnel: most parents start, fewer finish. Rows go in with PostgreSQL's COPY (bulk_create in
batches on other databases, which the tests use), so 10x still builds in a minute or two.

Groups (issue 3) and reflections and answers (issue 4) are not built yet: see the two stubs
below, `build_groups` and `build_reflections`, which the lead fills in when those models land.
"""

import random
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from courses.loader import CONTENT_DIR, content_load
from courses.models import Course, Lesson, LessonProgress, Module

EMAIL_DOMAIN = "bench.example"
PASSWORD = "bench-password-not-secret"  # noqa: S105 - synthetic accounts on a local database
PARENTS_PER_SCALE = 10_000
PARENTS_PER_FACILITATOR = 40  # two groups of about 20 each
BATCH = 2_000
NAMES = [
    "Alex", "Sam", "Jo", "Priya", "Mo", "Kim", "Ola", "Rui", "Ana", "Lee", "Nia", "Tom",
    "Ife", "Sara", "Yusuf", "Mei", "Dan", "Zoe", "Ravi", "Eva", "Omar", "Lina", "Ben", "Ayo",
]  # fmt: skip


def parent_email(number):
    return f"parent{number:06d}@{EMAIL_DOMAIN}"


def facilitator_email(number):
    return f"facilitator{number:05d}@{EMAIL_DOMAIN}"


def rows_write(model, fields, rows):
    """Write many rows fast: COPY on PostgreSQL, bulk_create in batches elsewhere."""
    columns = [model._meta.get_field(name).column for name in fields]
    count = 0
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        names = ", ".join(quote(column) for column in columns)
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


def course_ensure():
    """The real course, from the same Markdown files production loads."""
    content_load(root=CONTENT_DIR)
    course = Course.objects.published().order_by("position", "id").first()
    if course is None:
        raise CommandError(f"No published course under {CONTENT_DIR}.")
    return course


def editions_build(course, count):
    """
    Retired editions of the course: unpublished copies a parent finished in earlier years.
    They give each parent the issue's ~40 progress rows without changing what pages show.
    """
    editions = []
    for number in range(1, count + 1):
        edition = Course.objects.create(
            slug=f"{course.slug}-edition-{number}",
            title=f"{course.title} (edition {number})",
            summary=course.summary,
            description=course.description,
            position=course.position + number,
            is_published=False,
        )
        for module in course.modules.all():
            copy = Module.objects.create(
                course=edition,
                slug=module.slug,
                title=module.title,
                summary=module.summary,
                position=module.position,
            )
            for lesson in module.lessons.all():
                Lesson.objects.create(
                    module=copy,
                    slug=f"{lesson.slug}-edition-{number}",
                    title=lesson.title,
                    summary=lesson.summary,
                    circle_place=lesson.circle_place,
                    principle=lesson.principle,
                    minutes=lesson.minutes,
                    body=lesson.body,
                    key_points=lesson.key_points,
                    practice=lesson.practice,
                    reflection_prompt=lesson.reflection_prompt,
                    position=lesson.position,
                )
        editions.append(edition)
    return editions


def users_build(*, rng, parents, facilitators, now):
    """Parents and facilitators with verified addresses; returns (parent_ids, facilitator_ids)."""
    password = make_password(PASSWORD)  # hashed once: every bench account shares it

    def rows():
        for number in range(1, parents + 1):
            joined = now - timedelta(days=rng.uniform(1, 540))
            name = f"{rng.choice(NAMES)} {number}"
            yield (password, False, parent_email(number), False, True, joined, name, "parent")
        for number in range(1, facilitators + 1):
            joined = now - timedelta(days=rng.uniform(300, 900))
            name = f"Facilitator {number}"
            yield (
                password, False, facilitator_email(number), False, True, joined, name,
                User.Role.FACILITATOR,
            )  # fmt: skip

    fields = [
        "password", "is_superuser", "email", "is_staff", "is_active", "date_joined",
        "display_name", "role",
    ]  # fmt: skip
    rows_write(User, fields, rows())
    users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    # A list, not .iterator(): a server-side cursor cannot share the connection with COPY.
    addresses = list(users.values_list("pk", "email"))
    rows_write(
        EmailAddress,
        ["user_id", "email", "verified", "primary"],
        ((pk, email, True, True) for pk, email in addresses),
    )
    ids = users.order_by("pk").values_list("pk", flat=True)
    return list(ids.filter(role=User.Role.PARENT)), list(ids.filter(role=User.Role.FACILITATOR))


def _lesson_ids(course):
    return list(
        Lesson.objects.filter(module__course=course).in_course_order().values_list("pk", flat=True)
    )


def _course_rows(rng, user_id, lesson_ids, touched, finished, start):
    """Rows for the first `touched` lessons, completed in order up to `finished`."""
    moment = start
    for index, lesson_id in enumerate(lesson_ids[:touched]):
        started = moment + timedelta(minutes=rng.uniform(5, 60 * 24 * 6))
        completed = None
        last_seen = started + timedelta(minutes=rng.uniform(1, 40))
        if index < finished:
            completed = last_seen
            last_seen = completed + timedelta(minutes=rng.uniform(0, 3))
        moment = last_seen
        yield (user_id, lesson_id, started, last_seen, completed)


def progress_build(*, rng, parent_ids, course, editions, now):
    """
    The live course: 8% never start; of the rest about a third finish, the others stop
    somewhere along the way. Retired editions: most parents took them, most finished.
    """
    live = _lesson_ids(course)
    retired = [_lesson_ids(edition) for edition in editions]

    def rows():
        for user_id in parent_ids:
            for number, lesson_ids in enumerate(retired):
                if rng.random() < 0.9:
                    size = len(lesson_ids)
                    touched = size if rng.random() < 0.8 else rng.randint(1, size)
                    start = now - timedelta(days=700 - 150 * number + rng.uniform(0, 60))
                    yield from _course_rows(rng, user_id, lesson_ids, touched, touched, start)
            if rng.random() < 0.08:
                continue
            touched = len(live) if rng.random() < 0.35 else rng.randint(1, len(live))
            finished = touched if rng.random() < 0.5 else touched - 1
            # Recent enough that last_seen_at stays in the past.
            start = now - timedelta(days=rng.uniform(45, 120))
            yield from _course_rows(rng, user_id, live, touched, finished, start)

    fields = ["user_id", "lesson_id", "started_at", "last_seen_at", "completed_at"]
    return rows_write(LessonProgress, fields, rows())


def build_groups(*, rng, parent_ids, facilitator_ids, course, scale):
    """
    TODO(issue 3, lead at merge): ParentGroup, Membership and Assignment rows. Not built yet
    because those models are not on this branch; nothing is faked in their place.

    What to build (the benchmark's report hooks in bench/run.py look these up by name):
    - 500 * scale groups of 8 to 32 parents (mean 20, so every parent is in one group), each
      run by one of `facilitator_ids` (two groups per facilitator), course = `course`, every
      module assigned with opens_on/due_on a week apart;
    - exactly one of them named "Bench group of 12" with 12 members;
    - one extra group "Bench group of 500" of 500 parents (they are also in their small group),
      run by the last facilitator.
    Write memberships with rows_write(Membership, [...], generator) so 10x stays fast.
    Return the number of groups built.
    """
    return 0


def build_reflections(*, rng, parent_ids, course, now):
    """
    TODO(issue 4, lead at merge): Reflection and QuestionAttempt rows, about 40 per parent
    in all, for lessons the parent has progress on (query LessonProgress for that), a third
    of the reflections shared with the group. Not built yet: those models are not on this
    branch. Return the number of rows built.
    """
    return 0


class Command(BaseCommand):
    help = "Fill an empty database with benchmark data (10,000 parents per --scale unit)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 = 10,000 parents.")
        parser.add_argument(
            "--editions", type=int, default=3, help="Retired course editions (progress volume)."
        )
        parser.add_argument("--parents", type=int, help="Override the number of parents.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, scale, editions, parents, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
            raise CommandError(
                "This database already has benchmark data; drop it and migrate again to rebuild."
            )
        rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
        now = timezone.now()
        parents = parents if parents is not None else PARENTS_PER_SCALE * scale
        facilitators = max(1, parents // PARENTS_PER_FACILITATOR)
        started = time.monotonic()

        def step(label, value):
            elapsed = time.monotonic() - started
            self.stdout.write(f"{elapsed:7.1f}s  {label}: {value}")

        with transaction.atomic():
            course = course_ensure()
            retired = editions_build(course, editions)
            step("course", f"{course.slug}, {editions} retired editions")
            parent_ids, facilitator_ids = users_build(
                rng=rng, parents=parents, facilitators=facilitators, now=now
            )
            step("users", f"{len(parent_ids)} parents, {len(facilitator_ids)} facilitators")
            count = progress_build(
                rng=rng, parent_ids=parent_ids, course=course, editions=retired, now=now
            )
            step("progress rows", f"{count} ({count / max(1, len(parent_ids)):.1f} per parent)")
            groups = build_groups(
                rng=rng,
                parent_ids=parent_ids,
                facilitator_ids=facilitator_ids,
                course=course,
                scale=scale,
            )
            step("groups", groups or "not built (ParentGroup arrives with issue 3)")
            reflections = build_reflections(rng=rng, parent_ids=parent_ids, course=course, now=now)
            step("reflections and answers", reflections or "not built (issue 4)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            step("analyze", "done")
        self.stdout.write(self.style.SUCCESS("Benchmark data ready."))
