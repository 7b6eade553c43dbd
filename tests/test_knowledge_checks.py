"""Answering a lesson's questions on the lesson page, and the page's query budget."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from courses.checks import question_answer
from courses.models import Lesson, QuestionAttempt
from tests.conftest import logged_in
from tests.factories import PracticeNoteFactory, ReflectionFactory, add_questions

pytestmark = pytest.mark.django_db


def lesson_url(slug="one"):
    return reverse("courses:lesson", args=["circle", slug])


def answer_url(question, slug="one"):
    return reverse("courses:question-answer", args=["circle", slug, question.pk])


@pytest.fixture
def questions(course):
    return add_questions(Lesson.objects.get(slug="one"), 2)


def choice(question, text):
    return question.choices.get(text=text)


class TestAnswering:
    def test_questions_show_on_the_lesson_page_as_labelled_radio_buttons(
        self, parent_client, questions
    ):
        html = parent_client.get(lesson_url()).content.decode()
        first = questions[0]
        assert "Check your understanding" in html
        assert f'action="{answer_url(first)}"' in html
        right = choice(first, "Right")
        assert f'id="choice-{right.pk}"' in html and f'for="choice-{right.pk}"' in html
        assert "<legend" in html
        assert "Check my answer" in html

    def test_a_wrong_answer_shows_its_feedback_and_says_not_quite(
        self, parent_client, parent, questions
    ):
        first = questions[0]
        wrong = choice(first, "Wrong")
        response = parent_client.post(answer_url(first), {"choice": wrong.pk})
        assert response.status_code == 302
        assert response["Location"] == lesson_url() + f"#question-{first.pk}"
        html = parent_client.get(lesson_url()).content.decode()
        assert "Not quite, because." in html
        assert "Not quite. Have another look." in html
        assert f'value="{wrong.pk}" checked' in html
        assert "Try again" in html
        attempt = QuestionAttempt.objects.get(user=parent)
        assert (attempt.question, attempt.choice, attempt.is_correct) == (first, wrong, False)

    def test_trying_again_with_the_right_answer_shows_that_it_is_right(
        self, parent_client, parent, questions
    ):
        first = questions[0]
        parent_client.post(answer_url(first), {"choice": choice(first, "Wrong").pk})
        parent_client.post(answer_url(first), {"choice": choice(first, "Right").pk})
        html = parent_client.get(lesson_url()).content.decode()
        assert "That&#x27;s right." in html or "That's right." in html
        assert "Yes, because." in html
        assert "Not quite, because." not in html  # only the latest answer's feedback
        assert list(
            QuestionAttempt.objects.filter(user=parent)
            .order_by("id")
            .values_list("is_correct", flat=True)
        ) == [False, True]

    def test_a_double_submit_stores_one_attempt(self, parent_client, parent, questions):
        first = questions[0]
        wrong = choice(first, "Wrong")
        parent_client.post(answer_url(first), {"choice": wrong.pk})
        parent_client.post(answer_url(first), {"choice": wrong.pk})
        assert QuestionAttempt.objects.filter(user=parent).count() == 1

    def test_answering_without_picking_asks_kindly_and_stores_nothing(
        self, parent_client, questions
    ):
        response = parent_client.post(answer_url(questions[0]), {}, follow=True)
        assert "Please pick one of the answers" in response.content.decode()
        assert not QuestionAttempt.objects.exists()

    def test_a_choice_of_another_question_is_refused(self, parent_client, questions):
        first, second = questions
        response = parent_client.post(
            answer_url(first), {"choice": choice(second, "Right").pk}, follow=True
        )
        assert "Please pick one of the answers" in response.content.decode()
        assert not QuestionAttempt.objects.exists()

    def test_service_refuses_a_choice_of_another_question(self, parent, questions):
        first, second = questions
        with pytest.raises(ValidationError):
            question_answer(user=parent, question=first, choice=choice(second, "Right"))

    def test_nonsense_choice_is_refused(self, parent_client, questions):
        parent_client.post(answer_url(questions[0]), {"choice": "abc"})
        assert not QuestionAttempt.objects.exists()

    def test_a_question_of_another_lesson_is_not_found(self, parent_client, questions):
        response = parent_client.post(
            answer_url(questions[0], slug="two"), {"choice": choice(questions[0], "Right").pk}
        )
        assert response.status_code == 404

    def test_questions_of_an_unpublished_lesson_cannot_be_answered(self, parent_client, course):
        hidden = add_questions(Lesson.objects.get(slug="hidden"), 1)[0]
        response = parent_client.post(
            answer_url(hidden, slug="hidden"), {"choice": choice(hidden, "Right").pk}
        )
        assert response.status_code == 404

    def test_visitor_is_sent_to_log_in(self, client, questions):
        response = client.post(answer_url(questions[0]), {"choice": 1})
        assert response["Location"].startswith(reverse("account_login"))

    def test_another_parents_answers_do_not_show(self, client, parent, second_parent, questions):
        first = questions[0]
        question_answer(user=parent, question=first, choice=choice(first, "Wrong"))
        client.force_login(second_parent)
        html = client.get(lesson_url()).content.decode()
        assert "Not quite, because." not in html
        assert " checked" not in html

    def test_two_parents_giving_the_same_answer_each_keep_their_own(
        self, client, parent, second_parent, questions
    ):
        """A double tap is the parent's own latest answer again, never another parent's."""
        first = questions[0]
        wrong = choice(first, "Wrong")
        for person in (parent, second_parent):
            client.force_login(person)
            client.post(answer_url(first), {"choice": wrong.pk})
            html = client.get(lesson_url()).content.decode()
            assert "Not quite, because." in html
            assert f'value="{wrong.pk}" checked' in html
        assert sorted(QuestionAttempt.objects.values_list("user_id", flat=True)) == sorted(
            [parent.pk, second_parent.pk]
        )

    def test_an_answered_choice_cannot_be_deleted(self, parent, questions):
        first = questions[0]
        wrong = choice(first, "Wrong")
        question_answer(user=parent, question=first, choice=wrong)
        with pytest.raises(ProtectedError):
            wrong.delete()


class TestLessonPageQueries:
    @pytest.mark.parametrize("count", [3, 30])
    def test_lesson_page_with_reflection_questions_and_notes_stays_within_budget(
        self, parent_client, parent, course, count, django_assert_max_num_queries
    ):
        lesson = Lesson.objects.get(slug="one")
        questions = add_questions(lesson, count)
        for question in questions:
            question_answer(user=parent, question=question, choice=choice(question, "Wrong"))
            question_answer(user=parent, question=question, choice=choice(question, "Right"))
        ReflectionFactory(user=parent, lesson=lesson)
        for _ in range(count // 3):
            PracticeNoteFactory(user=parent, lesson=lesson)
        # First visit: progress is created, and this worker reads the course's lessons and
        # this lesson's questions into its content cache (courses/content_cache.py).
        with django_assert_max_num_queries(9):
            response = parent_client.get(lesson_url())
        assert len(response.context["questions"]) == count
        assert all(state.last_choice.is_correct for state in response.context["questions"])
        with django_assert_max_num_queries(7):  # a later visit: the content comes from the cache
            parent_client.get(lesson_url())

    def test_new_parent_first_visit_stays_within_budget(
        self, parent_client, second_parent, course, django_assert_max_num_queries
    ):
        add_questions(Lesson.objects.get(slug="one"), 3)
        logged_in(second_parent).get(lesson_url())  # another parent warms the content cache
        with django_assert_max_num_queries(7):
            parent_client.get(lesson_url())

    def test_lesson_without_questions_shows_no_empty_check(self, parent_client, course):
        html = parent_client.get(lesson_url()).content.decode()
        assert "Check your understanding" not in html


def test_question_without_choices_is_left_out(parent_client, course):
    from tests.factories import QuestionFactory

    QuestionFactory(lesson=Lesson.objects.get(slug="one"), text="Orphan question")
    assert "Orphan question" not in parent_client.get(lesson_url()).content.decode()


def test_an_out_of_range_choice_id_is_refused(parent_client, questions):
    parent_client.post(answer_url(questions[0]), {"choice": "9" * 30})
    assert not QuestionAttempt.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", "１"])  # str.isdigit() says yes to all three
def test_a_choice_id_of_other_digits_is_refused_kindly(parent_client, questions, value):
    response = parent_client.post(answer_url(questions[0]), {"choice": value})
    assert response.status_code == 302
    assert not QuestionAttempt.objects.exists()
