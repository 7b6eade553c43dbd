"""The lesson admin: kind refusal to delete started lessons, archive, questions, list counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.admin.forms import QuestionForm
from courses.checks import question_answer
from courses.models import Choice, Lesson, LessonProgress, Question, QuestionAttempt
from tests.factories import (
    ChoiceFactory,
    LessonFactory,
    LessonProgressFactory,
    QuestionFactory,
    UserFactory,
    lesson_change_data,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:courses_lesson_changelist"


def delete_url(lesson):
    return reverse("admin:courses_lesson_delete", args=[lesson.pk])


def archive_url(lesson):
    return reverse("admin:courses_lesson_archive", args=[lesson.pk])


def change_url(lesson):
    return reverse("admin:courses_lesson_change", args=[lesson.pk])


@pytest.fixture
def started(course, parent):
    lesson = Lesson.objects.get(slug="one")
    LessonProgressFactory(user=parent, lesson=lesson)
    return lesson


class TestDeleting:
    def test_deleting_a_started_lesson_is_refused_kindly(self, staff_client, started):
        response = staff_client.get(delete_url(started))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Parents have already started this lesson" in html
        assert "started by 1 parent" in html
        assert "Archive instead" in html
        assert archive_url(started) in html
        assert "parent@example.com" not in html  # no list of who

    def test_posting_the_delete_still_refuses(self, staff_client, started):
        response = staff_client.post(delete_url(started), {"post": "yes"})
        assert response.status_code == 200
        assert "Archive instead" in response.content.decode()
        assert Lesson.objects.filter(pk=started.pk).exists()
        assert LessonProgress.objects.filter(lesson=started).count() == 1

    def test_bulk_delete_with_a_started_lesson_is_refused(self, staff_client, started):
        two = Lesson.objects.get(slug="two")
        response = staff_client.post(
            reverse(CHANGELIST),
            {"action": "delete_selected", "_selected_action": [started.pk, two.pk], "post": "yes"},
        )
        assert response.status_code == 200
        assert "Archive instead" in response.content.decode()
        assert Lesson.objects.filter(pk__in=[started.pk, two.pk]).count() == 2

    def test_a_lesson_nobody_started_can_be_deleted(self, staff_client, course):
        hidden = Lesson.objects.get(slug="hidden")
        QuestionFactory(lesson=hidden)
        assert "Are you sure" in staff_client.get(delete_url(hidden)).content.decode()
        response = staff_client.post(delete_url(hidden), {"post": "yes"})
        assert response.status_code == 302
        assert not Lesson.objects.filter(pk=hidden.pk).exists()

    def test_bulk_delete_of_unstarted_lessons_works(self, staff_client, course):
        hidden = Lesson.objects.get(slug="hidden")
        staff_client.post(
            reverse(CHANGELIST),
            {"action": "delete_selected", "_selected_action": [hidden.pk], "post": "yes"},
        )
        assert not Lesson.objects.filter(pk=hidden.pk).exists()


class TestArchiving:
    def test_staff_archives_from_the_refusal_page(self, staff_client, parent, started):
        response = staff_client.post(archive_url(started), follow=True)
        started.refresh_from_db()
        assert started.is_archived
        assert "everything they did with it is kept" in response.content.decode()
        assert LessonProgress.objects.filter(lesson=started, user=parent).exists()
        assert not Lesson.objects.published().filter(pk=started.pk).exists()

    def test_archive_and_bring_back_actions(self, staff_client, started):
        staff_client.post(
            reverse(CHANGELIST), {"action": "archive", "_selected_action": [started.pk]}
        )
        started.refresh_from_db()
        first_archived = started.archived_at
        assert first_archived is not None
        staff_client.post(
            reverse(CHANGELIST), {"action": "archive", "_selected_action": [started.pk]}
        )
        started.refresh_from_db()
        assert started.archived_at == first_archived  # archiving again keeps the date
        staff_client.post(
            reverse(CHANGELIST), {"action": "unarchive", "_selected_action": [started.pk]}
        )
        started.refresh_from_db()
        assert not started.is_archived

    def test_archive_needs_post_and_staff(self, client, parent, staff_client, started):
        assert staff_client.get(archive_url(started)).status_code == 405
        client.force_login(parent)
        response = client.post(archive_url(started))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        started.refresh_from_db()
        assert not started.is_archived

    def test_unknown_lesson_is_not_found(self, staff_client, db):
        response = staff_client.post(reverse("admin:courses_lesson_archive", args=[999]))
        assert response.status_code == 404


def question_data(prefix, question=None, text="Which is kind?", choices=(), correct=1, **extra):
    data = {
        f"{prefix}-id": question.pk if question else "",
        f"{prefix}-lesson": "",
        f"{prefix}-position": 1,
        f"{prefix}-text": text,
        f"{prefix}-correct": correct,
    }
    for number, (choice, feedback) in enumerate(choices, start=1):
        data[f"{prefix}-choice_{number}"] = choice
        data[f"{prefix}-feedback_{number}"] = feedback
    data.update(extra)
    return data


class TestQuestionsUnderTheLesson:
    def post(self, staff_client, lesson, questions, initial=0):
        data = lesson_change_data(lesson)
        data.update({"questions-TOTAL_FORMS": len(questions), "questions-INITIAL_FORMS": initial})
        for question in questions:
            data.update(question)
        return staff_client.post(change_url(lesson), data)

    def test_staff_adds_a_question_with_its_choices(self, staff_client, course):
        lesson = Lesson.objects.get(slug="one")
        response = self.post(
            staff_client,
            lesson,
            [
                question_data(
                    "questions-0",
                    choices=[("Shouting", "Not quite."), ("Listening", "Yes."), ("", "")],
                    correct=2,
                )
            ],
        )
        assert response.status_code == 302
        question = Question.objects.get(lesson=lesson)
        assert [(c.text, c.is_correct, c.feedback, c.position) for c in question.choices.all()] == [
            ("Shouting", False, "Not quite.", 1),
            ("Listening", True, "Yes.", 2),
        ]

    def test_staff_edits_choices_in_place(self, staff_client, course):
        lesson = Lesson.objects.get(slug="one")
        question = QuestionFactory(lesson=lesson, position=1)
        first = ChoiceFactory(question=question, text="A", is_correct=True, position=1)
        second = ChoiceFactory(question=question, text="B", position=2)
        third = ChoiceFactory(question=question, text="C", position=3)
        form = staff_client.get(change_url(lesson)).context["inline_admin_formsets"][0]
        assert form.formset.forms[0].initial["choice_2"] == "B"
        assert form.formset.forms[0].initial["correct"] == 1
        response = self.post(
            staff_client,
            lesson,
            [
                question_data(
                    "questions-0",
                    question,
                    text=question.text,
                    choices=[("A", "Why A."), ("B, better", "Why B.")],
                    correct=2,
                )
            ],
            initial=1,
        )
        assert response.status_code == 302
        choices = list(question.choices.all())
        assert [choice.pk for choice in choices] == [first.pk, second.pk]  # updated in place
        assert [(c.text, c.is_correct) for c in choices] == [("A", False), ("B, better", True)]
        assert not Choice.objects.filter(pk=third.pk).exists()

    @pytest.mark.parametrize(
        "choices, correct, message",
        [
            ([("Only one", "Fine.")], 1, "at least two choices"),
            ([("A", "Why."), ("B", "")], 1, "Write what a parent reads"),
            ([("A", "Why."), ("", "Orphan feedback.")], 1, "Write the choice"),
            ([("A", "Why."), ("B", "Why.")], 3, "Pick the right answer"),
            ([("A", "Why."), ("B", "Why.")], "", "Pick the right answer"),
        ],
    )
    def test_bad_questions_are_explained_and_nothing_is_saved(
        self, staff_client, course, choices, correct, message
    ):
        lesson = Lesson.objects.get(slug="one")
        response = self.post(
            staff_client, lesson, [question_data("questions-0", choices=choices, correct=correct)]
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Question.objects.filter(lesson=lesson).exists()

    def test_change_form_queries_do_not_grow_with_questions(
        self, staff_client, course, django_assert_max_num_queries
    ):
        lesson = Lesson.objects.get(slug="one")
        ChoiceFactory(question=QuestionFactory(lesson=lesson))
        with django_assert_max_num_queries(20) as small:
            staff_client.get(change_url(lesson))
        for _ in range(5):
            question = QuestionFactory(lesson=lesson)
            for _ in range(4):
                ChoiceFactory(question=question)
        with django_assert_max_num_queries(len(small.captured_queries)):
            staff_client.get(change_url(lesson))

    def test_change_form_links_to_preview_versions_and_outline(self, staff_client, course):
        lesson = Lesson.objects.get(slug="hidden")
        html = staff_client.get(change_url(lesson)).content.decode()
        assert reverse("courses:lesson-preview", args=["circle", "hidden"]) in html
        assert reverse("admin:courses_lesson_versions", args=[lesson.pk]) in html
        assert reverse("admin:courses_course_outline", args=[course.pk]) in html


@pytest.fixture
def answered(course, parent):
    """A question on lesson one with choices A (right), B and C; a parent picked C."""
    lesson = Lesson.objects.get(slug="one")
    question = QuestionFactory(lesson=lesson, position=1, text="Which is kind?")
    for position, text in enumerate("ABC", start=1):
        ChoiceFactory(question=question, text=text, is_correct=text == "A", position=position)
    question_answer(user=parent, question=question, choice=question.choices.get(text="C"))
    return question


ABC = [("A", "Why A."), ("B", "Why B."), ("C", "Why C.")]


class TestAnsweredQuestionsAreKept:
    """Parents' answers point to their question and choice (PROTECT): the admin explains."""

    def edit(self, staff_client, question, choices, title="Lesson one", **extra):
        lesson = question.lesson
        data = lesson_change_data(lesson, title=title)
        data.update({"questions-TOTAL_FORMS": 1, "questions-INITIAL_FORMS": 1})
        data.update(
            question_data("questions-0", question, text=question.text, choices=choices, **extra)
        )
        return staff_client.post(change_url(lesson), data)

    def test_removing_an_answered_choice_is_refused_and_nothing_is_saved(
        self, staff_client, answered
    ):
        choices = [("A", "Why A."), ("B", "Why B."), ("", "")]
        response = self.edit(staff_client, answered, choices, title="Renamed")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Parents have already picked “C”, so it has to stay" in html
        assert [c.text for c in answered.choices.all()] == ["A", "B", "C"]
        assert Lesson.objects.get(pk=answered.lesson_id).title == "Lesson one"

    def test_an_unanswered_choice_can_go_and_the_answered_one_keeps_its_words(
        self, staff_client, answered
    ):
        c = answered.choices.get(text="C")
        response = self.edit(staff_client, answered, [("A", "Why A."), ("", ""), ("C", "Why C.")])
        assert response.status_code == 302
        assert [(x.pk, x.text, x.position) for x in answered.choices.all()][1:] == [(c.pk, "C", 2)]
        attempt = QuestionAttempt.objects.get(question=answered)
        assert attempt.choice.text == "C"  # the parent's answer still says what they picked

    def test_deleting_an_answered_question_is_refused_and_the_lesson_stays_editable(
        self, staff_client, answered
    ):
        response = self.edit(
            staff_client, answered, ABC, title="Renamed", **{"questions-0-DELETE": "on"}
        )
        assert response.status_code == 200
        assert "Parents have already answered “Which is kind?”, so it cannot be deleted" in (
            response.content.decode()
        )
        assert Question.objects.filter(pk=answered.pk).exists()
        assert Lesson.objects.get(pk=answered.lesson_id).title == "Lesson one"
        response = self.edit(staff_client, answered, ABC, title="Renamed")
        assert response.status_code == 302
        assert Lesson.objects.get(pk=answered.lesson_id).title == "Renamed"

    def test_a_question_nobody_answered_can_still_be_deleted(self, staff_client, answered):
        QuestionAttempt.objects.all().delete()
        response = self.edit(staff_client, answered, ABC, **{"questions-0-DELETE": "on"})
        assert response.status_code == 302
        assert not Question.objects.filter(pk=answered.pk).exists()

    def test_an_answer_arriving_during_the_save_is_a_message_not_an_error_page(
        self, staff_client, answered, monkeypatch
    ):
        # As if the parent answered between the form's check and the save.
        monkeypatch.setattr(QuestionForm, "_keep_answered_choices", lambda self, filled: None)
        choices = [("A", "Why A."), ("B", "Why B."), ("", "")]
        response = self.edit(staff_client, answered, choices, title="Renamed")
        assert response.status_code == 302
        assert response["Location"] == change_url(answered.lesson)
        page = staff_client.get(response["Location"]).content.decode()
        assert "A parent answered one of these questions just now" in page
        assert [c.text for c in answered.choices.all()] == ["A", "B", "C"]
        assert Lesson.objects.get(pk=answered.lesson_id).title == "Lesson one"


