"""
The lesson page's forms answered in place (issue 11, item 10): with the HX-Request header that
htmx sends, each form's view answers with its own box of the page, rendered from the same
partial as the whole page, scoped and access-checked like the page. Without the header, the
views redirect as they always did (their own tests: test_knowledge_checks.py,
test_reflections.py, test_practice_notes.py).
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.journal import REFLECTION_MAX_LENGTH
from courses.models import Lesson, PracticeNote, QuestionAttempt, Reflection
from tests.conftest import logged_in
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    ParentGroupFactory,
    PracticeNoteFactory,
    UserFactory,
    add_questions,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def lesson_url(slug="one"):
    return reverse("courses:lesson", args=["circle", slug])


def answer_url(question, slug="one"):
    return reverse("courses:question-answer", args=["circle", slug, question.pk])


def reflection_url(slug="one"):
    return reverse("courses:reflection-save", args=["circle", slug])


def note_url(slug="one"):
    return reverse("courses:practice-note-add", args=["circle", slug])


@pytest.fixture
def questions(course):
    return add_questions(Lesson.objects.get(slug="one"), 2)


def choice(question, text):
    return question.choices.get(text=text)


def fragment(response):
    """A piece of page for htmx: no document around it, and caches told it varies."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    assert "HX-Request" in response["Vary"]
    return html


