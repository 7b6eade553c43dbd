"""The reminder rules (reminders/rules.py) as plain functions: each number and each filter."""

import datetime

from reminders import rules
from reminders.rules import Due, ModuleProgress, Person, PlanDate

MONDAY = datetime.date(2030, 3, 4)
DAY = datetime.timedelta(days=1)


def plan(*items):
    return [PlanDate(*item) for item in items]


def person(**fields):
    return Person(user_id=1, send_hour=9, **fields)


def reminders_for(who, *, today=MONDAY, hour=9, the_plan=(), totals=None, courses=None):
    return rules.person_reminders(
        person=who,
        today=today,
        local_hour=hour,
        plan=list(the_plan),
        module_totals=totals if totals is not None else {10: 2, 11: 2},
        courses=courses if courses is not None else {1: {10, 11}},
    )


def test_nothing_goes_out_before_the_persons_hour_and_everything_after():
    assert rules.hour_reached(local_hour=8, send_hour=9) is False
    assert rules.hour_reached(local_hour=9, send_hour=9) is True
    assert rules.hour_reached(local_hour=23, send_hour=9) is True
    who = person(group_ids=frozenset({5}))
    opening = plan((5, 10, MONDAY, None))
    assert reminders_for(who, hour=8, the_plan=opening) == []
    assert [d.kind for d in reminders_for(who, hour=9, the_plan=opening)] == ["module_opens"]


def test_a_module_opening_today_in_one_of_my_groups_is_due():
    the_plan = plan((5, 10, MONDAY, None), (6, 11, MONDAY, None), (5, 11, MONDAY + DAY, None))
    assert rules.modules_opening(today=MONDAY, plan=the_plan, group_ids={5}) == {10: 5}
    assert rules.modules_opening(today=MONDAY, plan=the_plan, group_ids={5, 6}) == {10: 5, 11: 6}
    assert rules.modules_opening(today=MONDAY + DAY, plan=the_plan, group_ids={5}) == {11: 5}
    assert rules.modules_opening(today=MONDAY, plan=the_plan, group_ids=set()) == {}


def test_a_module_without_published_lessons_sends_nothing_when_it_opens():
    who = person(group_ids=frozenset({5}))
    assert reminders_for(who, the_plan=plan((5, 12, MONDAY, None))) == []


def test_the_opening_reminder_names_the_module_and_group_once_per_module():
    who = person(group_ids=frozenset({5}))
    assert reminders_for(who, the_plan=plan((5, 10, MONDAY, None))) == [
        Due("module_opens", "module:10", {"module": 10, "group": 5})
    ]


def test_suggested_soon_is_two_days_ahead_and_only_while_lessons_are_left():
    soon = MONDAY + 2 * DAY
    the_plan = plan((5, 10, None, soon), (5, 11, None, soon + DAY), (6, 11, None, soon))
    found = rules.modules_suggested_soon(
        today=MONDAY, plan=the_plan, group_ids={5}, module_totals={10: 2, 11: 2}, modules={}
    )
    assert found == {10: (5, soon)}
    halfway = {10: ModuleProgress(done=1, started=2)}
    assert rules.modules_suggested_soon(
        today=MONDAY, plan=the_plan, group_ids={5}, module_totals={10: 2}, modules=halfway
    ) == {10: (5, soon)}
    done = {10: ModuleProgress(done=2, started=2)}
    assert (
        rules.modules_suggested_soon(
            today=MONDAY, plan=the_plan, group_ids={5}, module_totals={10: 2}, modules=done
        )
        == {}
    )
    assert rules.modules_suggested_soon(
        today=MONDAY + DAY,
        plan=the_plan,
        group_ids={5},
        module_totals={10: 2, 11: 2},
        modules={},
    ) == {11: (5, soon + DAY)}
    due = reminders_for(person(group_ids=frozenset({5})), the_plan=the_plan)
    assert due == [
        Due("suggested_soon", "module:10", {"module": 10, "group": 5, "due_on": "2030-03-06"})
    ]


def test_a_module_without_published_lessons_sends_nothing_when_its_suggested_day_nears():
    soon = MONDAY + 2 * DAY
    # Module 12 has no published lesson (so no total); module 10 has two, none done.
    the_plan = plan((5, 12, None, soon), (5, 10, None, soon))
    found = rules.modules_suggested_soon(
        today=MONDAY, plan=the_plan, group_ids={5}, module_totals={10: 2}, modules={}
    )
    assert found == {10: (5, soon)}
    due = reminders_for(person(group_ids=frozenset({5})), the_plan=the_plan, totals={10: 2})
    assert [d.occasion for d in due] == ["module:10"]


