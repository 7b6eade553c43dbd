"""
Plans and locks, who reads a shared reflection, and knowledge checks with two of everything
(tests/two_of_everything.py): one group's plan never changes another's, a module is locked
only while every active group of the parent's on that course keeps it closed, and a shared
reflection names the facilitators who really read it.

Each test here was seen to fail with its rule's filter removed (tests/MUTATION.md).
"""

from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.access import get_group_for_facilitator, get_group_for_member
from accounts.groups import group_archive
from courses import access
from courses.assignments import (
    group_assign_module,
    group_unassign_module,
    parent_plans,
)
from courses.journal import (
    practice_note_add,
    practice_note_update,
    reflection_save,
    reflection_set_shared,
)
from courses.models import Assignment, PracticeNote, QuestionAttempt, Reflection
from tests.conftest import logged_in
from tests.factories import CertificateFactory, ReflectionFactory, add_questions

pytestmark = pytest.mark.django_db

ARCHIVED = "This group is archived. Restore it first to make changes."
KEY = "7d3c0e8a-52f4-4a3e-9a61-0c2b9f1f4d10"


def folded(response):
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def modules_of(world):
    return list(world.course.modules.order_by("position"))


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def planned(group):
    return set(Assignment.objects.filter(group=group).values_list("module__slug", flat=True))


class TestPlansAndLocks:
    def test_taking_a_module_off_one_groups_plan_leaves_the_other_groups_plan(
        self, world, facilitator_client
    ):
        first, second = modules_of(world)
        for group in (world.tuesday, world.thursday):
            group_assign_module(group=group, module=second, opens_on=in_days(5))
        group_assign_module(group=world.tuesday, module=first)
        url = reverse("courses:facilitator-assignments", args=[world.tuesday.pk])
        facilitator_client.post(url, {f"m{first.pk}-planned": "on"})  # second: off the plan
        assert planned(world.tuesday) == {"first"}
        assert planned(world.thursday) == {"second"}

    def test_a_module_stays_locked_only_while_every_active_group_keeps_it_closed(self, world):
        _, second = modules_of(world)
        group_assign_module(group=world.tuesday, module=second, opens_on=in_days(5))
        # Kim is in Tuesday (and Saturday, on another course): locked until Tuesday opens it.
        assert parent_plans(user=world.kim, course=world.course).locks == {second.pk: in_days(5)}
        assert parent_plans(user=world.kim).locks == {second.pk: in_days(5)}
        # Pat is in Tuesday and Thursday, which has no plan: open. Sam is in Thursday only.
        assert parent_plans(user=world.pat, course=world.course).locks == {}
        assert parent_plans(user=world.sam).locks == {}
        # Thursday ends: now only Tuesday counts for Pat.
        group_archive(group=world.thursday)
        assert parent_plans(user=world.pat, course=world.course).locks == {second.pk: in_days(5)}

    def test_a_locked_module_shows_on_the_course_page_of_that_parent_only(self, world):
        _, second = modules_of(world)
        group_assign_module(group=world.tuesday, module=second, opens_on=in_days(5))
        three = reverse("courses:lesson", args=["circle", "three"])
        assert logged_in(world.kim).get(three).status_code == 403
        assert logged_in(world.pat).get(three).status_code == 200

    def test_a_parents_dashboard_lists_the_published_modules_of_their_own_groups_plans(self, world):
        first, second = modules_of(world)
        group_assign_module(group=world.tuesday, module=first, due_on=in_days(7))
        group_assign_module(group=world.tuesday, module=second, opens_on=in_days(5))
        group_assign_module(group=world.thursday, module=first, due_on=in_days(3))
        found = parent_plans(user=world.kim)
        plans, locks = found.plans, found.locks
        assert [(plan.group.name, [n.module.slug for n in plan.notices]) for plan in plans] == [
            ("Saturday group", []),
            ("Tuesday evening group", ["first", "second"]),
        ]
        assert locks == {second.pk: in_days(5)}
        second.is_published = False
        second.save()
        plans = parent_plans(user=world.kim).plans
        assert [n.module.slug for n in plans[1].notices] == ["first"]
        page = logged_in(world.kim).get(reverse("courses:dashboard"))
        assert [plan.group.name for plan in page.context["plans"]] == [
            "Saturday group",
            "Tuesday evening group",
        ]

    def test_an_archived_groups_plan_no_longer_shows_or_locks(self, world):
        _, second = modules_of(world)
        group_assign_module(group=world.tuesday, module=second, opens_on=in_days(5))
        group_archive(group=world.tuesday)
        found = parent_plans(user=world.kim)
        plans, locks = found.plans, found.locks
        assert [plan.group.name for plan in plans] == ["Saturday group"]
        assert locks == {}

    def test_a_plan_opening_and_suggested_on_the_same_day_is_fine(self, world):
        first, _ = modules_of(world)
        assignment = group_assign_module(
            group=world.tuesday, module=first, opens_on=in_days(2), due_on=in_days(2)
        )
        assert (assignment.opens_on, assignment.due_on) == (in_days(2), in_days(2))
        changed = group_assign_module(group=world.tuesday, module=first, due_on=in_days(9))
        assert changed.pk == assignment.pk
        assert (changed.opens_on, changed.due_on) == (None, in_days(9))

    def test_a_suggested_date_before_the_opening_is_refused(self, world):
        first, _ = modules_of(world)
        with pytest.raises(ValidationError) as refused:
            group_assign_module(
                group=world.tuesday, module=first, opens_on=in_days(3), due_on=in_days(2)
            )
        assert refused.value.messages == ["The suggested date cannot be before the module opens."]
        assert planned(world.tuesday) == set()

    def test_a_module_of_another_course_is_refused(self, world):
        other_module = world.other_course.modules.get()
        with pytest.raises(ValidationError) as refused:
            group_assign_module(group=world.tuesday, module=other_module)
        assert refused.value.messages == ["That module belongs to a different course."]
        assert planned(world.tuesday) == set()

    def test_an_archived_groups_plan_cannot_change(self, world):
        first, _ = modules_of(world)
        group_assign_module(group=world.tuesday, module=first)
        group_archive(group=world.tuesday)
        with pytest.raises(ValidationError) as refused:
            group_assign_module(group=world.tuesday, module=first, due_on=in_days(3))
        assert refused.value.messages == [ARCHIVED]
        with pytest.raises(ValidationError) as refused:
            group_unassign_module(group=world.tuesday, module=first)
        assert refused.value.messages == [ARCHIVED]
        assert planned(world.tuesday) == {"first"}