def without_tokens(html):
    """The CSRF token is masked afresh on every render: leave it out of comparisons."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def element(html, tag, id_):
    """The element `tag` with id `id_` (no nesting of the same tag inside it)."""
    found = re.search(rf'<{tag} id="{id_}".*?</{tag}>', html, re.S)
    assert found, f"no <{tag} id={id_}>"
    return " ".join(without_tokens(found.group(0)).split())


class TestAnsweringInPlace:
    def test_an_answer_comes_back_as_its_question_card_with_the_feedback(
        self, parent_client, parent, questions
    ):
        first = questions[0]
        wrong = choice(first, "Wrong")
        html = fragment(parent_client.post(answer_url(first), {"choice": wrong.pk}, headers=HTMX))
        assert html.strip().startswith(f'<form id="question-{first.pk}"')
        assert "Not quite. Have another look." in html and "Not quite, because." in html
        assert f'value="{wrong.pk}" checked' in html
        assert "data-feedback" in html
        assert f'hx-post="{answer_url(first)}"' in html
        # Numbered as on the page, and only this question.
        assert "1. " in html and f"question-{questions[1].pk}" not in html
        assert QuestionAttempt.objects.filter(user=parent, choice=wrong).count() == 1

    def test_the_card_is_the_one_the_whole_page_shows(self, parent_client, questions):
        second = questions[1]
        html = fragment(
            parent_client.post(
                answer_url(second), {"choice": choice(second, "Right").pk}, headers=HTMX
            )
        )
        page = parent_client.get(lesson_url()).content.decode()
        card = element(html, "form", f"question-{second.pk}")
        assert card == element(page, "form", f"question-{second.pk}")
        assert "2. " in card

    def test_a_right_answer_does_not_offer_to_try_again(self, parent_client, questions):
        first = questions[0]
        html = fragment(
            parent_client.post(
                answer_url(first), {"choice": choice(first, "Right").pk}, headers=HTMX
            )
        )
        assert "That&#x27;s right." in html or "That's right." in html
        assert "Try again" not in html
        assert "Check my answer" in html

    def test_no_choice_comes_back_with_its_message_and_records_nothing(
        self, parent_client, parent, questions
    ):
        first = questions[0]
        html = fragment(parent_client.post(answer_url(first), {}, headers=HTMX))
        assert "Please pick one of the answers" in html
        assert not QuestionAttempt.objects.filter(user=parent).exists()
        # Said in the card, not left over for the next whole page.
        assert "Please pick one" not in parent_client.get(lesson_url()).content.decode()

    def test_a_double_submit_records_one_answer(self, parent_client, parent, questions):
        first = questions[0]
        right = choice(first, "Right")
        for _ in range(2):
            fragment(parent_client.post(answer_url(first), {"choice": right.pk}, headers=HTMX))
        assert QuestionAttempt.objects.filter(user=parent, question=first).count() == 1

    def test_without_javascript_the_answer_still_redirects_to_its_question(
        self, parent_client, questions
    ):
        first = questions[0]
        response = parent_client.post(answer_url(first), {"choice": choice(first, "Right").pk})
        assert response.status_code == 302
        assert response["Location"] == lesson_url() + f"#question-{first.pk}"


class TestReflectionInPlace:
    def test_saving_comes_back_as_the_reflection_box_saying_it_is_saved(
        self, parent_client, parent, course
    ):
        html = fragment(
            parent_client.post(reflection_url(), {"text": "I noticed the pause."}, headers=HTMX)
        )
        assert html.strip().startswith('<section id="reflection"')
        assert "Your reflection is saved." in html and "data-feedback" in html
        assert "I noticed the pause." in html
        assert "Save changes" in html
        reflection = Reflection.objects.get(user=parent)
        # The share button inside sends the parent back to the lesson, not to the save URL.
        assert f'name="next" value="{lesson_url()}#reflection-{reflection.pk}"' in html
        # The message is in the box: the next whole page does not say it again.
        assert "Your reflection is saved." not in parent_client.get(lesson_url()).content.decode()

    def test_the_box_is_the_one_the_whole_page_shows(self, parent_client, course):
        html = fragment(parent_client.post(reflection_url(), {"text": "Words."}, headers=HTMX))
        page = parent_client.get(lesson_url()).content.decode()
        saved = html.replace(
            re.search(r'<p class="alert alert-success[^>]*>.*?</p>', html, re.S).group(0), ""
        )
        assert element(saved, "section", "reflection") == element(page, "section", "reflection")

    def test_too_long_comes_back_with_the_message_and_every_word_kept(
        self, parent_client, parent, course
    ):
        text = "word " * (REFLECTION_MAX_LENGTH // 5 + 10)
        html = fragment(parent_client.post(reflection_url(), {"text": text}, headers=HTMX))
        assert "is-invalid" in html or "alert-danger" in html
        assert text.strip() in html
        assert "data-feedback" not in html
        assert not Reflection.objects.filter(user=parent).exists()


class TestPracticeNotesInPlace:
    def test_saving_comes_back_as_the_notes_with_the_new_one_and_a_fresh_form(
        self, parent_client, parent, course
    ):
        form = parent_client.get(lesson_url()).content.decode()
        key = re.search(r'name="key" value="([^"]+)"', form).group(1)
        data = {"key": key, "noted_on": timezone.localdate(), "tried": "Named the feeling."}
        html = fragment(parent_client.post(note_url(), data, headers=HTMX))
        assert html.strip().startswith('<section id="practice-notes"')
        assert "Named the feeling." in html
        assert "Your practice note is saved." in html and "data-feedback" in html
        # A fresh form: a new key, so the next note is a new note, and closed again.
        new_key = re.search(r'name="key" value="([^"]+)"', html).group(1)
        assert new_key != key
        assert '<details class="note-add">' in html
        # The same form sent twice (a double tap) is still one note.
        fragment(parent_client.post(note_url(), data, headers=HTMX))
        assert PracticeNote.objects.filter(user=parent).count() == 1

    def test_a_note_to_fix_comes_back_open_with_the_message_and_nothing_lost(
        self, parent_client, parent, course
    ):
        later = timezone.localdate() + timedelta(days=3)
        data = {"noted_on": later, "tried": "Kept calm at bedtime.", "happened": "She slept."}
        html = fragment(parent_client.post(note_url(), data, headers=HTMX))
        assert "That date is still to come" in html
        assert "Kept calm at bedtime." in html and "She slept." in html
        assert '<details class="note-add" open>' in html
        assert not PracticeNote.objects.filter(user=parent).exists()


class TestFragmentsAreScopedLikeThePage:
    def test_a_parent_whose_group_has_not_opened_the_lesson_gets_403(self, course, questions):
        later = UserFactory(email="later@example.com")
        group = ParentGroupFactory(course=course, name="Starts next week")
        MembershipFactory(group=group, user=later)
        AssignmentFactory(
            group=group,
            module=Lesson.objects.get(slug="one").module,
            opens_on=timezone.localdate() + timedelta(days=7),
        )
        browser = logged_in(later)
        first = questions[0]
        posts = [
            (answer_url(first), {"choice": choice(first, "Right").pk}),
            (reflection_url(), {"text": "Sneaky."}),
            (note_url(), {"noted_on": timezone.localdate(), "tried": "Sneaky."}),
        ]
        for url, data in posts:
            assert browser.post(url, data, headers=HTMX).status_code == 403
        assert not QuestionAttempt.objects.exists()
        assert not Reflection.objects.exists() and not PracticeNote.objects.exists()

    def test_a_question_of_another_lesson_is_not_found(self, parent_client, course):
        other = add_questions(Lesson.objects.get(slug="two"), 1)[0]
        url = answer_url(other, slug="one")
        response = parent_client.post(url, {"choice": choice(other, "Right").pk}, headers=HTMX)
        assert response.status_code == 404

    def test_a_hidden_lesson_is_not_found(self, parent_client, course):
        response = parent_client.post(reflection_url("hidden"), {"text": "x"}, headers=HTMX)
        assert response.status_code == 404

    def test_someone_signed_out_is_sent_to_log_in(self, client, questions):
        first = questions[0]
        response = client.post(answer_url(first), {"choice": 1}, headers=HTMX)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_the_notes_box_shows_only_the_parents_own_notes(
        self, parent_client, second_parent, course
    ):
        PracticeNoteFactory(
            user=second_parent, lesson=Lesson.objects.get(slug="one"), tried="Not yours."
        )
        data = {"noted_on": timezone.localdate(), "tried": "Mine."}
        html = fragment(parent_client.post(note_url(), data, headers=HTMX))
        assert "Mine." in html and "Not yours." not in html


def count_queries(browser, url, data):
    with CaptureQueriesContext(connection) as captured:
        response = browser.post(url, data, headers=HTMX)
    assert response.status_code == 200
    return len(captured)


class TestQueryCounts:
    def test_each_fragment_has_a_small_fixed_budget(self, parent_client, questions):
        first = questions[0]
        parent_client.get(lesson_url())  # the content cache, as a parent's visit leaves it
        counts = {
            "answer": count_queries(
                parent_client, answer_url(first), {"choice": choice(first, "Wrong").pk}
            ),
            "reflection": count_queries(parent_client, reflection_url(), {"text": "Words."}),
            "note": count_queries(
                parent_client, note_url(), {"noted_on": timezone.localdate(), "tried": "Tried."}
            ),
        }
        # Each: the session, the lesson, the parent's groups (courses/access.py), the write in
        # its transaction, and what the box shows (the answers' one read, the notes' one read).
        assert counts == {"answer": 11, "reflection": 9, "note": 10}

    def test_the_counts_do_not_grow_with_more_notes_and_answers(
        self, parent_client, parent, questions
    ):
        first = questions[0]
        parent_client.get(lesson_url())
        lesson = Lesson.objects.get(slug="one")

        def measure():
            return (
                count_queries(
                    parent_client, answer_url(first), {"choice": choice(first, "Wrong").pk}
                )
                + count_queries(
                    parent_client, answer_url(first), {"choice": choice(first, "Right").pk}
                ),
                count_queries(
                    parent_client, note_url(), {"noted_on": timezone.localdate(), "tried": "T."}
                ),
            )

        before = measure()
        for number in range(20):
            PracticeNoteFactory(user=parent, lesson=lesson, tried=f"Note {number}")
        assert measure() == before
