"""
The data a facilitator's group report may show (courses/insights.py): reflection counts,
shared reflections only, and how the group did on each question. No private text, no
per-parent grades, and a fixed number of queries whatever the group's size.
"""

import pytest

from courses.checks import question_answer
from courses.insights import question_summary, reflection_summary, shared_reflections
from courses.models import Lesson
from tests.factories import ReflectionFactory, UserFactory, add_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(course):
    return list(Lesson.objects.published().in_course_order())


def answer(user, question, text):
    question_answer(user=user, question=question, choice=question.choices.get(text=text))


class TestReflectionSummary:
    def test_counts_the_groups_parents_who_reflected_per_lesson(self, lessons):
        one, two, three = lessons
        group = UserFactory.create_batch(8)
        for person in group[:5]:
            ReflectionFactory(user=person, lesson=one)
        ReflectionFactory(user=group[0], lesson=two, shared=True)
        ReflectionFactory(user=UserFactory(), lesson=one)  # not in the group
        summary = reflection_summary(lessons=lessons, user_ids=[p.pk for p in group])
        assert summary[one.pk].reflected == 5
        assert summary[one.pk].label == "5 of 8 parents reflected on this lesson"
        assert summary[two.pk].reflected == 1
        assert summary[three.pk].reflected == 0
        assert [summary[lesson.pk].shared for lesson in lessons] == [0, 1, 0]

    def test_holds_counts_only(self, lessons):
        person = UserFactory()
        ReflectionFactory(user=person, lesson=lessons[0], text="Private words")
        summary = reflection_summary(lessons=lessons, user_ids=[person.pk])
        assert "Private words" not in repr(summary)


class TestSharedReflections:
    def test_lists_only_the_lessons_shared_reflections_of_the_groups_parents(self, lessons):
        one, two, _ = lessons
        group = UserFactory.create_batch(4)
        ReflectionFactory(user=group[0], lesson=one, text="Shared one", shared=True)
        ReflectionFactory(user=group[1], lesson=one, text="Private one")
        ReflectionFactory(user=group[2], lesson=two, text="Shared two", shared=True)
        ReflectionFactory(user=group[3], lesson=one, text="Shared later", shared=True)
        ReflectionFactory(user=UserFactory(), lesson=one, text="Outsider shared", shared=True)
        shared = list(shared_reflections(lesson=one, user_ids=[p.pk for p in group]))
        assert [r.text for r in shared] == ["Shared later", "Shared one"]  # newest first
        assert [r.user for r in shared] == [group[3], group[0]]
        assert [r.text for r in shared_reflections(lesson=two, user_ids=[group[2].pk])] == [
            "Shared two"
        ]

    def test_unsharing_takes_it_out_of_the_report(self, lessons):
        person = UserFactory()
        reflection = ReflectionFactory(user=person, lesson=lessons[0], shared=True)
        reflection.shared = False
        reflection.save()
        assert not shared_reflections(lesson=lessons[0], user_ids=[person.pk]).exists()


class TestQuestionSummary:
    def test_first_try_results_per_question_and_the_most_missed_one(self, lessons):
        one = lessons[0]
        easy, hard = add_questions(one, 2)
        group = UserFactory.create_batch(4)
        for person in group:
            answer(person, easy, "Right")
        for person in group[:3]:
            answer(person, hard, "Wrong")
            answer(person, hard, "Right")  # right on the second try: still a first-try miss
        answer(group[3], hard, "Right")
        answer(UserFactory(), easy, "Wrong")  # not in the group
        summary = question_summary(lessons=lessons, user_ids=[p.pk for p in group])
        stats = {entry.question: entry for entry in summary[one.pk].questions}
        assert (stats[easy].parents, stats[easy].attempts, stats[easy].first_try_correct) == (
            4,
            4,
            4,
        )
        assert stats[easy].first_try_percent == 100
        assert (stats[hard].parents, stats[hard].attempts, stats[hard].first_try_correct) == (
            4,
            7,
            1,
        )
        assert stats[hard].first_try_percent == 25
        assert summary[one.pk].most_missed.question == hard

    def test_lessons_without_answers_have_no_most_missed_question(self, lessons):
        add_questions(lessons[1], 2)
        summary = question_summary(lessons=lessons, user_ids=[UserFactory().pk])
        assert summary[lessons[1].pk].most_missed is None
        assert [s.first_try_percent for s in summary[lessons[1].pk].questions] == [None, None]
        assert summary[lessons[2].pk].questions == []

    def test_holds_no_per_parent_results(self, lessons):
        question = add_questions(lessons[0], 1)[0]
        person = UserFactory()
        answer(person, question, "Wrong")
        summary = question_summary(lessons=lessons, user_ids=[person.pk])
        entry = summary[lessons[0].pk].questions[0]
        assert set(vars(entry)) == {"question", "attempts", "parents", "first_try_correct"}


@pytest.mark.parametrize("size", [2, 25])
def test_query_counts_do_not_grow_with_the_group(size, lessons, django_assert_num_queries):
    questions = [q for lesson in lessons for q in add_questions(lesson, 3)]
    group = UserFactory.create_batch(size)
    for person in group:
        for lesson in lessons:
            ReflectionFactory(user=person, lesson=lesson, shared=person.pk % 2 == 0)
        for question in questions:
            answer(person, question, "Wrong")
            answer(person, question, "Right")
    user_ids = [p.pk for p in group]
    with django_assert_num_queries(1):
        counts = reflection_summary(lessons=lessons, user_ids=user_ids)
    with django_assert_num_queries(1):
        shared = shared_reflections(lesson=lessons[0], user_ids=user_ids)
        names = [r.user.display_name for r in shared]
    with django_assert_num_queries(2):
        summary = question_summary(lessons=lessons, user_ids=user_ids)
    assert counts[lessons[0].pk].reflected == size
    assert len(names) == sum(1 for p in group if p.pk % 2 == 0)
    assert counts[lessons[0].pk].shared == len(names)
    assert summary[lessons[0].pk].questions[0].attempts == 2 * size