class TestWhoReadsASharedReflection:
    def lesson_page(self, user):
        return folded(logged_in(user).get(reverse("courses:lesson", args=["circle", "one"])))

    def test_the_lesson_page_names_the_groups_on_this_course_only(self, world):
        ReflectionFactory(user=world.kim, lesson=world.lesson("one"), shared=True)
        assert "The facilitators of Tuesday evening group can read it." in self.lesson_page(
            world.kim
        )

    def test_a_parent_in_two_groups_is_told_both(self, world):
        ReflectionFactory(user=world.pat, lesson=world.lesson("one"), shared=True)
        assert (
            "The facilitators of Thursday morning group and Tuesday evening group can read it."
            in self.lesson_page(world.pat)
        )

    def test_the_share_button_says_whose_facilitators_will_read_it(self, world):
        ReflectionFactory(user=world.kim, lesson=world.lesson("one"))
        assert "Share with my group's facilitators" in self.lesson_page(world.kim)
        ReflectionFactory(user=world.lee, lesson=world.lesson("one"))
        assert "Share with the facilitators of a group I join" in self.lesson_page(world.lee)

    def test_the_journal_names_each_reflections_own_readers(self, world):
        ReflectionFactory(user=world.kim, lesson=world.lesson("one"), shared=True)
        ReflectionFactory(user=world.kim, lesson=world.lesson("other-one"), shared=True)
        text = folded(logged_in(world.kim).get(reverse("courses:journal")))
        assert "The facilitators of Tuesday evening group can read it." in text
        assert "The facilitators of Saturday group can read it." in text
        assert "Tuesday evening group and Saturday group" not in text

    def test_the_journal_names_two_groups_in_the_order_of_their_names(self, world):
        ReflectionFactory(user=world.pat, lesson=world.lesson("one"), shared=True)
        text = folded(logged_in(world.pat).get(reverse("courses:journal")))
        assert (
            "The facilitators of Thursday morning group and Tuesday evening group can read it."
            in text
        )

    def test_an_archived_group_is_no_longer_named(self, world):
        ReflectionFactory(user=world.pat, lesson=world.lesson("one"), shared=True)
        group_archive(group=world.thursday)
        text = folded(logged_in(world.pat).get(reverse("courses:journal")))
        assert "The facilitators of Tuesday evening group can read it." in text
        assert "Thursday" not in text


