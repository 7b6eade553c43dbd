"""Assigning modules to a group with dates, what parents see, and modules locked until they open."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.models import Membership
from courses.assignments import friendly_date, parent_plans
from courses.models import (
    Assignment,
    Lesson,
    LessonProgress,
    Module,
    PracticeNote,
    QuestionAttempt,
)
from tests.conftest import logged_in
from tests.factories import (
    AssignmentFactory,
    CourseFactory,
    MembershipFactory,
    ModuleFactory,
    ParentGroupFactory,
    ReflectionFactory,
    add_questions,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("courses:dashboard")


def modules(group):
    return list(Module.objects.filter(course=group.course).order_by("position"))


def plan_url(group):
    return reverse("courses:facilitator-assignments", args=[group.pk])


def plan(facilitator_client, group, lines):
    """Post the group's whole plan: {module: (planned, opens_on, due_on)}; others left blank."""
    data = {}
    for module, (planned, opens_on, due_on) in lines.items():
        if planned:
            data[f"m{module.pk}-planned"] = "on"
        data[f"m{module.pk}-opens_on"] = opens_on
        data[f"m{module.pk}-due_on"] = due_on
    return facilitator_client.post(plan_url(group), data)


def lesson_url(slug):
    return reverse("courses:lesson", args=["circle", slug])


def plan_cards(html):
    """The words of each group-plan card on the dashboard, as a parent reads them."""
    cards = re.findall(r'<article class="group-plan".*?</article>', html, flags=re.DOTALL)
    return [" ".join(unescape(strip_tags(card)).split()) for card in cards]