def test_away_means_ten_whole_days_or_more():
    assert rules.is_away(today=MONDAY, last_seen=MONDAY - 10 * DAY) is True
    assert rules.is_away(today=MONDAY, last_seen=MONDAY - 9 * DAY) is False
    assert rules.is_away(today=MONDAY, last_seen=None) is False
    assert rules.is_away(today=MONDAY, last_seen=MONDAY - 13 * DAY, days=14) is False


def test_in_the_middle_of_a_course_means_started_and_not_finished():
    totals = {10: 2, 11: 2}
    started = {10: ModuleProgress(done=0, started=1)}
    finished = {10: ModuleProgress(done=2, started=2), 11: ModuleProgress(done=2, started=2)}
    nearly = {10: ModuleProgress(done=2, started=2), 11: ModuleProgress(done=1, started=2)}
    middle = rules.course_in_the_middle
    assert middle(course_modules={10, 11}, module_totals=totals, modules=started)
    assert middle(course_modules={10, 11}, module_totals=totals, modules=nearly)
    assert not middle(course_modules={10, 11}, module_totals=totals, modules=finished)
    assert not middle(course_modules={10, 11}, module_totals=totals, modules={})


def test_a_parent_in_two_courses_is_in_the_middle_of_each_by_its_own_lessons():
    totals = {10: 2, 20: 2}
    middle = rules.course_in_the_middle
    # Started course 2 only: course 1 is not begun, whatever course 2 says.
    only_the_other = {20: ModuleProgress(done=0, started=1)}
    assert not middle(course_modules={10}, module_totals=totals, modules=only_the_other)
    # Course 2 finished, course 1 begun: course 1 is in the middle, and course 2 is not.
    both = {10: ModuleProgress(done=1, started=1), 20: ModuleProgress(done=2, started=2)}
    assert middle(course_modules={10}, module_totals=totals, modules=both)
    assert not middle(course_modules={20}, module_totals=totals, modules=both)
    # Their last visit to a course is to that course's lessons only.
    seen = {
        10: ModuleProgress(done=1, started=1, last_seen=MONDAY - 12 * DAY),
        20: ModuleProgress(done=1, started=1, last_seen=MONDAY - DAY),
    }
    assert rules.last_seen_in(course_modules={10}, modules=seen) == MONDAY - 12 * DAY
    assert rules.last_seen_in(course_modules={20}, modules=seen) == MONDAY - DAY
    # No visit to the course yet (or none recorded): no last visit, so not away either.
    assert rules.last_seen_in(course_modules={10}, modules={}) is None
    unseen = {10: ModuleProgress(done=0, started=1)}
    assert rules.last_seen_in(course_modules={10}, modules=unseen) is None
    assert (
        rules.welcome_back_course(
            today=MONDAY, courses={1: {10}}, module_totals=totals, modules=unseen
        )
        is None
    )


def test_welcome_back_after_ten_days_away_in_the_middle_of_a_course():
    away = {10: ModuleProgress(done=1, started=1, last_seen=MONDAY - 10 * DAY)}
    who = person(modules=away)
    assert reminders_for(who) == [Due("welcome_back", "day:2030-03-04", {"course": 1})]
    recent = {10: ModuleProgress(done=1, started=1, last_seen=MONDAY - 9 * DAY)}
    assert reminders_for(person(modules=recent)) == []
    # The latest visit in any module of the course counts.
    two = {**away, 11: ModuleProgress(done=0, started=1, last_seen=MONDAY - 2 * DAY)}
    assert reminders_for(person(modules=two)) == []
    # Away from a course they finished: nothing to come back to.
    done = {
        10: ModuleProgress(done=2, started=2, last_seen=MONDAY - 30 * DAY),
        11: ModuleProgress(done=2, started=2, last_seen=MONDAY - 30 * DAY),
    }
    assert reminders_for(person(modules=done)) == []


def test_welcome_back_course_picks_the_course_they_are_away_from():
    totals = {10: 2, 20: 2}
    modules = {
        10: ModuleProgress(done=1, started=1, last_seen=MONDAY - DAY),
        20: ModuleProgress(done=1, started=1, last_seen=MONDAY - 12 * DAY),
    }
    courses = {1: {10}, 2: {20}}
    found = rules.welcome_back_course(
        today=MONDAY, courses=courses, module_totals=totals, modules=modules
    )
    assert found == 2
    # Course 1 finished long ago (not in the middle): course 2, where they are away, is found.
    modules[10] = ModuleProgress(done=2, started=2, last_seen=MONDAY - 40 * DAY)
    found = rules.welcome_back_course(
        today=MONDAY, courses=courses, module_totals=totals, modules=modules
    )
    assert found == 2