class TestLessonList:
    def test_list_shows_started_and_completed_counts(self, staff_client, course):
        one, two = Lesson.objects.get(slug="one"), Lesson.objects.get(slug="two")
        now = timezone.now()
        for _ in range(3):
            LessonProgressFactory(lesson=one)
        LessonProgressFactory(lesson=one, started_at=now, completed_at=now)
        LessonProgressFactory(lesson=two, started_at=now, completed_at=now)
        response = staff_client.get(reverse(CHANGELIST))
        rows = {lesson.slug: lesson for lesson in response.context["cl"].result_list}
        assert (rows["one"].started_count, rows["one"].completed_count) == (4, 1)
        assert (rows["two"].started_count, rows["two"].completed_count) == (1, 1)
        assert (rows["three"].started_count, rows["three"].completed_count) == (0, 0)

    def test_list_queries_do_not_grow_with_lessons_or_parents(
        self, staff_client, course, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(12) as small:
            staff_client.get(reverse(CHANGELIST))
        module = Lesson.objects.get(slug="one").module
        parents = [UserFactory() for _ in range(4)]
        for _ in range(15):
            lesson = LessonFactory(module=module)
            for parent in parents:
                LessonProgressFactory(user=parent, lesson=lesson)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = staff_client.get(reverse(CHANGELIST))
        assert response.context["cl"].result_count == 19

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("is_published__exact=0", {"hidden"}),
            ("archived=yes", {"three"}),
            ("archived=no", {"one", "two", "hidden"}),
            ("circle_place__exact=safe_haven", {"two"}),
            ("principle__exact=human_limitations", {"one"}),
            ("q=Draft", {"hidden"}),
        ],
    )
    def test_filters_and_search(self, staff_client, course, query, expected):
        Lesson.objects.filter(slug="three").update(archived_at=timezone.now())
        Lesson.objects.filter(slug="two").update(circle_place="safe_haven")
        Lesson.objects.filter(slug="one").update(principle="human_limitations")
        response = staff_client.get(reverse(CHANGELIST) + "?" + query)
        assert {lesson.slug for lesson in response.context["cl"].result_list} == expected

    def test_filter_by_course_and_module(self, staff_client, course):
        other = LessonFactory(slug="elsewhere")
        module = Lesson.objects.get(slug="three").module
        url = reverse(CHANGELIST)
        by_course = staff_client.get(f"{url}?module__course__id__exact={course.pk}")
        assert other not in by_course.context["cl"].result_list
        by_module = staff_client.get(reverse(CHANGELIST) + f"?module__id__exact={module.pk}")
        assert {lesson.slug for lesson in by_module.context["cl"].result_list} == {
            "three",
            "hidden",
        }

    def test_parent_is_sent_to_the_admin_login(self, parent_client, course):
        response = parent_client.get(reverse(CHANGELIST))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
