"""
Build a benchmark database of realistic size: `manage.py bench_data [--scale 10]`.

It lives in `courses` (not in bench/) because it is Django code that writes course and account
rows, and `courses` is the app allowed to import `accounts`; bench/run.py only drives it.

Default scale: 10,000 parents and 250 facilitators, the real course from courses/content/, and
three retired (unpublished) editions of it, so a parent carries about 40 progress rows as the
issue asks although the live course has only a dozen lessons. Progress follows a realistic
funnel: most parents start, fewer finish. Rows go in with PostgreSQL's COPY (bulk_create in
batches on other databases, which the tests use), so 10x still builds in a minute or two.

Then groups (500 per scale unit, plus one of 500 parents) with their facilitators and plans,
and about 40 reflections, practice notes and knowledge-check answers per parent, on the lessons
each parent opened: `build_groups` and `build_reflections`.
"""

import random
import time
import uuid
from collections import defaultdict
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.groups import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from accounts.models import Membership, ParentGroup, User
from courses.loader import CONTENT_DIR, content_load
from courses.models import (
    Assignment,
    Choice,
    Course,
    Lesson,
    LessonProgress,
    Module,
    PracticeNote,
    Question,
    QuestionAttempt,
    Reflection,
)

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
    # Elsewhere (SQLite in the tests), plain INSERTs with the values as given, as COPY takes
    # them: bulk_create would run each field's pre_save (auto_now_add would replace the dates).
    model_fields = [model._meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    # Table and column names come from the models, quoted: nothing here is anyone's input.
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                [
                    model_field.get_db_prep_value(value, connection)
                    for model_field, value in zip(model_fields, row, strict=True)
                ]
            )
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
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
            for lesson in module.lessons.prefetch_related("questions__choices"):
                retired = Lesson.objects.create(
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
                # Their knowledge checks too, so answers spread over every lesson taken.
                for question in lesson.questions.all():
                    copied = Question.objects.create(
                        lesson=retired, text=question.text, position=question.position
                    )
                    Choice.objects.bulk_create(
                        Choice(
                            question=copied,
                            text=choice.text,
                            is_correct=choice.is_correct,
                            feedback=choice.feedback,
                            position=choice.position,
                        )
                        for choice in question.choices.all()
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


def _course_rows(rng, user_id, lesson_ids, touched, finished, start, until):
    """
    Rows for the first `touched` lessons, completed in order up to `finished`, all between
    `start` and `until` (the gaps shrink for a long course, so nothing lies in the future).
    """
    moment = start
    room = (until - start).total_seconds() / 60 / max(len(lesson_ids), 1) - 45
    longest_gap = max(6, min(60 * 24 * 6, room))
    for index, lesson_id in enumerate(lesson_ids[:touched]):
        started = moment + timedelta(minutes=rng.uniform(5, longest_gap))
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
                    yield from _course_rows(rng, user_id, lesson_ids, touched, touched, start, now)
            if rng.random() < 0.08:
                continue
            touched = len(live) if rng.random() < 0.35 else rng.randint(1, len(live))
            finished = touched if rng.random() < 0.5 else touched - 1
            # Recent enough that last_seen_at stays in the past.
            start = now - timedelta(days=rng.uniform(45, 120))
            yield from _course_rows(rng, user_id, live, touched, finished, start, now)

    fields = ["user_id", "lesson_id", "started_at", "last_seen_at", "completed_at"]
    return rows_write(LessonProgress, fields, rows())


GROUP_SIZE = 20  # parents per group on average: 10,000 parents make 500 groups
GROUP_SPREAD = 12  # sizes run from 8 to 32
BIG_GROUP = 500
SMALL_GROUP = 12
GROUP_PLACES = [
    "Tuesday evening", "Thursday morning", "Saturday", "Library", "Family centre", "Online",
    "Community hall", "Nursery", "Health visitors'", "Dads'", "Foster carers'", "Sunday",
]  # fmt: skip


def _group_sizes(rng, parents, count):
    """`count` sizes summing to `parents`, 8 to 32 around 20, the first exactly SMALL_GROUP."""
    sizes = [parents // count] * count
    for index in range(parents % count):
        sizes[index] += 1
    for index in range(0, count - 1, 2):
        shift = rng.randint(0, min(GROUP_SPREAD, sizes[index + 1] - 1))
        sizes[index] += shift
        sizes[index + 1] -= shift
    if count > 1 and sizes[0] > SMALL_GROUP:
        sizes[1] += sizes[0] - SMALL_GROUP
        sizes[0] = SMALL_GROUP
    return sizes


def _join_codes(rng, count):
    codes = set()
    while len(codes) < count:
        codes.add("".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH)))
    return list(codes)


def _plan(rng, modules, today):
    """
    A group's plan: one module a fortnight from the day it began, each suggested done a week
    after it opens. A few groups plan without dates; a group begun recently still has
    modules that open later (locked for its parents until then).
    """
    began = today - timedelta(days=rng.randint(0, 150))
    dated = rng.random() < 0.9
    for number, module in enumerate(modules):
        opens_on = began + timedelta(days=14 * number)
        if dated:
            yield module.pk, opens_on, opens_on + timedelta(days=7)
        else:
            yield module.pk, None, None


def build_groups(*, rng, parent_ids, facilitator_ids, course, now):
    """
    Every parent in one small group (8 to 32 parents, 20 on average, two per facilitator), one
    of them "Bench group of 12", plus "Bench group of 500" (its parents are also in a small
    group) run by the last facilitator. Three groups in four follow a plan of assignments; a
    third have a join code switched on; one in fifty is archived. bench/run.py finds the two
    bench groups by name. Returns the number of groups.
    """
    today = timezone.localdate(now)
    modules = list(course.modules.order_by("position", "id"))
    count = max(1, len(parent_ids) // GROUP_SIZE)
    sizes = _group_sizes(rng, len(parent_ids), count)
    shuffled = rng.sample(parent_ids, len(parent_ids))
    big = min(BIG_GROUP, len(parent_ids))
    codes = iter(_join_codes(rng, count))
    groups = []
    for number in range(count):
        name = f"{rng.choice(GROUP_PLACES)} group {number + 1}"
        archived = None
        if number == 0:
            name = f"Bench group of {sizes[0]}"
        elif rng.random() < 0.02:
            archived = now - timedelta(days=rng.uniform(1, 200))
        code = next(codes) if rng.random() < 0.33 else None
        groups.append(ParentGroup(name=name, course=course, join_code=code, archived_at=archived))
    groups.append(ParentGroup(name=f"Bench group of {big}", course=course))
    groups = ParentGroup.objects.bulk_create(groups, batch_size=BATCH)

    def facilitations():
        for number, group in enumerate(groups[:-1]):
            yield group.pk, facilitator_ids[number // 2 % len(facilitator_ids)]
        yield groups[-1].pk, facilitator_ids[-1]

    rows_write(ParentGroup.facilitators.through, ["parentgroup_id", "user_id"], facilitations())

    def memberships():
        start = 0
        for group, size in zip(groups, sizes, strict=False):
            for user_id in shuffled[start : start + size]:
                yield group.pk, user_id, now - timedelta(days=rng.uniform(20, 200))
            start += size
        for user_id in rng.sample(parent_ids, big):
            yield groups[-1].pk, user_id, now - timedelta(days=rng.uniform(1, 60))

    rows_write(Membership, ["group_id", "user_id", "joined_at"], memberships())

    def assignments():
        for number, group in enumerate(groups):
            # The two bench groups always have a plan, so their reports show one.
            if number == 0 or group is groups[-1] or rng.random() < 0.75:
                for module_id, opens_on, due_on in _plan(rng, modules, today):
                    yield group.pk, module_id, opens_on, due_on, now, now

    fields = ["group_id", "module_id", "opens_on", "due_on", "created_at", "updated_at"]
    rows_write(Assignment, fields, assignments())
    return len(groups)


REFLECTION_SENTENCES = [
    "When she ran off at the park I felt proud and a bit scared at the same time.",
    "I noticed I pull him back before he even looks back at me.",
    "My mum always told me to stop crying, and I hear her voice when I say it too.",
    "Last night he wanted a cuddle after the nightmare and I stayed with him until he settled.",
    "I find it hard when she needs me and I am tired after work.",
    "Being bigger, stronger, wiser and kind is easier on the days I have slept.",
    "I think I am better at the top of the circle than the bottom.",
    "We had a rupture over screen time and I went back later to say sorry.",
    "It helped to name the feeling out loud: you are cross because we had to leave.",
    "I want my children to know they can come to me even when I am upset.",
    "Honestly I am not sure yet. I will keep watching this week.",
    "My partner and I talked about this after the kids were in bed.",
    "He looks back at me from the slide every single time, and now I wave.",
    "I used to think comforting her would make her clingy. Now I am less sure.",
]  # fmt: skip
PRACTICE_TRIED = [
    "Stayed on the bench and smiled when she looked back.",
    "Got down to his level when he came back crying.",
    "Said sorry after I shouted at breakfast.",
    "Let her lead the game for ten minutes.",
    "Named his feeling before trying to fix it.",
    "Waited a moment before jumping in to help with the puzzle.",
]  # fmt: skip
PRACTICE_HAPPENED = [
    "",
    "She played for longer than usual.",
    "He calmed down faster than I expected.",
    "It felt awkward but she hugged me afterwards.",
    "Not much this time. I will try again tomorrow.",
    "He told me about his day without me asking.",
]  # fmt: skip
ROW_CHUNK = 2_000  # parents whose progress is read (and rows written) at a time


def _reflection_text(rng):
    return " ".join(rng.sample(REFLECTION_SENTENCES, rng.randint(1, 5)))


def _parent_records(rng, touched, questions, now):
    """One parent's reflections, practice notes and answers, on the lessons they opened."""
    reflections, notes, attempts = [], [], []
    for lesson_id, started, last_seen in touched:
        span = max((last_seen - started).total_seconds(), 1)
        written = started + timedelta(seconds=rng.uniform(0, span))
        if rng.random() < 0.4:
            edited = min(written + timedelta(days=rng.choice([0, 0, 0, 1, 6])), now)
            shared = rng.random() < 1 / 3
            reflections.append((lesson_id, _reflection_text(rng), shared, written, edited))
        if rng.random() < 0.12:
            for _ in range(rng.randint(1, 2)):
                noted = written + timedelta(days=rng.uniform(0, 6))
                notes.append(
                    (
                        lesson_id,
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        timezone.localdate(min(noted, now)),
                        rng.choice(PRACTICE_TRIED),
                        rng.choice(PRACTICE_HAPPENED),
                        min(noted, now),
                    )
                )
        # About one lesson in six gets its knowledge check answered, every question of it.
        checked = rng.random() < 0.17
        for question_id, choices in questions.get(lesson_id, ()) if checked else ():
            answered = written
            # Most pick the right answer first; some try again after reading the feedback.
            right = [choice for choice in choices if choice[1]]
            wrong = [choice for choice in choices if not choice[1]]
            while True:
                choice_id, correct = rng.choice(right if rng.random() < 0.7 else wrong)
                attempts.append((question_id, choice_id, correct, answered))
                if correct or rng.random() < 0.4:
                    break
                answered += timedelta(seconds=rng.uniform(10, 90))
    return reflections, notes, attempts


def build_reflections(*, rng, parent_ids, now):
    """
    Reflections (at most one per parent and lesson, a third shared with the group), practice
    notes and knowledge-check answers (retries kept), only on lessons the parent opened and
    dated within their visit, for about 40 rows per parent in all. Progress is read and rows
    written ROW_CHUNK parents at a time, so 10x stays within memory. Returns the row count.
    """
    questions = defaultdict(list)
    choices = defaultdict(list)
    for question_id, choice_id, correct in Choice.objects.values_list(
        "question_id", "pk", "is_correct"
    ).order_by("question_id", "position", "pk"):
        choices[question_id].append((choice_id, correct))
    for question_id, lesson_id in Question.objects.values_list("pk", "lesson_id").order_by(
        "lesson_id", "position", "pk"
    ):
        if choices[question_id]:
            questions[lesson_id].append((question_id, choices[question_id]))
    total = 0
    for start in range(0, len(parent_ids), ROW_CHUNK):
        chunk = parent_ids[start : start + ROW_CHUNK]
        touched = defaultdict(list)
        progress = (
            LessonProgress.objects.filter(user_id__in=chunk)
            .order_by("user_id", "started_at")
            .values_list("user_id", "lesson_id", "started_at", "last_seen_at")
        )
        for user_id, lesson_id, started, last_seen in progress:
            touched[user_id].append((lesson_id, started, last_seen))
        reflections, notes, attempts = [], [], []
        for user_id in chunk:
            mine = _parent_records(rng, touched[user_id], questions, now)
            reflections.extend((user_id, *row) for row in mine[0])
            notes.extend((user_id, *row) for row in mine[1])
            attempts.extend((user_id, *row) for row in mine[2])
        total += rows_write(
            Reflection,
            ["user_id", "lesson_id", "text", "shared", "created_at", "updated_at"],
            reflections,
        )
        total += rows_write(
            PracticeNote,
            [
                "user_id",
                "lesson_id",
                "key",
                "noted_on",
                "tried",
                "happened",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            ((*row, row[-1]) for row in notes),
        )
        total += rows_write(
            QuestionAttempt,
            ["user_id", "question_id", "choice_id", "is_correct", "created_at"],
            attempts,
        )
    return total


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
                now=now,
            )
            step("groups", groups)
            count = build_reflections(rng=rng, parent_ids=parent_ids, now=now)
            per_parent = count / max(1, len(parent_ids))
            step("reflections, notes and answers", f"{count} ({per_parent:.1f} per parent)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            step("analyze", "done")
        self.stdout.write(self.style.SUCCESS("Benchmark data ready."))