def test_welcome_back_at_most_every_three_weeks_and_three_times_in_all():
    allowed = rules.welcome_back_allowed
    assert allowed(today=MONDAY, previous=())
    assert allowed(today=MONDAY, previous=(MONDAY - 21 * DAY,))
    assert not allowed(today=MONDAY, previous=(MONDAY - 20 * DAY,))
    assert not allowed(today=MONDAY, previous=(MONDAY - 60 * DAY, MONDAY - 20 * DAY))
    assert allowed(today=MONDAY, previous=(MONDAY - 60 * DAY, MONDAY - 30 * DAY))
    three = (MONDAY - 90 * DAY, MONDAY - 60 * DAY, MONDAY - 30 * DAY)
    assert not allowed(today=MONDAY, previous=three)
    away = {10: ModuleProgress(done=1, started=1, last_seen=MONDAY - 10 * DAY)}
    assert reminders_for(person(modules=away, welcome_backs=(MONDAY - 20 * DAY,))) == []


def test_practice_prompt_is_for_lessons_finished_three_days_ago():
    assert rules.practice_day(today=MONDAY) == MONDAY - 3 * DAY
    who = person(practice_lessons=(7, 3))
    assert reminders_for(who) == [
        Due("practice", "lesson:3", {"lesson": 3}),
        Due("practice", "lesson:7", {"lesson": 7}),
    ]


def test_a_kind_turned_off_is_not_sent_and_the_others_are():
    who = person(
        group_ids=frozenset({5}),
        practice_lessons=(3,),
        turned_off=frozenset({"module_opens"}),
    )
    due = reminders_for(who, the_plan=plan((5, 10, MONDAY, None)))
    assert [d.kind for d in due] == ["practice"]
    assert rules.wanted([Due("practice", "x", {})], turned_off=frozenset({"practice"})) == []


def test_the_digest_goes_on_monday_from_the_facilitators_hour():
    assert rules.digest_due(today=MONDAY, local_hour=9, send_hour=9)
    assert not rules.digest_due(today=MONDAY, local_hour=8, send_hour=9)
    assert not rules.digest_due(today=MONDAY + DAY, local_hour=12, send_hour=9)
    assert rules.week_key(MONDAY) == "2030-W10"
    assert rules.week_key(MONDAY + 6 * DAY) == "2030-W10"
    assert rules.week_key(MONDAY + 7 * DAY) == "2030-W11"


def test_one_nudge_per_parent_per_week():
    assert rules.nudge_allowed(today=MONDAY, last_nudged=None)
    assert not rules.nudge_allowed(today=MONDAY, last_nudged=MONDAY - 6 * DAY)
    assert rules.nudge_allowed(today=MONDAY, last_nudged=MONDAY - 7 * DAY)


def test_who_may_need_a_hand():
    needs = rules.needs_a_hand
    joined = MONDAY - 30 * DAY
    assert needs(today=MONDAY, joined_on=joined, last_seen=MONDAY - 14 * DAY, behind_modules=[])
    assert not needs(today=MONDAY, joined_on=joined, last_seen=MONDAY - 13 * DAY, behind_modules=[])
    assert needs(today=MONDAY, joined_on=joined, last_seen=None, behind_modules=[]) == [
        ("away", None)
    ]
    assert not needs(today=MONDAY, joined_on=MONDAY - 13 * DAY, last_seen=None, behind_modules=[])
    # Never came, two weeks to the day after joining; away two weeks to the day, with the day.
    assert needs(today=MONDAY, joined_on=MONDAY - 14 * DAY, last_seen=None, behind_modules=[]) == [
        ("away", None)
    ]
    two_weeks = MONDAY - 14 * DAY
    assert needs(today=MONDAY, joined_on=joined, last_seen=two_weeks, behind_modules=[11]) == [
        ("away", two_weeks),
        ("behind", [11]),
    ]
    assert needs(today=MONDAY, joined_on=joined, last_seen=MONDAY, behind_modules=[10]) == [
        ("behind", [10])
    ]


def test_behind_the_plan_means_past_its_suggested_day_with_lessons_left():
    the_plan = plan((5, 10, None, MONDAY - DAY), (5, 11, None, MONDAY), (5, 12, None, None))
    totals = {10: 2, 11: 2, 12: 2}
    assert rules.modules_behind(today=MONDAY, plan=the_plan, module_totals=totals, modules={}) == [
        10
    ]
    done = {10: ModuleProgress(done=2)}
    assert (
        rules.modules_behind(today=MONDAY, plan=the_plan, module_totals=totals, modules=done) == []
    )
    # A planned module with no published lesson has nothing to be behind on.
    assert (
        rules.modules_behind(today=MONDAY, plan=the_plan, module_totals={11: 2}, modules={}) == []
    )
