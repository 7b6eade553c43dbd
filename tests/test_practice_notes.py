"""The weekly practice log: dated notes on what a parent tried and what happened."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import PRACTICE_TEXT_MAX_LENGTH, Lesson, PracticeNote
from tests.factories import PracticeNoteFactory

pytestmark = pytest.mark.django_db


def add_url(slug="one"):
    return reverse("courses:practice-note-add", args=["circle", slug])


def lesson_url(slug="one"):
    return reverse("courses:lesson", args=["circle", slug])


def note_data(**overrides):
    data = {
        "key": str(uuid.uuid4()),
        "noted_on": timezone.localdate().isoformat(),
        "tried": "I said sorry after I snapped.",
        "happened": "She hugged me. A rupture and a repair.",
    }
    return {**data, **overrides}


class TestAddingNotes:
    def test_lesson_page_offers_a_labelled_dated_note_form(self, parent_client, course):
        html = parent_client.get(lesson_url()).content.decode()
        assert "Add a practice note" in html
        assert 'for="id_noted_on"' in html and 'type="date"' in html
        assert 'for="id_tried"' in html and 'for="id_happened"' in html
        assert f'value="{timezone.localdate().isoformat()}"' in html  # today by default

    def test_parent_adds_a_note_and_sees_it_on_the_lesson_and_in_the_journal(
        self, parent_client, parent, course
    ):
        response = parent_client.post(add_url(), note_data())
        assert response.status_code == 302
        assert response["Location"] == lesson_url() + "#practice-notes"
        note = PracticeNote.objects.get(user=parent)
        assert note.lesson.slug == "one" and note.noted_on == timezone.localdate()
        assert "I said sorry after I snapped." in parent_client.get(lesson_url()).content.decode()
        journal = parent_client.get(reverse("courses:journal")).content.decode()
        assert "She hugged me. A rupture and a repair." in journal
        assert lesson_url() in journal

    def test_sending_the_same_form_twice_saves_one_note(self, parent_client, parent, course):
        data = note_data()
        parent_client.post(add_url(), data)
        parent_client.post(add_url(), data)
        assert PracticeNote.objects.filter(user=parent).count() == 1

    def test_two_different_forms_save_two_notes(self, parent_client, parent, course):
        parent_client.post(add_url(), note_data())
        parent_client.post(add_url(), note_data())
        assert PracticeNote.objects.filter(user=parent).count() == 2

    def test_the_same_key_from_another_parent_is_their_own_note(
        self, client, parent, second_parent, course
    ):
        data = note_data()
        for person in (parent, second_parent):
            client.force_login(person)
            client.post(add_url(), data)
        assert PracticeNote.objects.count() == 2

    def test_empty_note_gets_a_message_and_keeps_what_was_typed(
        self, parent_client, parent, course
    ):
        response = parent_client.post(add_url(), note_data(tried=" ", happened="Kept words"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Please write a few words about what you tried." in html
        assert "Kept words</textarea>" in html
        assert '<details class="note-add" open>' in html
        assert not PracticeNote.objects.exists()

    def test_too_long_note_gets_a_message_and_keeps_the_text(self, parent_client, course):
        long_text = "a" * (PRACTICE_TEXT_MAX_LENGTH + 1)
        response = parent_client.post(add_url(), note_data(happened=long_text))
        assert f"Please keep it under {PRACTICE_TEXT_MAX_LENGTH:,} characters" in (
            response.content.decode()
        )
        assert long_text in response.content.decode()
        assert not PracticeNote.objects.exists()

    def test_a_date_still_to_come_is_refused(self, parent_client, course):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = parent_client.post(add_url(), note_data(noted_on=tomorrow.isoformat()))
        assert "That date is still to come." in response.content.decode()
        assert not PracticeNote.objects.exists()

    def test_a_missing_date_is_asked_for(self, parent_client, course):
        response = parent_client.post(add_url(), note_data(noted_on=""))
        assert "Please give the date." in response.content.decode()

    @pytest.mark.parametrize("in_place", [False, True], ids=["page", "htmx"])
    @pytest.mark.parametrize("noted_on", ["future", "2025-13-45"])
    def test_every_problem_is_shown_at_once(self, parent_client, course, in_place, noted_on):
        if noted_on == "future":
            noted_on = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        headers = {"HX-Request": "true"} if in_place else {}
        data = note_data(noted_on=noted_on, tried="", happened="x" * (PRACTICE_TEXT_MAX_LENGTH + 1))
        html = parent_client.post(add_url(), data, headers=headers).content.decode()
        assert "That date is still to come." in html or "Please give a date like" in html
        assert "Please write a few words about what you tried." in html
        assert f"Please keep it under {PRACTICE_TEXT_MAX_LENGTH:,} characters." in html
        assert "Please give the date." not in html  # the date's own problem says it all
        assert not PracticeNote.objects.exists()

    def test_an_edit_shows_every_problem_at_once(self, parent_client, parent, course):
        note = PracticeNoteFactory(user=parent)
        url = reverse("courses:practice-note-edit", args=[note.pk])
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        html = parent_client.post(url, note_data(noted_on=tomorrow.isoformat(), tried=" "))
        html = html.content.decode()
        assert "That date is still to come." in html
        assert "Please write a few words about what you tried." in html

    @pytest.mark.parametrize("key", [None, "", "not-a-uuid"])
    def test_a_missing_or_broken_form_key_still_saves_the_note(
        self, parent_client, parent, course, key
    ):
        data = note_data()
        if key is None:
            del data["key"]
        else:
            data["key"] = key
        assert parent_client.post(add_url(), data).status_code == 302
        assert PracticeNote.objects.filter(user=parent).count() == 1

    def test_visitor_is_sent_to_log_in(self, client, course):
        response = client.post(add_url(), note_data())
        assert response["Location"].startswith(reverse("account_login"))
        assert not PracticeNote.objects.exists()

    def test_unpublished_lesson_cannot_get_notes(self, parent_client, course):
        assert parent_client.post(add_url("hidden"), note_data()).status_code == 404


class TestEditingAndDeleting:
    def test_parent_edits_a_note(self, parent_client, parent, course):
        note = PracticeNoteFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
        url = reverse("courses:practice-note-edit", args=[note.pk])
        assert note.tried in parent_client.get(url).content.decode()
        response = parent_client.post(
            url, note_data(key=str(note.key), noted_on=note.noted_on.isoformat(), tried="New")
        )
        assert response["Location"] == reverse("courses:journal") + f"#note-{note.pk}"
        note.refresh_from_db()
        assert note.tried == "New"
        assert PracticeNote.objects.count() == 1

    def test_a_failed_edit_shows_the_message_and_keeps_both_versions(
        self, parent_client, parent, course
    ):
        note = PracticeNoteFactory(user=parent, tried="Saved words")
        url = reverse("courses:practice-note-edit", args=[note.pk])
        response = parent_client.post(url, note_data(tried="", happened="Typed just now"))
        assert "Please write a few words about what you tried." in response.content.decode()
        assert "Typed just now" in response.content.decode()
        note.refresh_from_db()
        assert note.tried == "Saved words"

    def test_parent_confirms_then_deletes_a_note(self, parent_client, parent, course):
        note = PracticeNoteFactory(user=parent)
        url = reverse("courses:practice-note-delete", args=[note.pk])
        assert "Yes, delete it" in parent_client.get(url).content.decode()
        assert PracticeNote.objects.exists()
        parent_client.post(url)
        assert not PracticeNote.objects.exists()

    @pytest.mark.parametrize("name", ["practice-note-edit", "practice-note-delete"])
    def test_others_get_not_found(self, client, parent, second_parent, facilitator, name):
        note = PracticeNoteFactory(user=parent, tried="Only mine")
        url = reverse(f"courses:{name}", args=[note.pk])
        for outsider in (second_parent, facilitator):
            client.force_login(outsider)
            assert client.get(url).status_code == 404
            assert client.post(url, note_data(tried="Changed")).status_code == 404
        note.refresh_from_db()
        assert note.tried == "Only mine"

    @pytest.mark.parametrize("name", ["practice-note-edit", "practice-note-delete"])
    def test_visitor_is_sent_to_log_in(self, client, parent, name):
        note = PracticeNoteFactory(user=parent)
        response = client.get(reverse(f"courses:{name}", args=[note.pk]))
        assert response["Location"].startswith(reverse("account_login"))

    def test_notes_of_another_parent_do_not_show_on_the_lesson_page(
        self, parent_client, second_parent, course
    ):
        PracticeNoteFactory(
            user=second_parent, lesson=Lesson.objects.get(slug="one"), tried="Not yours"
        )
        assert "Not yours" not in parent_client.get(lesson_url()).content.decode()
