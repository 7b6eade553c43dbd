"""The benchmark's data builder: realistic rows that the site's own pages accept."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from accounts.models import User
from courses.models import Course, Lesson, LessonProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    call_command("bench_data", "--parents", "40", "--editions", "2", stdout=StringIO())


def test_it_builds_parents_facilitators_and_verified_addresses(built):
    parents = User.objects.filter(role=User.Role.PARENT, email__endswith="@bench.example")
    assert parents.count() == 40
    assert User.objects.filter(role=User.Role.FACILITATOR).count() == 1
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 41


def test_the_live_course_is_the_real_one_and_old_editions_stay_hidden(built, client):
    live = Course.objects.published().get()
    assert live.slug == "circle-of-security"
    assert Course.objects.filter(is_published=False).count() == 2
    catalogue = client.get("/courses/").content.decode()
    assert live.title in catalogue and "(edition" not in catalogue


def test_progress_follows_the_course_order_and_stays_within_it(built):
    per_parent = LessonProgress.objects.values("user").annotate(rows=Count("id"))
    lessons = Lesson.objects.count()
    assert all(row["rows"] <= lessons for row in per_parent)
    assert LessonProgress.objects.filter(completed_at__isnull=False).exists()
    assert LessonProgress.objects.filter(completed_at__isnull=True).exists()
    # The database's own check (completed after started) held for every COPY'd row.
    assert not LessonProgress.objects.filter(last_seen_at__lt=F("started_at")).exists()


def test_a_second_build_on_the_same_database_is_refused(built):
    with pytest.raises(CommandError, match="already has benchmark data"):
        call_command("bench_data", "--parents", "5", stdout=StringIO())
