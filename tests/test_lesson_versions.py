"""Every save of a lesson's words is kept; staff see a readable diff and can restore."""

import pytest
from django.urls import reverse

from courses.authoring import lesson_history, lesson_version_restore, text_diff
from courses.models import Lesson
from tests.factories import LessonFactory, UserFactory, lesson_change_data

pytestmark = pytest.mark.django_db


def versions_url(lesson):
    return reverse("admin:courses_lesson_versions", args=[lesson.pk])


def restore_url(lesson, version):
    return reverse("admin:courses_lesson_restore", args=[lesson.pk, version.pk])


def edit(lesson, user=None, **changes):
    for name, value in changes.items():
        setattr(lesson, name, value)
    lesson.save(edited_by=user, version_note="Edited in a test")
    return lesson


class TestRecordingVersions:
    def test_a_new_lesson_has_its_first_version(self, db):
        lesson = LessonFactory(title="First words")
        assert [version.title for version in lesson.versions.all()] == ["First words"]

    def test_each_save_that_changes_words_keeps_the_previous_version(self, staff):
        lesson = LessonFactory(body="Old words.")
        edit(lesson, staff, body="New words.")
        edit(lesson, staff, body="Newest words.")
        bodies = list(lesson.versions.values_list("body", flat=True))
        assert bodies == ["Newest words.", "New words.", "Old words."]
        newest = lesson.versions.first()
        assert newest.created_by == staff
        assert newest.note == "Edited in a test"
        assert newest.created_at is not None

    def test_a_save_that_changes_no_words_adds_no_version(self, db):
        lesson = LessonFactory()
        edit(lesson, is_published=False, minutes=20)
        lesson.save(update_fields=["position"])
        assert lesson.versions.count() == 1

    def test_text_area_line_endings_do_not_count_as_a_change(self, db):
        lesson = LessonFactory(body="One\nTwo")
        edit(lesson, body="One\r\nTwo")
        assert lesson.body == "One\nTwo"
        assert lesson.versions.count() == 1

    def test_saving_in_the_admin_records_who_saved(self, staff_client, staff, course):
        lesson = Lesson.objects.get(slug="one")
        response = staff_client.post(
            reverse("admin:courses_lesson_change", args=[lesson.pk]),
            lesson_change_data(lesson, body="Rewritten in the admin.\r\n\r\nSecond paragraph."),
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        newest = lesson.versions.first()
        assert newest.body == "Rewritten in the admin.\n\nSecond paragraph."
        assert newest.created_by == staff
        assert lesson.versions.count() == 2


class TestRestore:
    def test_restoring_puts_the_old_words_back_and_records_a_version(self, staff):
        lesson = LessonFactory(title="Before", body="Old body.", practice="Old practice.")
        original = lesson.versions.get()
        edit(lesson, staff, title="After", body="New body.", practice="New practice.")
        assert lesson_version_restore(version=original, user=staff) is True
        lesson.refresh_from_db()
        assert (lesson.title, lesson.body, lesson.practice) == (
            "Before",
            "Old body.",
            "Old practice.",
        )
        assert "Old body." in lesson.body_html
        assert lesson.versions.count() == 3
        newest = lesson.versions.first()
        assert newest.created_by == staff
        assert newest.note.startswith("Restored the version from")
        # The restore itself can be undone: the words before it are still a version.
        assert lesson.versions.all()[1].body == "New body."

    def test_restoring_the_current_words_changes_nothing(self, staff):
        lesson = LessonFactory()
        assert lesson_version_restore(version=lesson.versions.get(), user=staff) is False
        assert lesson.versions.count() == 1

    def test_restore_leaves_placement_and_publishing_alone(self, staff):
        lesson = LessonFactory(body="Old.", minutes=5)
        original = lesson.versions.get()
        edit(lesson, staff, body="New.", minutes=15, is_published=False)
        lesson_version_restore(version=original, user=staff)
        lesson.refresh_from_db()
        assert (lesson.body, lesson.minutes, lesson.is_published) == ("Old.", 15, False)

    def test_staff_restores_from_the_history_page(self, staff_client, staff):
        lesson = LessonFactory(body="Old.")
        original = lesson.versions.get()
        edit(lesson, staff, body="New.")
        response = staff_client.post(restore_url(lesson, original), follow=True)
        lesson.refresh_from_db()
        assert lesson.body == "Old."
        assert "The earlier version is back" in response.content.decode()

    def test_a_version_of_another_lesson_is_not_found(self, staff_client):
        lesson, other = LessonFactory(body="Mine."), LessonFactory(body="Theirs.")
        response = staff_client.post(restore_url(lesson, other.versions.get()))
        assert response.status_code == 404
        lesson.refresh_from_db()
        assert lesson.body == "Mine."

    def test_restore_needs_post(self, staff_client):
        lesson = LessonFactory()
        assert staff_client.get(restore_url(lesson, lesson.versions.get())).status_code == 405

    def test_parent_and_visitor_cannot_see_or_restore(self, client, parent):
        lesson = LessonFactory(body="Old.")
        original = lesson.versions.get()
        edit(lesson, body="New.")
        for who in [None, parent]:
            if who:
                client.force_login(who)
            for response in [
                client.get(versions_url(lesson)),
                client.post(restore_url(lesson, original)),
            ]:
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("admin:login"))
        lesson.refresh_from_db()
        assert lesson.body == "New."

    def test_staff_without_change_permission_cannot_restore(self, client):
        viewer = UserFactory(is_staff=True)
        lesson = LessonFactory(body="Old.")
        original = lesson.versions.get()
        edit(lesson, body="New.")
        client.force_login(viewer)
        assert client.post(restore_url(lesson, original)).status_code == 403
        lesson.refresh_from_db()
        assert lesson.body == "New."


