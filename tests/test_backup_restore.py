"""
A backup is only as good as its restore: dump a populated database with pg_dump, restore it
into a fresh one with pg_restore (the README's "Backups" commands), and the site, pointed at the
restored copy, shows every parent their progress and reflections.
"""

import json
import shutil
import subprocess

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import Lesson, LessonProgress
from tests.factories import ReflectionFactory, UserFactory
from tests.test_settings import run_django

pytestmark = pytest.mark.django_db(transaction=True)


CHECK = """
import json
from django.test import Client
from django.urls import reverse
from accounts.models import User
found = {}
for user in User.objects.order_by("email"):
    browser = Client()
    browser.force_login(user)
    course = browser.get(reverse("courses:course", args=["circle"])).content.decode()
    journal = browser.get(reverse("courses:journal")).content.decode()
    found[user.email] = {"course": course, "journal": journal}
print(json.dumps(found))
"""


def psql_url(name):
    settings = connection.settings_dict
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    user = settings.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{name}"


def run(*command):
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=600)  # noqa: S603


def drop(name):
    run("dropdb", "--if-exists", "--force", name, f"--maintenance-db={psql_url('postgres')}")


def test_a_dump_restored_into_a_fresh_database_serves_every_parent(course, tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and its pg_dump / pg_restore (set DATABASE_URL)")
    lessons = list(Lesson.objects.published().in_course_order())
    now = timezone.now()
    parents = [UserFactory(email=f"parent{n}@example.com") for n in range(3)]
    for number, parent in enumerate(parents):
        for lesson in lessons[: number + 1]:
            LessonProgress.objects.create(
                user=parent, lesson=lesson, started_at=now, last_seen_at=now, completed_at=now
            )
        ReflectionFactory(user=parent, lesson=lessons[0], text=f"What {parent.email} noticed.")

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "circle.dump"
    run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", psql_url(source))
    drop(restored)
    run("createdb", restored, f"--maintenance-db={psql_url('postgres')}")
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={psql_url(restored)}", dump)
        result = run_django(
            f"exec({CHECK!r})",
            DJANGO_DEBUG="true",
            DATABASE_URL=psql_url(restored),
            DATABASE_POOL="false",
        )
    finally:
        drop(restored)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    for number, parent in enumerate(parents):
        total = len(lessons)
        assert f"{number + 1} of {total} lessons done" in found[parent.email]["course"]
        assert f"What {parent.email} noticed." in found[parent.email]["journal"]
    assert dump.stat().st_size > 0
