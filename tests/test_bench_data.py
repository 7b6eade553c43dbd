"""The benchmark's data builders (the benchmark app): realistic rows the site's own pages accept."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from accounts.models import User
from courses.models import Course, Lesson, LessonProgress

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def benchmark_installed(settings):
    """The builders are commands of the benchmark app, installed only when benchmarking."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "benchmark"]


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


def test_every_parent_is_in_one_small_group_and_the_bench_groups_exist(built):
    from accounts.models import Membership, ParentGroup

    small = ParentGroup.objects.exclude(name="Bench group of 40")
    assert small.count() == 2
    assert ParentGroup.objects.get(name="Bench group of 12").members.count() == 12
    in_small = Membership.objects.filter(group__in=small).values("user").distinct().count()
    assert in_small == Membership.objects.filter(group__in=small).count() == 40
    # The tiny build has 40 parents, so its "big" group holds all of them.
    big = ParentGroup.objects.get(name="Bench group of 40")
    assert big.members.count() == 40
    facilitator = User.objects.get(role=User.Role.FACILITATOR)
    assert all(group.facilitators.get() == facilitator for group in ParentGroup.objects.all())


def test_the_bench_groups_follow_a_plan_that_the_database_accepts(built):
    from courses.models import Assignment, Module

    live_modules = Module.objects.filter(course__is_published=True).count()
    for name in ["Bench group of 12", "Bench group of 40"]:
        plan = Assignment.objects.filter(group__name=name)
        assert plan.count() == live_modules
        # The check constraint (opens before due) held for every row written.
        assert all(a.opens_on is None or a.opens_on <= a.due_on for a in plan)


def test_reflections_notes_and_answers_are_on_lessons_the_parent_opened(built):
    from courses.models import PracticeNote, QuestionAttempt, Reflection

    opened = set(LessonProgress.objects.values_list("user_id", "lesson_id"))
    reflections = list(Reflection.objects.values_list("user_id", "lesson_id", "text", "shared"))
    assert reflections and all((u, lesson) in opened for u, lesson, _, _ in reflections)
    assert all(text.strip() for _, _, text, _ in reflections)
    assert {shared for *_, shared in reflections} == {True, False}
    notes = PracticeNote.objects.values_list("user_id", "lesson_id", "tried")
    assert notes and all((u, lesson) in opened and tried for u, lesson, tried in notes)
    attempts = QuestionAttempt.objects.select_related("question", "choice")
    assert attempts.exists()
    for attempt in attempts:
        assert attempt.choice.question_id == attempt.question_id
        assert attempt.is_correct == attempt.choice.is_correct
        assert (attempt.user_id, attempt.question.lesson_id) in opened
    rows = len(reflections) + notes.count() + attempts.count()
    assert 25 <= rows / 40 <= 60  # about 40 a parent


def test_a_parent_and_the_facilitator_can_open_the_built_pages(built, client):
    from accounts.models import ParentGroup

    group = ParentGroup.objects.get(name="Bench group of 12")
    client.force_login(group.facilitators.get())
    report = client.get(f"/facilitator/groups/{group.pk}/report/")
    assert report.status_code == 200
    for member in group.members.all():
        assert str(member) in report.content.decode()
    client.force_login(group.members.first())
    assert client.get("/dashboard/").status_code == 200


def test_the_outcomes_data_adds_sessions_attendance_and_check_ins(built):
    from outcomes.models import Attendance, CheckinResponse, GroupSession

    call_command("bench_outcomes", stdout=StringIO())
    assert GroupSession.objects.filter(date__lt=F("created_at__date")).exists()
    assert Attendance.objects.exists()
    starts = CheckinResponse.objects.filter(moment="start").count()
    assert 0 < starts <= 40
    assert (
        not CheckinResponse.objects.filter(moment="end")
        .exclude(user__checkin_responses__moment="start")
        .exists()
    )
    out = StringIO()
    call_command("bench_outcomes", stdout=out)
    assert "already" in out.getvalue()