class TestHistoryPage:
    def test_history_shows_who_when_and_a_readable_diff(self, staff_client, staff):
        lesson = LessonFactory(title="The title", body="Line one.\nA warm line.\nLine three.")
        edit(lesson, staff, body="Line one.\nA kind line.\nLine three.")
        response = staff_client.get(versions_url(lesson))
        assert response.status_code == 200
        html = response.content.decode()
        assert str(staff) in html
        assert "Edited in a test" in html
        assert '<del class="diff-removed">warm</del>' in html
        assert '<ins class="diff-added">kind</ins>' in html
        assert "Lesson text" in html
        assert "Restore this version" in html
        # The oldest version has nothing before it to compare with, and says so.
        assert html.count("The first version kept.") == 1

    def test_html_in_a_lesson_is_shown_as_text_in_the_diff(self, staff_client, staff):
        lesson = LessonFactory(body="Safe.")
        edit(lesson, staff, body='<script>alert("x")</script> <img src=x onerror=alert(1)>')
        html = staff_client.get(versions_url(lesson)).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
        assert "<img" not in html

    def test_history_page_has_no_inline_script_or_style(self, staff_client, staff):
        lesson = LessonFactory()
        edit(lesson, staff, body="Changed.")
        html = staff_client.get(versions_url(lesson)).content.decode()
        assert "style=" not in html and "<style" not in html and "<script>" not in html

    def test_history_queries_do_not_grow_with_versions(
        self, staff_client, staff, django_assert_max_num_queries
    ):
        lesson = LessonFactory()
        edit(lesson, staff, body="Second.")
        with django_assert_max_num_queries(8) as small:
            staff_client.get(versions_url(lesson))
        for number in range(20):
            edit(lesson, UserFactory(), body=f"Edit {number}.")
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = staff_client.get(versions_url(lesson))
        assert len(response.context["entries"]) == 22

    def test_unknown_lesson_is_not_found(self, staff_client, db):
        assert (
            staff_client.get(reverse("admin:courses_lesson_versions", args=[999])).status_code
            == 404
        )


class TestDiff:
    def test_history_entries_compare_each_version_with_the_one_before(self, staff):
        lesson = LessonFactory(title="A", summary="S")
        edit(lesson, staff, title="B")
        edit(lesson, staff, summary="T")
        entries = lesson_history(lesson)
        assert [[change.name for change in entry.changes] for entry in entries] == [
            ["summary"],
            ["title"],
            [],
        ]
        assert entries[0].is_current and not entries[1].is_current

    def test_unchanged_lines_far_from_a_change_are_left_out(self):
        old = "\n".join(f"line {n}" for n in range(20))
        new = old.replace("line 10", "line ten")
        lines = text_diff(old, new)
        texts = ["".join(text for _, text in line.pieces) for line in lines]
        assert texts == ["line 8", "line 9", "line 10", "line ten", "line 11", "line 12"]
        assert [line.kind for line in lines][2:4] == ["removed", "added"]

    def test_added_and_removed_lines_are_marked(self):
        kinds = [line.kind for line in text_diff("a\nb", "a\nb\nc")]
        assert kinds == ["same", "same", "added"]
