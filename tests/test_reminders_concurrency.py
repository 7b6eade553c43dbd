"""
The proof that reminders go out exactly once: two sweeps at the same moment and two real
`db_worker` processes, all four running at once, on PostgreSQL. Each (kind, person, occasion)
is recorded once under the outbox's constraint and each email is sent once (the file mail
backend writes what each worker sent; we count the recipients).
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import Lesson
from reminders.models import Kind, Message
from tests.factories import (
    AssignmentFactory,
    CourseFactory,
    LessonFactory,
    LessonProgressFactory,
    MembershipFactory,
    ModuleFactory,
    ParentGroupFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
PARENTS_PER_GROUP = 60


def build_world(today):
    course = CourseFactory(slug="circle")
    first = ModuleFactory(course=course, position=1)
    second = ModuleFactory(course=course, position=2)
    lessons = [
        LessonFactory(module=module, position=n) for module in (first, second) for n in (1, 2)
    ]
    finished = timezone.now() - timezone.timedelta(days=3)
    for number in range(2):
        group = ParentGroupFactory(course=course, name=f"Group {number}")
        AssignmentFactory(group=group, module=second, opens_on=today)
        for index in range(PARENTS_PER_GROUP):
            user = UserFactory(email=f"g{number}-p{index}@example.com")
            MembershipFactory(group=group, user=user)
            if index % 3 == 0:  # a third also finished a lesson three days ago: a practice prompt
                LessonProgressFactory(
                    user=user, lesson=lessons[0], started_at=finished, completed_at=finished
                )
    return lessons


def subprocess_env(tmp_path):
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=url,
        DJANGO_DEBUG="true",
        DJANGO_EMAIL="file",
        DJANGO_EMAIL_FILE_PATH=str(tmp_path),
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def start(commands, env):
    return [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for command in commands
    ]


def finish(processes):
    outputs = [process.communicate(timeout=300)[0] for process in processes]
    assert [process.returncode for process in processes] == [0] * len(processes), outputs
    return outputs


def run_together(commands, env):
    return finish(start(commands, env))


def wait_until_all_sent(expected, processes, seconds=120):
    """Until `expected` reminders are recorded and every one is sent, or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            break  # a worker stopped on its own: finish() shows its output
        recorded = Message.objects.count()
        if recorded == expected and not Message.objects.exclude(status=Message.Status.SENT):
            return
        time.sleep(0.2)


def recipients(mail_dir):
    found = Counter()
    for path in Path(mail_dir).iterdir():
        for line in path.read_text().splitlines():
            if line.startswith("To: "):
                found[line.removeprefix("To: ").strip()] += 1
    return found


def test_two_sweeps_and_two_workers_at_once_send_every_reminder_exactly_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("The concurrency proof needs PostgreSQL (real row locks and worker processes).")
    # Late in the evening of today: everyone's hour has come, the module opens today.
    moment = timezone.localtime().replace(hour=23, minute=0, second=0, microsecond=0)
    today = moment.date()
    build_world(today)
    assert Lesson.objects.count() == 4
    env = subprocess_env(tmp_path)
    sweep = ["send_reminders", "--now", moment.isoformat(), "--batch-size", "10"]
    # The workers first, waiting for tasks, so they send while the sweeps are still recording.
    worker = ["db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1"]
    workers = start([worker, worker], env)
    finish(start([sweep, sweep], env))
    expected = 2 * PARENTS_PER_GROUP + 2 * (PARENTS_PER_GROUP // 3)
    wait_until_all_sent(expected, workers)
    for process in workers:
        process.send_signal(signal.SIGTERM)  # as systemd stops them: after the task in hand
    finish(workers)
    assert Message.objects.count() == expected
    assert Message.objects.filter(kind=Kind.MODULE_OPENS).count() == 2 * PARENTS_PER_GROUP
    assert Message.objects.exclude(status=Message.Status.SENT).count() == 0
    sent = recipients(tmp_path)
    assert sum(sent.values()) == expected
    per_person = Counter(Message.objects.values_list("user__email", flat=True))
    assert sent == per_person
    # A third sweep at the same moment, after everything was sent, records and sends nothing.
    run_together([sweep], env)
    run_together([[*worker, "--batch"]], env)
    assert Message.objects.count() == expected
    assert sum(recipients(tmp_path).values()) == expected
