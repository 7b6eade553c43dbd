"""The course outline in the admin: modules and lessons in order, moved and published by staff."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.authoring import lesson_move, module_move
from courses.models import Lesson, Module
from tests.factories import CourseFactory, LessonFactory, LessonProgressFactory, ModuleFactory

pytestmark = pytest.mark.django_db


def outline_url(course):
    return reverse("admin:courses_course_outline", args=[course.pk])


def move_url(course):
    return reverse("admin:courses_course_outline_move", args=[course.pk])


def publish_url(course):
    return reverse("admin:courses_course_outline_publish", args=[course.pk])


def lesson_order(module_slug):
    return list(
        Lesson.objects.filter(module__slug=module_slug)
        .order_by("position", "id")
        .values_list("slug", flat=True)
    )


def module_order(course):
    return list(course.modules.order_by("position", "id").values_list("slug", flat=True))


class TestOrdering:
    def test_moving_a_lesson_down_swaps_it_with_the_next(self, course):
        lesson_move(lesson=Lesson.objects.get(slug="one"), direction="down")
        assert lesson_order("first") == ["two", "one"]
        assert list(
            Lesson.objects.filter(module__slug="first")
            .order_by("position")
            .values_list("position", flat=True)
        ) == [1, 2]

    def test_moving_the_first_lesson_up_changes_nothing(self, course):
        assert lesson_move(lesson=Lesson.objects.get(slug="one"), direction="up") is False
        assert lesson_order("first") == ["one", "two"]

    def test_moving_renumbers_gapped_and_equal_positions(self, course):
        module = Module.objects.get(slug="first")
        Lesson.objects.filter(module=module).update(position=0)  # all tied, ordered by id
        LessonFactory(module=module, slug="four", position=0)
        lesson_move(lesson=Lesson.objects.get(slug="four"), direction="up")
        assert lesson_order("first") == ["one", "four", "two"]

    def test_moving_a_module_keeps_its_lessons(self, course):
        module_move(module=Module.objects.get(slug="second"), direction="up")
        assert module_order(course) == ["second", "first"]
        assert lesson_order("second") == ["three", "hidden"]

    def test_the_parent_course_page_follows_the_new_order(self, parent_client, course):
        lesson_move(lesson=Lesson.objects.get(slug="two"), direction="up")
        outline = parent_client.get(reverse("courses:course", args=["circle"])).context["outline"]
        assert [entry.lesson.slug for entry in outline.lessons] == ["two", "one", "three"]

    def test_moving_makes_no_new_lesson_version(self, course):
        lesson = Lesson.objects.get(slug="one")
        before = lesson.versions.count()
        lesson_move(lesson=lesson, direction="down")
        assert lesson.versions.count() == before


class TestOutlinePage:
    def test_staff_sees_modules_and_lessons_in_order_with_counts(
        self, staff_client, parent, second_parent, course
    ):
        one = Lesson.objects.get(slug="one")
        LessonProgressFactory(user=parent, lesson=one)
        now = timezone.now()
        LessonProgressFactory(user=second_parent, lesson=one, started_at=now, completed_at=now)
        response = staff_client.get(outline_url(course))
        assert response.status_code == 200
        html = response.content.decode()
        positions = [html.index(title) for title in ["Lesson one", "Lesson two", "Lesson three"]]
        assert positions == sorted(positions)
        assert html.index("First module") < html.index("Second module")
        lessons = response.context["modules"][0].outline_lessons
        assert [(lesson.started_count, lesson.completed_count) for lesson in lessons] == [
            (2, 1),
            (0, 0),
        ]
        assert "not published" in html  # the draft lesson is marked
        assert reverse("courses:lesson-preview", args=["circle", "hidden"]) in html

    def test_authoring_pages_have_no_inline_script_or_style(self, staff_client, parent, course):
        hidden = Lesson.objects.get(slug="hidden")
        hidden.body = "Changed."
        hidden.save()
        LessonProgressFactory(user=parent, lesson=hidden)
        pages = [
            outline_url(course),
            reverse("admin:courses_course_import"),
            reverse("admin:courses_lesson_versions", args=[hidden.pk]),
            reverse("admin:courses_lesson_delete", args=[hidden.pk]),
            reverse("courses:lesson-preview", args=["circle", "hidden"]),
        ]
        for url in pages:
            response = staff_client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert "style=" not in html and "<style" not in html, url
            # Every script is either a file or a JSON data block the CSP does not run.
            for tag in re.findall(r"<script[^>]*>", html):
                assert "src=" in tag or 'type="application/json"' in tag, (url, tag)

    def test_queries_do_not_grow_with_lessons(
        self, staff_client, course, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(8) as small:
            staff_client.get(outline_url(course))
        for _ in range(3):
            module = ModuleFactory(course=course)
            for _ in range(10):
                LessonProgressFactory(lesson=LessonFactory(module=module))
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = staff_client.get(outline_url(course))
        assert len(response.context["modules"]) == 5

    def test_staff_moves_a_lesson_with_the_button(self, staff_client, course):
        one = Lesson.objects.get(slug="one")
        response = staff_client.post(
            move_url(course), {"kind": "lesson", "pk": one.pk, "direction": "down"}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{outline_url(course)}#lesson-{one.pk}"
        assert lesson_order("first") == ["two", "one"]

    def test_staff_moves_a_module_with_the_button(self, staff_client, course):
        second = Module.objects.get(slug="second")
        staff_client.post(move_url(course), {"kind": "module", "pk": second.pk, "direction": "up"})
        assert module_order(course) == ["second", "first"]

    def test_a_bad_direction_changes_nothing_and_says_so(self, staff_client, course):
        one = Lesson.objects.get(slug="one")
        response = staff_client.post(
            move_url(course), {"kind": "lesson", "pk": one.pk, "direction": "sideways"}, follow=True
        )
        assert "Move up or down." in response.content.decode()
        assert lesson_order("first") == ["one", "two"]

    def test_staff_publishes_and_unpublishes_a_lesson(self, staff_client, parent, course):
        hidden = Lesson.objects.get(slug="hidden")
        staff_client.post(publish_url(course), {"kind": "lesson", "pk": hidden.pk, "published": 1})
        hidden.refresh_from_db()
        assert hidden.is_published
        LessonProgressFactory(user=parent, lesson=hidden)
        response = staff_client.post(
            publish_url(course), {"kind": "lesson", "pk": hidden.pk, "published": 0}, follow=True
        )
        hidden.refresh_from_db()
        assert not hidden.is_published
        assert "progress and reflections are kept" in response.content.decode()
        assert hidden.progress.count() == 1

    def test_staff_unpublishes_a_module(self, staff_client, course):
        first = Module.objects.get(slug="first")
        staff_client.post(publish_url(course), {"kind": "module", "pk": first.pk, "published": 0})
        first.refresh_from_db()
        assert not first.is_published

    def test_a_lesson_of_another_course_is_not_found(self, staff_client, course):
        foreign = LessonFactory(module=ModuleFactory(course=CourseFactory()))
        response = staff_client.post(
            move_url(course), {"kind": "lesson", "pk": foreign.pk, "direction": "up"}
        )
        assert response.status_code == 404
        response = staff_client.post(
            publish_url(course), {"kind": "lesson", "pk": foreign.pk, "published": 0}
        )
        assert response.status_code == 404
        foreign.refresh_from_db()
        assert foreign.is_published

    @pytest.mark.parametrize("data", [{"kind": "nope", "pk": 1}, {"kind": "lesson", "pk": "x"}])
    def test_unknown_items_are_not_found(self, staff_client, course, data):
        assert staff_client.post(move_url(course), {**data, "direction": "up"}).status_code == 404

    def test_unknown_course_is_not_found(self, staff_client, course):
        assert (
            staff_client.get(reverse("admin:courses_course_outline", args=[999])).status_code == 404
        )

    def test_moving_needs_post(self, staff_client, course):
        assert staff_client.get(move_url(course)).status_code == 405

    def test_parent_and_visitor_are_sent_to_the_admin_login(self, client, parent, course):
        for who in [None, parent]:
            if who:
                client.force_login(who)
            for response in [
                client.get(outline_url(course)),
                client.post(move_url(course), {"kind": "lesson", "pk": 1, "direction": "up"}),
                client.post(publish_url(course), {"kind": "lesson", "pk": 1, "published": 0}),
            ]:
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("admin:login"))
        assert lesson_order("first") == ["one", "two"]
        assert Lesson.objects.filter(is_published=True).count() == 3

    def test_adding_a_lesson_from_the_outline_puts_it_at_the_end(self, staff_client, course):
        module = Module.objects.get(slug="first")
        response = staff_client.get(reverse("admin:courses_lesson_add") + f"?module={module.pk}")
        form = response.context["adminform"].form
        assert form.initial["position"] == 3
        assert str(form.initial["module"]) == str(module.pk)

    def test_a_garbled_module_in_the_add_link_is_ignored(self, staff_client, course):
        response = staff_client.get(reverse("admin:courses_lesson_add") + "?module=abc")
        assert response.status_code == 200