class TestKnowledgeChecks:
    def test_a_question_answers_only_on_its_own_lessons_page(self, world):
        [question] = add_questions(world.lesson("two"), 1)
        right = question.choices.get(text="Right")
        pat = logged_in(world.pat)
        on_one = reverse("courses:question-answer", args=["circle", "one", question.pk])
        assert pat.post(on_one, {"choice": right.pk}).status_code == 404
        assert not QuestionAttempt.objects.exists()
        on_two = reverse("courses:question-answer", args=["circle", "two", question.pk])
        assert pat.post(on_two, {"choice": right.pk}).status_code == 302
        assert QuestionAttempt.objects.get().user == world.pat


class TestAParentsOwnWriting:
    def test_two_parents_reflecting_on_one_lesson_each_keep_their_own_words(self, world):
        one, two = world.lesson("one"), world.lesson("two")
        reflection_save(user=world.pat, lesson=one, text="Pat on one.")
        reflection_save(user=world.kim, lesson=one, text="Kim on one.")
        reflection_save(user=world.pat, lesson=two, text="Pat on two.")
        reflection_save(user=world.pat, lesson=one, text="  Pat on one, again.  ")
        assert set(
            Reflection.objects.values_list("user__display_name", "lesson__slug", "text")
        ) == {
            ("Pat", "one", "Pat on one, again."),
            ("Kim", "one", "Kim on one."),
            ("Pat", "two", "Pat on two."),
        }

    def test_sharing_from_a_page_opened_before_an_edit_keeps_the_edit(self, world):
        one = world.lesson("one")
        stale = reflection_save(user=world.pat, lesson=one, text="First words.")
        reflection_save(user=world.pat, lesson=one, text="Better words.")
        reflection_set_shared(reflection=stale, shared=True)
        saved = Reflection.objects.get(user=world.pat)
        assert (saved.text, saved.shared) == ("Better words.", True)

    def test_sharing_what_is_already_shared_changes_nothing(self, world):
        reflection = ReflectionFactory(user=world.pat, lesson=world.lesson("one"), shared=True)
        Reflection.objects.filter(pk=reflection.pk).update(updated_at=timezone.now() - timedelta(1))
        before = Reflection.objects.get(pk=reflection.pk).updated_at
        reflection_set_shared(reflection=Reflection.objects.get(pk=reflection.pk), shared=True)
        assert Reflection.objects.get(pk=reflection.pk).updated_at == before
        reflection_set_shared(reflection=Reflection.objects.get(pk=reflection.pk), shared=False)
        after = Reflection.objects.get(pk=reflection.pk)
        assert not after.shared and after.updated_at > before

    def test_a_form_key_sent_by_another_parent_makes_their_own_note(self, world):
        one = world.lesson("one")
        pats = practice_note_add(
            user=world.pat, lesson=one, key=KEY, noted_on=in_days(-1), tried="Pat tried."
        )
        kims = practice_note_add(
            user=world.kim, lesson=one, key=KEY, noted_on=in_days(-1), tried="Kim tried."
        )
        assert kims.pk != pats.pk and kims.user == world.kim
        assert set(PracticeNote.objects.values_list("user__display_name", "tried")) == {
            ("Pat", "Pat tried."),
            ("Kim", "Kim tried."),
        }

    def test_a_note_changed_without_what_happened_has_it_empty(self, world):
        note = practice_note_add(
            user=world.pat,
            lesson=world.lesson("one"),
            key=KEY,
            noted_on=in_days(-2),
            tried="Tried a thing.",
            happened="It went well.",
        )
        practice_note_update(note=note, noted_on=in_days(-1), tried=" Tried again. ")
        note.refresh_from_db()
        assert (note.noted_on, note.tried, note.happened) == (in_days(-1), "Tried again.", "")
        practice_note_update(
            note=note, noted_on=in_days(-1), tried="Tried again.", happened=" Calmer. "
        )
        note.refresh_from_db()
        assert note.happened == "Calmer."


class TestTheAccessHelpersNeedASignedInPerson:
    """A view that forgot @login_required hears so at once, by the helper's name."""

    @pytest.mark.parametrize(
        "helper, arguments",
        [
            ("get_lesson_for_parent", ("circle", "one")),
            ("get_module_for_parent", ("circle", "first")),
            ("get_question_for_parent", (None, 1)),
            ("get_reflection_for_owner", (1,)),
            ("get_practice_note_for_owner", (1,)),
            ("get_certificate_for_owner", (None,)),
        ],
    )
    def test_a_visitor_is_never_looked_up(self, world, helper, arguments):
        with pytest.raises(ValueError) as refused:
            getattr(access, helper)(AnonymousUser(), *arguments)
        assert str(refused.value) == f"{helper} needs a signed-in user; guard the view."


