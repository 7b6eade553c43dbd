"""The catalogue, course outline, lesson page and dashboard, for visitors and parents."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Lesson, LessonProgress
from tests.conftest import logged_in
from tests.factories import LessonFactory, LessonProgressFactory, ModuleFactory

pytestmark = pytest.mark.django_db


def lesson_url(slug, course="circle"):
    return reverse("courses:lesson", args=[course, slug])


def complete_url(slug, course="circle"):
    return reverse("courses:lesson-complete", args=[course, slug])


class TestCatalogueAndCourse:
    def test_visitor_sees_course_and_lesson_titles_but_no_lesson_links(self, client, course):
        response = client.get(reverse("courses:course", args=["circle"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Lesson one" in html and "Lesson three" in html
        assert lesson_url("one") not in html
        assert "Sign up" in html

    def test_visitor_does_not_see_unpublished_lessons(self, client, course):
        response = client.get(reverse("courses:course", args=["circle"]))
        assert "Draft lesson" not in response.content.decode()

    def test_catalogue_lists_published_courses(self, client, course):
        response = client.get(reverse("courses:catalogue"))
        assert "The circle" in response.content.decode()

    def test_unpublished_course_is_not_found(self, client, course):
        course.is_published = False
        course.save()
        assert client.get(reverse("courses:course", args=["circle"])).status_code == 404
        assert "The circle" not in client.get(reverse("courses:catalogue")).content.decode()

    def test_unknown_course_is_not_found(self, client, course):
        assert client.get(reverse("courses:course", args=["nope"])).status_code == 404

    def test_parent_sees_status_of_each_lesson_and_progress(self, parent_client, parent, course):
        one, two = Lesson.objects.filter(slug__in=["one", "two"]).order_by("position")
        now = timezone.now()
        LessonProgressFactory(user=parent, lesson=one, started_at=now, completed_at=now)
        LessonProgressFactory(user=parent, lesson=two)
        response = parent_client.get(reverse("courses:course", args=["circle"]))
        outline = response.context["outline"]
        statuses = [entry.status for entry in outline.lessons]
        assert statuses == ["done", "in_progress", "not_started"]
        assert (outline.done, outline.total, outline.percent) == (1, 3, 33)
        assert [module.percent for module in outline.modules] == [50, 0]
        html = response.content.decode()
        assert "1 of 3 lessons done" in html
        assert "In progress" in html and "Not started" in html
        assert lesson_url("one") in html

    def test_another_parents_progress_does_not_show(self, client, second_parent, parent, course):
        LessonProgressFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
        client.force_login(second_parent)
        outline = client.get(reverse("courses:course", args=["circle"])).context["outline"]
        assert outline.done == 0 and not outline.started


class TestLessonPage:
    def test_visitor_is_sent_to_log_in(self, client, course):
        response = client.get(lesson_url("one"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_parent_reads_the_lesson(self, parent_client, course):
        response = parent_client.get(lesson_url("two"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h2>A heading</h2>" in html
        assert "<em>warm</em>" in html
        assert "Exploration (top of the circle)" in html
        assert "About 8 minutes" in html
        assert "Second point" in html
        assert "Try one small thing this week." in html
        assert "What did you notice?" in html
        assert lesson_url("one") in html  # previous
        assert lesson_url("three") in html  # next, across the module boundary
        assert "Lesson 2 of 3" in html

    def test_lesson_shows_principle_when_it_teaches_one(self, parent_client, course):
        Lesson.objects.filter(slug="one").update(principle="repairing_relationship")
        html = parent_client.get(lesson_url("one")).content.decode()
        assert "Repairing the relationship" in html

    def test_opening_a_lesson_records_start_and_last_seen(self, parent_client, parent, course):
        parent_client.get(lesson_url("one"))
        progress = LessonProgress.objects.get(user=parent, lesson__slug="one")
        first_seen = progress.last_seen_at
        assert progress.started_at == first_seen and progress.completed_at is None
        parent_client.get(lesson_url("one"))
        progress.refresh_from_db()
        assert progress.started_at == first_seen
        assert progress.last_seen_at > first_seen
        assert LessonProgress.objects.filter(user=parent).count() == 1

    def test_unpublished_lesson_is_not_found_for_parents(self, parent_client, course):
        assert parent_client.get(lesson_url("hidden")).status_code == 404

    def test_lesson_of_unpublished_module_is_not_found(self, parent_client, course):
        Lesson.objects.get(slug="three").module.__class__.objects.filter(slug="second").update(
            is_published=False
        )
        assert parent_client.get(lesson_url("three")).status_code == 404

    def test_lesson_under_the_wrong_course_is_not_found(self, parent_client, course):
        other = ModuleFactory(slug="elsewhere").course
        assert parent_client.get(lesson_url("one", course=other.slug)).status_code == 404

    def test_unknown_lesson_is_not_found(self, parent_client, course):
        assert parent_client.get(lesson_url("no-such-lesson")).status_code == 404

    def test_lesson_body_is_sanitised(self, parent_client, course):
        Lesson.objects.get(slug="one").delete()  # no progress yet, so deleting is allowed
        LessonFactory(
            module=Lesson.objects.get(slug="two").module,
            slug="one",
            body=(
                '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
                "[x](javascript:alert(3))"
            ),
        )
        html = parent_client.get(lesson_url("one")).content.decode()
        body = html[html.index('class="lesson-body"') :]
        assert "<script>alert" not in body
        assert "<img" not in body  # shown as inert text, never as an element
        assert 'href="javascript:' not in body


class TestMarkComplete:
    def test_mark_complete_twice_keeps_one_record_and_first_date(
        self, parent_client, parent, course
    ):
        response = parent_client.post(complete_url("one"), {"complete": "yes"})
        assert response.status_code == 302
        assert response["Location"] == lesson_url("one") + "#progress"
        first = LessonProgress.objects.get(user=parent, lesson__slug="one")
        assert first.completed_at is not None
        parent_client.post(complete_url("one"), {"complete": "yes"})
        assert LessonProgress.objects.filter(user=parent).count() == 1
        again = LessonProgress.objects.get(user=parent, lesson__slug="one")
        assert again.completed_at == first.completed_at

    def test_mark_complete_can_be_undone(self, parent_client, parent, course):
        parent_client.post(complete_url("one"), {"complete": "yes"})
        parent_client.post(complete_url("one"), {"complete": "no"})
        progress = LessonProgress.objects.get(user=parent, lesson__slug="one")
        assert progress.completed_at is None
        assert "Mark this lesson as done" in parent_client.get(lesson_url("one")).content.decode()

    def test_lesson_page_shows_done_state(self, parent_client, course):
        parent_client.post(complete_url("one"), {"complete": "yes"})
        html = parent_client.get(lesson_url("one")).content.decode()
        assert "Mark as not done yet" in html
        assert "Lesson marked as done" in html  # the message after the redirect

    def test_tampered_value_changes_nothing_and_says_so(self, parent_client, parent, course):
        response = parent_client.post(complete_url("one"), {"complete": "maybe"}, follow=True)
        assert "Something went wrong" in response.content.decode()
        assert not LessonProgress.objects.filter(user=parent, completed_at__isnull=False).exists()

    def test_get_is_not_allowed(self, parent_client, course):
        assert parent_client.get(complete_url("one")).status_code == 405

    def test_visitor_is_sent_to_log_in(self, client, course):
        response = client.post(complete_url("one"), {"complete": "yes"})
        assert response.status_code == 302
        assert not LessonProgress.objects.exists()

    def test_unpublished_lesson_cannot_be_completed(self, parent_client, course):
        response = parent_client.post(complete_url("hidden"), {"complete": "yes"})
        assert response.status_code == 404
        assert not LessonProgress.objects.exists()

    def test_csrf_is_required(self, parent, course):
        client = Client(enforce_csrf_checks=True)
        client.force_login(parent)
        assert client.post(complete_url("one"), {"complete": "yes"}).status_code == 403
        assert not LessonProgress.objects.exists()


class TestDashboard:
    def test_visitor_is_sent_to_log_in(self, client):
        response = client.get(reverse("courses:dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_new_parent_is_invited_to_start(self, parent_client, course):
        response = parent_client.get(reverse("courses:dashboard"))
        html = response.content.decode()
        assert "Start the first lesson" in html
        assert lesson_url("one") in html

    def test_continue_where_you_left_off_points_at_last_unfinished_lesson(
        self, parent_client, course
    ):
        parent_client.post(complete_url("one"), {"complete": "yes"})
        parent_client.get(lesson_url("three"))
        parent_client.post(complete_url("three"), {"complete": "yes"})
        response = parent_client.get(reverse("courses:dashboard"))
        assert "Continue where you left off" in response.content.decode()
        assert response.context["current"].resume.lesson.slug == "two"

    def test_in_progress_lesson_comes_first(self, parent_client, course):
        parent_client.get(lesson_url("three"))
        response = parent_client.get(reverse("courses:dashboard"))
        assert response.context["current"].resume.lesson.slug == "three"

    def test_finished_course_says_so(self, parent_client, course):
        for slug in ["one", "two", "three"]:
            parent_client.post(complete_url(slug), {"complete": "yes"})
        html = parent_client.get(reverse("courses:dashboard")).content.decode()
        assert "You finished The circle" in html


class TestProgressRecords:
    def test_opening_a_done_lesson_keeps_it_done(self, parent_client, parent, course):
        parent_client.post(complete_url("one"), {"complete": "yes"})
        done = LessonProgress.objects.get(user=parent, lesson__slug="one")
        parent_client.get(lesson_url("one"))
        again = LessonProgress.objects.get(user=parent, lesson__slug="one")
        assert again.completed_at == done.completed_at
        assert again.last_seen_at > done.last_seen_at

    def test_finishing_an_opened_lesson_keeps_when_it_was_started(
        self, parent_client, parent, course
    ):
        parent_client.get(lesson_url("one"))
        opened = LessonProgress.objects.get(user=parent, lesson__slug="one")
        parent_client.post(complete_url("one"), {"complete": "yes"})
        done = LessonProgress.objects.get(user=parent, lesson__slug="one")
        assert done.started_at == opened.started_at
        assert done.completed_at >= done.started_at

    def test_one_parents_progress_never_touches_anothers(
        self, parent_client, parent, second_parent, course
    ):
        logged_in(second_parent).get(lesson_url("one"))
        parent_client.post(complete_url("one"), {"complete": "yes"})
        theirs = LessonProgress.objects.get(user=second_parent, lesson__slug="one")
        assert theirs.completed_at is None