class TestFacilitatorPlans:
    def test_assign_change_and_remove_with_the_one_form(self, facilitator_client, group):
        first, second = modules(group)
        response = plan(facilitator_client, group, {first: (True, "2030-03-04", "2030-03-08")})
        assert response.status_code == 302
        assignment = Assignment.objects.get(group=group, module=first)
        assert (assignment.opens_on, assignment.due_on) == (date(2030, 3, 4), date(2030, 3, 8))
        plan(facilitator_client, group, {first: (True, "", "2030-03-09"), second: (True, "", "")})
        assignment.refresh_from_db()
        assert (assignment.opens_on, assignment.due_on) == (None, date(2030, 3, 9))
        assert Assignment.objects.filter(group=group, module=second).exists()  # open, planned
        page = facilitator_client.get(plan_url(group)).content.decode()
        assert "suggested by Saturday 9 March 2030" in page
        assert "plan is saved." in page
        plan(facilitator_client, group, {first: (True, "", "2030-03-09")})  # second: unticked
        assert list(Assignment.objects.values_list("module", flat=True)) == [first.pk]

    def test_a_day_puts_a_module_in_the_plan_even_unticked(self, facilitator_client, group):
        first, _ = modules(group)
        plan(facilitator_client, group, {first: (False, "2030-03-04", "")})
        assert Assignment.objects.get(module=first).opens_on == date(2030, 3, 4)

    def test_sending_the_plan_twice_keeps_one_assignment(self, facilitator_client, group):
        first, _ = modules(group)
        for _ in range(2):
            plan(facilitator_client, group, {first: (True, "2030-03-04", "")})
        assert Assignment.objects.filter(group=group, module=first).count() == 1

    def test_due_before_opening_is_refused_and_nothing_is_saved(self, facilitator_client, group):
        first, second = modules(group)
        response = plan(
            facilitator_client,
            group,
            {first: (True, "2030-03-08", "2030-03-04"), second: (True, "2030-04-01", "")},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "cannot be before the module opens" in html
        assert 'value="2030-03-08"' in html and 'value="2030-04-01"' in html  # all they typed
        assert not Assignment.objects.exists()  # all or nothing

    def test_the_summary_at_the_top_names_each_module_to_fix_and_links_to_its_field(
        self, facilitator_client, group
    ):
        first, second = modules(group)
        response = plan(
            facilitator_client,
            group,
            {first: (True, "2030-04-01", ""), second: (True, "2030-03-08", "2030-03-04")},
        )
        html = response.content.decode()
        summary = re.search(
            r'<section class="alert alert-danger" id="plan-problems"(.*?)</section>', html, re.S
        )
        assert summary, "no error summary"
        assert "autofocus" in summary.group(1)  # focus starts on it, not at the top of the page
        links = re.findall(r'<a class="alert-link" href="#([^"]+)">([^<]+)</a>', summary.group(1))
        field = f"id_m{second.pk}-due_on"
        assert links == [(field, "Module 2: The suggested date cannot be before the module opens.")]
        assert f'id="{field}"' in html
        # What was typed is all still there.
        assert 'value="2030-04-01"' in html and 'value="2030-03-08"' in html

    def test_nonsense_date_is_refused(self, facilitator_client, group):
        first, _ = modules(group)
        response = plan(facilitator_client, group, {first: (True, "next week", "")})
        assert response.status_code == 400
        assert "Enter a valid date" in response.content.decode()

    def test_a_year_typed_wrong_is_refused_at_its_field_and_nothing_is_saved(
        self, facilitator_client, group
    ):
        """31/12/9999 is a real date to a browser; one in a plan broke every member's calendar."""
        first, second = modules(group)
        response = plan(
            facilitator_client,
            group,
            {first: (True, "2027-03-04", "9999-12-31"), second: (True, "0001-01-01", "")},
        )
        assert response.status_code == 400
        html = unescape(response.content.decode())
        assert html.count("Please choose a date within five years of today.") >= 2
        assert 'value="9999-12-31"' in html and 'value="0001-01-01"' in html  # kept to fix
        assert not Assignment.objects.exists()

    def test_the_plan_service_refuses_a_day_years_away_whoever_calls_it(self, group):
        from django.core.exceptions import ValidationError

        from courses.assignments import PLAN_DAYS, group_assign_module, plan_day_problem

        first, _ = modules(group)
        today = date(2026, 12, 1)
        assert plan_day_problem(date(2031, 11, 30), today) is None  # five years on: fine
        assert plan_day_problem(date(2021, 12, 2), today) is None  # an old group's plan: fine
        assert plan_day_problem(date(2032, 1, 1), today)
        assert plan_day_problem(date(2021, 11, 1), today)
        # The edge: PLAN_DAYS away is still fine, a day more is not, and says why.
        edge = today + timedelta(days=PLAN_DAYS)
        assert plan_day_problem(edge, today) is None
        assert plan_day_problem(edge + timedelta(days=1), today) == (
            "Please choose a date within five years of today."
        )
        with pytest.raises(ValidationError, match="within five years of today"):
            group_assign_module(group=group, module=first, due_on=date(9999, 12, 31))
        assert not Assignment.objects.exists()

    def test_only_this_courses_modules_are_in_the_form(self, facilitator_client, group):
        elsewhere = ModuleFactory()
        response = facilitator_client.post(
            plan_url(group), {f"m{elsewhere.pk}-opens_on": "2030-01-01"}
        )
        assert response.status_code == 302
        assert not Assignment.objects.filter(module=elsewhere).exists()
        assert f"m{elsewhere.pk}-" not in facilitator_client.get(plan_url(group)).content.decode()

    def test_an_archived_group_keeps_its_plan(self, facilitator_client, group):
        first, _ = modules(group)
        AssignmentFactory(group=group, module=first)
        group.archived_at = timezone.now()
        group.save()
        response = plan(facilitator_client, group, {})
        assert response.status_code == 400
        assert Assignment.objects.filter(module=first).exists()
        assert "archived" in response.content.decode()

    def test_database_keeps_one_assignment_per_module_per_group(self, group):
        first, _ = modules(group)
        Assignment.objects.create(group=group, module=first)
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.create(group=group, module=first)

    def test_database_refuses_opening_after_due(self, group):
        first, _ = modules(group)
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.create(
                group=group, module=first, opens_on=date(2030, 3, 8), due_on=date(2030, 3, 4)
            )


class TestWhatParentsSee:
    def test_dashboard_shows_dates_in_warm_words(self, parent_client, group):
        first, second = modules(group)
        today = timezone.localdate()
        AssignmentFactory(group=group, module=first, due_on=today + timedelta(days=3))
        AssignmentFactory(group=group, module=second, opens_on=today + timedelta(days=5))
        html = parent_client.get(DASHBOARD).content.decode()
        assert f"Module 1: suggested by {friendly_date(today + timedelta(days=3))}" in html
        assert f"Module 2: opens {friendly_date(today + timedelta(days=5))}" in html
        assert "Tuesday evening group" in html

    def test_friendly_dates_read_like_the_issue(self):
        assert friendly_date(date(2025, 3, 3), today=date(2025, 1, 1)) == "Monday 3 March"
        assert friendly_date(date(2026, 3, 6), today=date(2025, 12, 1)) == "Friday 6 March 2026"

    def test_a_passed_suggested_date_is_not_a_failure(self, parent_client, group):
        first, _ = modules(group)
        AssignmentFactory(
            group=group, module=first, due_on=timezone.localdate() - timedelta(days=10)
        )
        html = parent_client.get(DASHBOARD).content.decode().lower()
        assert "suggested by" in html
        words = set(re.findall(r"[a-z]+", re.sub(r"<[^>]+>", " ", html)))  # the visible words
        assert "overdue" not in words and "late" not in words and "alert-danger" not in html

    def test_the_card_names_the_course_and_lists_the_modules_in_the_courses_order(
        self, parent_client, group
    ):
        first, second = modules(group)
        second.position = 0  # moved before the first module after both were made
        second.save()
        for module in (first, second):
            AssignmentFactory(group=group, module=module)
        [card] = plan_cards(parent_client.get(DASHBOARD).content.decode())
        assert card == (
            "Tuesday evening group · The circle "
            "Module 1: open now Second module · 0 of 1 lesson done "
            "Module 2: open now First module · 0 of 2 lessons done"
        )

    def test_a_parent_reading_spanish_reads_the_card_s_titles_in_spanish(self, parent, group):
        first, second = modules(group)
        first.set_translation("es", {"title": "Primer módulo"})
        first.save()
        group.course.set_translation("es", {"title": "El círculo"})
        group.course.save()
        for module in (first, second):
            AssignmentFactory(group=group, module=module)
        parent.language = "es"
        parent.save(update_fields=["language"])
        [card] = plan_cards(logged_in(parent).get(DASHBOARD).content.decode())
        assert card.startswith("Tuesday evening group · El círculo ")
        assert "Primer módulo" in card and "First module" not in card
        assert "Second module" in card  # not translated yet: its English title

    def test_two_groups_of_one_name_keep_the_order_they_were_made_in(self, parent, group):
        # The parent joins the newer one first, so no other order gives the same cards.
        newer = ParentGroupFactory(name=group.name, course=CourseFactory(title="Teen years"))
        Membership.objects.filter(user=parent).delete()
        MembershipFactory(group=newer, user=parent)
        MembershipFactory(group=group, user=parent)
        nothing_planned = (
            "Your facilitator has not planned any modules yet. Every lesson is open to you."
        )
        for _ in range(2):  # and on every visit
            assert plan_cards(logged_in(parent).get(DASHBOARD).content.decode()) == [
                f"Tuesday evening group · The circle {nothing_planned}",
                f"Tuesday evening group · Teen years {nothing_planned}",
            ]

    def test_parents_outside_the_group_see_no_plan(self, group, second_parent):
        AssignmentFactory(group=group, module=modules(group)[0], due_on=date(2030, 1, 1))
        html = logged_in(second_parent).get(DASHBOARD).content.decode()
        assert "Tuesday evening group" not in html


class TestLockedModules:
    def lock_second_module(self, group, days=5):
        _, second = modules(group)
        AssignmentFactory(
            group=group, module=second, opens_on=timezone.localdate() + timedelta(days=days)
        )
        return second

    def test_course_page_shows_the_module_locked_with_its_date(self, parent_client, group):
        self.lock_second_module(group)
        opens = friendly_date(timezone.localdate() + timedelta(days=5))
        html = parent_client.get(reverse("courses:course", args=["circle"])).content.decode()
        assert f"Your group opens this module on {opens}" in html
        assert f"Opens {opens}" in html
        assert lesson_url("three") not in html  # no link into a locked lesson
        assert lesson_url("one") in html  # unassigned modules stay open

    def test_locked_lesson_answers_kindly_and_records_nothing(self, parent_client, parent, group):
        self.lock_second_module(group)
        response = parent_client.get(lesson_url("three"))
        assert response.status_code == 403
        html = response.content.decode()
        assert "This lesson opens on" in html
        assert "There is nothing you need to do before then" in html
        assert "alert-danger" not in html
        assert not LessonProgress.objects.filter(user=parent).exists()

    def test_locked_lesson_cannot_be_marked_done(self, parent_client, parent, group):
        self.lock_second_module(group)
        url = reverse("courses:lesson-complete", args=["circle", "three"])
        response = parent_client.post(url, {"complete": "yes"}, follow=True)
        assert "together with your group" in response.content.decode()
        assert not LessonProgress.objects.filter(user=parent).exists()

    def test_a_locked_lesson_takes_no_writing_and_keeps_a_shared_reflection(
        self, parent_client, parent, group
    ):
        """Written before the plan locked the module: a POST to the lesson cannot change it."""
        second = self.lock_second_module(group)
        lesson = Lesson.objects.get(slug="three")
        shared = ReflectionFactory(user=parent, lesson=lesson, text="Shared words.", shared=True)
        question = add_questions(lesson, 1)[0]
        base = ["circle", "three"]
        posts = [
            (reverse("courses:reflection-save", args=base), {"text": "Overwritten."}),
            (
                reverse("courses:practice-note-add", args=base),
                {"noted_on": timezone.localdate().isoformat(), "tried": "A thing I tried."},
            ),
            (
                reverse("courses:question-answer", args=[*base, question.pk]),
                {"choice": question.choices.first().pk},
            ),
            (reverse("courses:lesson-complete", args=base), {"complete": "yes"}),
        ]
        for url, data in posts:
            response = parent_client.post(url, data)
            assert response.status_code == 403, url
            assert "This lesson opens on" in response.content.decode()
        shared.refresh_from_db()
        assert (shared.text, shared.shared) == ("Shared words.", True)
        assert not PracticeNote.objects.filter(user=parent).exists()
        assert not QuestionAttempt.objects.filter(user=parent).exists()
        assert not LessonProgress.objects.filter(user=parent).exists()
        Assignment.objects.filter(module=second).update(opens_on=timezone.localdate())
        assert parent_client.post(*posts[0]).status_code == 302  # open today: it saves
        shared.refresh_from_db()
        assert shared.text == "Overwritten."

    def test_module_opens_on_its_day(self, parent_client, group):
        second = self.lock_second_module(group)
        Assignment.objects.filter(module=second).update(opens_on=timezone.localdate())
        assert parent_client.get(lesson_url("three")).status_code == 200

    def test_dashboard_does_not_send_a_parent_into_a_locked_lesson(
        self, parent_client, parent, group
    ):
        self.lock_second_module(group)
        for slug in ["one", "two"]:
            parent_client.post(
                reverse("courses:lesson-complete", args=["circle", slug]), {"complete": "yes"}
            )
        response = parent_client.get(DASHBOARD)
        assert response.context["current"].resume is None
        html = response.content.decode()
        assert "You are all caught up" in html
        assert "You finished" not in html

    def test_no_group_means_nothing_locked(self, group, second_parent):
        self.lock_second_module(group)
        assert logged_in(second_parent).get(lesson_url("three")).status_code == 200

    def test_a_second_group_that_has_it_open_wins(self, group, parent, parent_client):
        self.lock_second_module(group)
        other = ParentGroupFactory(course=group.course)
        Membership.objects.create(group=other, user=parent)
        assert parent_client.get(lesson_url("three")).status_code == 200  # not assigned there

    def test_locked_in_every_group_shows_the_earliest_day(self, group, parent):
        second = self.lock_second_module(group, days=9)
        other = ParentGroupFactory(course=group.course)
        Membership.objects.create(group=other, user=parent)
        AssignmentFactory(
            group=other, module=second, opens_on=timezone.localdate() + timedelta(days=4)
        )
        locks = parent_plans(user=parent).locks
        assert locks == {second.pk: timezone.localdate() + timedelta(days=4)}

    def test_archived_groups_lock_nothing(self, group, parent_client):
        self.lock_second_module(group)
        group.archived_at = timezone.now()
        group.save()
        assert parent_client.get(lesson_url("three")).status_code == 200

    def test_a_group_for_another_course_locks_nothing_here(self, group, parent, parent_client):
        other = ParentGroupFactory()
        Membership.objects.create(group=other, user=parent)
        self.lock_second_module(group)
        Membership.objects.filter(group=group).delete()
        assert parent_client.get(lesson_url("three")).status_code == 200

    def test_days_follow_the_site_time_zone(self, group, parent, settings):
        """At 23:30 UTC on 1 March it is already 2 March in Auckland, so a 2 March module opens."""
        settings.TIME_ZONE = "Pacific/Auckland"
        second = self.lock_second_module(group)
        Assignment.objects.filter(module=second).update(opens_on=date(2030, 3, 2))
        late_evening_utc = timezone.datetime(2030, 3, 1, 23, 30, tzinfo=timezone.UTC)
        today_there = timezone.localdate(late_evening_utc)
        assert parent_plans(user=parent, today=today_there).locks == {}
        expected = {second.pk: date(2030, 3, 2)}
        assert parent_plans(user=parent, today=date(2030, 3, 1)).locks == expected


@pytest.mark.parametrize(("groups", "lessons_per_module"), [(1, 1), (3, 10)])
def test_parent_pages_stay_within_budget_in_groups_with_plans(
    groups, lessons_per_module, parent, parent_client, django_assert_max_num_queries
):
    """Groups and plans add a fixed cost: the same budget with more groups and lessons."""
    from tests.test_query_counts import BUDGET, build_course, middle_lesson

    course = build_course(lessons_per_module, parent=parent)
    course_modules = list(course.modules.order_by("position"))
    for _ in range(groups):
        group = ParentGroupFactory(course=course)
        Membership.objects.create(group=group, user=parent)
        for number, module in enumerate(course_modules):
            AssignmentFactory(
                group=group,
                module=module,
                opens_on=timezone.localdate() + timedelta(days=number - 1),
                due_on=timezone.localdate() + timedelta(days=number + 7),
            )
    urls = [
        DASHBOARD,
        reverse("courses:course", args=[course.slug]),
        middle_lesson(course).get_absolute_url(),
    ]
    for url in urls:
        with django_assert_max_num_queries(BUDGET):
            assert parent_client.get(url).status_code in (200, 403)