class TestWhatAParentIsToldWhenTheirWritingNeedsFixing:
    """The messages are the whole help a parent gets, so they are checked word for word."""

    def refused(self, action):
        with pytest.raises(ValidationError) as refused:
            action()
        return refused.value.message_dict

    def test_an_empty_or_overlong_reflection(self, world):
        one = world.lesson("one")
        assert self.refused(lambda: reflection_save(user=world.pat, lesson=one, text=" ")) == {
            "text": ["Please write a few words before saving."]
        }
        assert self.refused(
            lambda: reflection_save(user=world.pat, lesson=one, text="a" * 5001)
        ) == {
            "text": [
                "Please keep it under 5,000 characters (it has 5,001). Your words are still in "
                "the box."
            ]
        }
        assert reflection_save(user=world.pat, lesson=one, text="a" * 5000).text == "a" * 5000
        assert Reflection.objects.count() == 1

    def test_a_practice_note_without_a_date_or_words_or_with_too_many(self, world):
        def add(**values):
            fields = {"noted_on": in_days(-1), "tried": "Tried.", "happened": "", **values}
            return practice_note_add(user=world.pat, lesson=world.lesson("one"), key=KEY, **fields)

        assert self.refused(lambda: add(noted_on=None)) == {"noted_on": ["Please give the date."]}
        assert self.refused(lambda: add(tried="  ")) == {
            "tried": ["Please write a few words about what you tried."]
        }
        assert self.refused(lambda: add(tried="a" * 2001)) == {
            "tried": [
                "Please keep it under 2,000 characters (it has 2,001). Your words are still in "
                "the box."
            ]
        }
        assert self.refused(lambda: add(happened="a" * 2001)) == {
            "happened": ["Please keep it under 2,000 characters."]
        }
        assert not PracticeNote.objects.exists()
        note = add(tried="a" * 2000, happened="b" * 2000)
        assert (len(note.tried), len(note.happened)) == (2000, 2000)


class TestTheHelpersLoadWhatThePageShows:
    """Each helper reads its object with what the page shows of it, in the one query."""

    def test_a_certificate_comes_with_its_course(self, world, django_assert_num_queries):
        made = CertificateFactory(user=world.pat, course=world.course, code="PATS-CODE-AAAA-AAAA")
        for found in (
            access.get_certificate_for_owner(world.pat, world.course),
            access.get_certificate_for_verification("pats code aaaa aaaa"),
        ):
            with django_assert_num_queries(0):
                assert (found, found.course.title) == (made, "The circle")

    def test_a_previewed_lesson_comes_with_its_module_and_course(
        self, world, staff, django_assert_num_queries
    ):
        lesson = access.get_lesson_for_staff(staff, "circle", "hidden")
        with django_assert_num_queries(0):
            assert (lesson.module.title, lesson.module.course.slug) == ("Second module", "circle")
        for outsider in (AnonymousUser(), world.pat, world.facilitator):
            with pytest.raises(Http404) as hidden:
                access.get_lesson_for_staff(outsider, "circle", "one")
            assert str(hidden.value) == "No such lesson."

    def test_a_handouts_module_comes_with_its_course(self, world, django_assert_num_queries):
        with django_assert_num_queries(2):  # the module with its course, the parent's plans
            module = access.get_module_for_parent(world.pat, "circle", "second")
        with django_assert_num_queries(0):
            assert (module.title, module.course.title) == ("Second module", "The circle")

    def test_a_reflection_and_a_note_come_with_their_lesson(self, world, django_assert_num_queries):
        reflection = ReflectionFactory(user=world.pat, lesson=world.lesson("one"))
        note = practice_note_add(
            user=world.pat, lesson=world.lesson("two"), key=KEY, noted_on=in_days(0), tried="T."
        )
        found_reflection = access.get_reflection_for_owner(world.pat, reflection.pk)
        found_note = access.get_practice_note_for_owner(world.pat, note.pk)
        with django_assert_num_queries(0):
            assert found_reflection.lesson.module.title == "First module"
            assert found_note.lesson.module.course.slug == "circle"
        for helper, pk in [
            (access.get_reflection_for_owner, reflection.pk),
            (access.get_practice_note_for_owner, note.pk),
        ]:
            with pytest.raises(Http404):
                helper(world.kim, pk)

    def test_a_members_group_comes_with_its_course(self, world, django_assert_num_queries):
        for found in (
            get_group_for_member(world.pat, world.thursday.pk),
            get_group_for_facilitator(world.facilitator, world.thursday.pk),
        ):
            with django_assert_num_queries(0):
                assert (found, found.course.title) == (world.thursday, "The circle")
