"""
A parent's progress and certificates with two of everything (tests/two_of_everything.py):
opening, finishing or un-finishing a lesson changes that parent's row for that lesson and no
one else's, and a certificate page shows that parent's certificate for that course.

Each test here was seen to fail with its rule's filter removed (tests/MUTATION.md).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.certificates import (
    certificate_issue_if_earned,
    certificate_rename,
    course_is_complete,
)
from courses.models import Certificate, LessonProgress
from courses.progress import (
    circle_map,
    course_outline,
    progress_mark_complete,
    progress_mark_incomplete,
    progress_record_visit,
)
from tests.conftest import logged_in
from tests.factories import CertificateFactory, CourseFactory, LessonProgressFactory

pytestmark = pytest.mark.django_db


def lesson_url(slug, course="circle"):
    return reverse("courses:lesson", kwargs={"course_slug": course, "lesson_slug": slug})


def complete_url(slug, course="circle"):
    return reverse("courses:lesson-complete", kwargs={"course_slug": course, "lesson_slug": slug})


def row(user, slug):
    return LessonProgress.objects.get(user=user, lesson__slug=slug)


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def opened(world, user, slug, days, done=False):
    """`user` opened the lesson `days` ago (and finished it then, if done)."""
    when = days_ago(days)
    return LessonProgressFactory(
        user=user,
        lesson=world.lesson(slug),
        started_at=when,
        last_seen_at=when,
        completed_at=when if done else None,
    )


class TestOpeningALesson:
    def test_opening_a_lesson_moves_only_that_parents_last_visit_to_it(self, world):
        pat_one = opened(world, world.pat, "one", days=9)
        pat_two = opened(world, world.pat, "two", days=9)
        kim_one = opened(world, world.kim, "one", days=9)
        logged_in(world.pat).get(lesson_url("one"))
        assert row(world.pat, "one").last_seen_at > pat_one.last_seen_at
        assert row(world.pat, "two").last_seen_at == pat_two.last_seen_at
        assert row(world.kim, "one").last_seen_at == kim_one.last_seen_at

    def test_the_report_then_says_each_parent_was_last_seen_when_they_were(
        self, world, facilitator_client
    ):
        opened(world, world.pat, "one", days=9)
        opened(world, world.kim, "one", days=9)
        logged_in(world.pat).get(lesson_url("one"))
        report = facilitator_client.get(
            reverse("courses:facilitator-report", args=[world.tuesday.pk])
        ).context["report"]
        notes = {str(row.member): row.activity_note for row in report.rows}
        assert notes == {"Pat": "Visited today", "Kim": "Hasn't visited in 9 days"}

    def test_a_first_visit_starts_the_lesson_for_that_parent_only(self, world):
        logged_in(world.kim).get(lesson_url("two"))
        assert row(world.kim, "two").completed_at is None
        assert list(LessonProgress.objects.values_list("user__display_name", "lesson__slug")) == [
            ("Kim", "two")
        ]

    def test_a_second_tab_opening_the_lesson_for_the_first_time_at_once_is_harmless(self, world):
        """Both tabs read "no progress yet"; the second one's insert meets the first one's row."""
        lesson = world.lesson("one")
        first = progress_record_visit(user=world.pat, lesson=lesson, progress=None)
        second = progress_record_visit(user=world.pat, lesson=lesson, progress=None)
        assert LessonProgress.objects.filter(user=world.pat).count() == 1
        assert second.last_seen_at >= first.last_seen_at

    def test_a_visit_gives_back_the_moment_it_recorded(self, world):
        lesson = world.lesson("one")
        earlier = opened(world, world.pat, "one", days=4)
        progress = progress_record_visit(user=world.pat, lesson=lesson, progress=earlier)
        assert progress.last_seen_at == row(world.pat, "one").last_seen_at > earlier.started_at


class TestFinishingALesson:
    def test_marking_a_lesson_done_finishes_it_for_that_parent_only(self, world):
        opened(world, world.kim, "one", days=2)
        opened(world, world.pat, "two", days=2)
        logged_in(world.pat).post(complete_url("one"), {"complete": "yes"})
        assert row(world.pat, "one").completed_at is not None
        assert row(world.pat, "two").completed_at is None
        assert row(world.kim, "one").completed_at is None

    def test_finishing_again_keeps_the_first_date_and_the_last_visit_moves_on(self, world):
        first = opened(world, world.pat, "one", days=3, done=True)
        progress_mark_complete(user=world.pat, lesson=world.lesson("one"))
        again = row(world.pat, "one")
        assert again.completed_at == first.completed_at
        assert again.last_seen_at == first.last_seen_at  # a second "done" is not a visit

    def test_finishing_an_opened_lesson_notes_the_moment_as_a_visit(self, world):
        opened(world, world.pat, "one", days=3)
        before = timezone.now()
        progress_mark_complete(user=world.pat, lesson=world.lesson("one"))
        done = row(world.pat, "one")
        assert done.completed_at >= before
        assert done.last_seen_at == done.completed_at
        assert done.started_at < before  # when they started stays

    def test_one_parents_undo_leaves_every_other_parents_completion(self, world):
        for user in (world.pat, world.kim, world.sam):
            opened(world, user, "one", days=2, done=True)
        opened(world, world.pat, "two", days=2, done=True)
        logged_in(world.pat).post(complete_url("one"), {"complete": "no"})
        assert row(world.pat, "one").completed_at is None
        assert row(world.pat, "two").completed_at is not None
        assert row(world.kim, "one").completed_at is not None
        assert row(world.sam, "one").completed_at is not None

    def test_undo_through_the_service_touches_one_row(self, world):
        opened(world, world.pat, "one", days=2, done=True)
        opened(world, world.kim, "one", days=2, done=True)
        progress_mark_incomplete(user=world.kim, lesson=world.lesson("one"))
        assert row(world.kim, "one").completed_at is None
        assert row(world.pat, "one").completed_at is not None


class TestTwoCourses:
    def test_each_course_has_its_own_outline_with_that_parents_progress(self, world):
        opened(world, world.pat, "one", days=3, done=True)
        opened(world, world.pat, "other-two", days=1)
        opened(world, world.kim, "two", days=1, done=True)
        outlines = logged_in(world.pat).get(reverse("courses:catalogue")).context["outlines"]
        assert [outline.course.slug for outline in outlines] == ["circle", "other"]
        circle, other = outlines
        assert [[e.lesson.slug for e in module.lessons] for module in circle.modules] == [
            ["one", "two"],
            ["three"],
        ]
        assert [e.status for e in circle.lessons] == ["done", "not_started", "not_started"]
        assert [e.status for e in other.lessons] == ["not_started", "in_progress"]
        assert (circle.done, circle.total, circle.percent) == (1, 3, 33)
        assert circle.resume.lesson.slug == "two"
        assert other.resume.lesson.slug == "other-two"

    def test_the_dashboard_picks_up_the_lesson_opened_last(self, world):
        opened(world, world.pat, "one", days=3)
        opened(world, world.pat, "three", days=1)
        opened(world, world.pat, "two", days=2)
        opened(world, world.kim, "two", days=0)
        page = logged_in(world.pat).get(reverse("courses:dashboard"))
        assert page.context["current"].resume.lesson.slug == "three"


def test_a_course_with_no_lessons_yet_has_an_empty_outline(world):
    CourseFactory(slug="soon", title="Coming soon")
    page = logged_in(world.pat).get(reverse("courses:course", args=["soon"]))
    outline = page.context["outline"]
    assert (outline.course.title, outline.modules, outline.total) == ("Coming soon", [], 0)
    assert (outline.done, outline.percent, outline.is_complete) == (0, 0, False)
    assert "<h1>Coming soon</h1>" in page.content.decode()


class TestCertificates:
    def finish(self, world, user, slugs, days):
        for slug in slugs:
            opened(world, user, slug, days=days, done=True)

    def test_each_course_page_shows_its_own_certificate(self, world):
        circle = CertificateFactory(user=world.pat, course=world.course, code="CIRC-LEAA-AAAA-AAAA")
        other = CertificateFactory(
            user=world.pat, course=world.other_course, code="OTHR-COUR-SEAA-AAAA"
        )
        pat = logged_in(world.pat)
        on_other = pat.get(reverse("courses:certificate", args=["other"]))
        assert on_other.context["certificate"] == other
        assert "OTHR-COUR-SEAA-AAAA" in on_other.content.decode()
        on_circle = pat.get(reverse("courses:certificate", args=["circle"]))
        assert on_circle.context["certificate"] == circle

    def test_a_parent_sees_their_own_certificate_not_another_parents(self, world):
        CertificateFactory(user=world.kim, course=world.course, code="KIMS-CODE-AAAA-AAAA")
        mine = CertificateFactory(user=world.pat, course=world.course, code="PATS-CODE-AAAA-AAAA")
        page = logged_in(world.pat).get(reverse("courses:certificate", args=["circle"]))
        assert page.context["certificate"] == mine
        assert "KIMS-CODE" not in page.content.decode()

    def test_a_parent_who_has_not_finished_is_not_given_a_finished_parents_certificate(self, world):
        self.finish(world, world.kim, ["one", "two", "three"], days=1)
        certificate_issue_if_earned(user=world.kim, course=world.course)
        self.finish(world, world.pat, ["one", "two"], days=1)
        assert not course_is_complete(user=world.pat, course=world.course)
        page = logged_in(world.pat).get(reverse("courses:certificate", args=["circle"]))
        assert "certificate" not in page.context
        assert not Certificate.objects.filter(user=world.pat).exists()

    def test_the_certificate_date_is_when_that_parent_finished_that_course(self, world):
        self.finish(world, world.pat, ["one", "two", "three"], days=5)
        self.finish(world, world.kim, ["one", "two", "three"], days=1)
        opened(world, world.pat, "other-one", days=2, done=True)
        certificate = certificate_issue_if_earned(user=world.pat, course=world.course)
        assert certificate.completed_on == timezone.localdate(days_ago(5))
        assert certificate.name == "Pat"

    def test_finishing_one_course_earns_nothing_on_another(self, world):
        self.finish(world, world.pat, ["one", "two", "three"], days=1)
        assert course_is_complete(user=world.pat, course=world.course)
        assert not course_is_complete(user=world.pat, course=world.other_course)
        assert certificate_issue_if_earned(user=world.pat, course=world.other_course) is None
        first = certificate_issue_if_earned(user=world.pat, course=world.course)
        assert certificate_issue_if_earned(user=world.pat, course=world.course) == first
        assert Certificate.objects.count() == 1


class TestCertificateCodes:
    def finish(self, world, user):
        for slug in ("one", "two", "three"):
            opened(world, user, slug, days=1, done=True)

    def test_a_code_another_parent_holds_is_passed_over(self, world, monkeypatch):
        kims = CertificateFactory(user=world.kim, course=world.course, code="KIMS-CODE-AAAA-AAAA")
        codes = iter([kims.code, "PATS-CODE-AAAA-AAAA"])
        monkeypatch.setattr("courses.certificates.certificate_code_new", lambda: next(codes))
        self.finish(world, world.pat)
        certificate = certificate_issue_if_earned(user=world.pat, course=world.course)
        assert certificate.code == "PATS-CODE-AAAA-AAAA"
        kims.refresh_from_db()
        assert (kims.user, kims.code) == (world.kim, "KIMS-CODE-AAAA-AAAA")

    def test_it_gives_up_after_five_taken_codes(self, world, monkeypatch):
        kims = CertificateFactory(user=world.kim, course=world.course, code="KIMS-CODE-AAAA-AAAA")
        tries = []
        monkeypatch.setattr(
            "courses.certificates.certificate_code_new", lambda: tries.append(1) or kims.code
        )
        self.finish(world, world.pat)
        with pytest.raises(RuntimeError) as gave_up:
            certificate_issue_if_earned(user=world.pat, course=world.course)
        assert str(gave_up.value) == "Could not find a free certificate code."
        assert len(tries) == 5
        assert not Certificate.objects.filter(user=world.pat).exists()

    def test_a_certificate_for_another_course_is_not_this_courses(self, world):
        other = CertificateFactory(user=world.pat, course=world.other_course, code="OTHR-AAAA")
        self.finish(world, world.pat)
        certificate = certificate_issue_if_earned(user=world.pat, course=world.course)
        assert certificate != other and certificate.course == world.course
        assert certificate_issue_if_earned(user=world.pat, course=world.course) == certificate

    def test_renaming_one_certificate_leaves_the_others(self, world):
        circle = CertificateFactory(user=world.pat, course=world.course, name="Pat")
        other = CertificateFactory(user=world.pat, course=world.other_course, name="Pat")
        certificate_rename(certificate=circle, name="  Pat Parent  ")
        circle.refresh_from_db()
        other.refresh_from_db()
        assert (circle.name, other.name) == ("Pat Parent", "Pat")


def test_the_circle_map_names_each_part_for_the_diagram_and_for_screen_readers(world):
    outline = course_outline(world.pat, world.course)
    circle = circle_map(outline)
    assert circle.course == world.course
    assert [(part.label, part.short_label) for part in circle.places] == [
        ("Exploration", "Exploration"),
        ("Safe Haven", "Safe Haven"),
        ("The hands", "The hands"),
    ]
    assert [part.short_label for part in circle.principles] == [
        "Limits",
        "Resilience",
        "Independence",
        "Repair",
        "Consistency",
    ]
    page = logged_in(world.pat).get(reverse("courses:course", args=["circle"])).content.decode()
    assert '<text y="44" text-anchor="middle" class="circle-small">Repair</text>' in page
