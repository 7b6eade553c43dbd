"""
Journey: check-ins and group sessions.

A parent reads the check-in's consent screen, answers the start check-in, sees their answers
(only theirs), and deletes them; another parent says "Not now" and reads a lesson anyway. A
facilitator plans a session, records who came by tapping each parent, and opens the outcome
report and a printable session guide.
"""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.language import friendly_date
from accounts.models import User
from outcomes.models import Attendance, Checkin, CheckinDecline, CheckinResponse
from tests.factories import MembershipFactory, ParentGroupFactory, UserFactory
from tests.outcome_factories import GroupSessionFactory, answer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_parent_answers_the_start_check_in_and_deletes_it(visit, real_course):
    UserFactory(email="sam@example.com", display_name="Sam")
    parent = visit(width=390, height=844)
    page = parent.page
    parent.log_in("sam@example.com")
    parent.goto("/dashboard/")
    assert page.get_by_role("heading", name="A short check-in, if you like").is_visible()
    page.get_by_role("link", name="Start the check-in").click()
    parent.check()

    # The consent screen: what is asked, who sees what, skip or delete at any time.
    assert page.get_by_role("heading", name="Who sees what").is_visible()
    assert page.get_by_text("Only you see your answers.").is_visible()
    assert page.get_by_text("Skipping never locks a lesson.").is_visible()
    assert page.get_by_text(re.compile("not a validated clinical measure")).first.is_visible()
    page.get_by_role("link", name="Start the check-in").click()
    parent.check()

    statements = page.get_by_role("main").get_by_role("group")  # not the footer's theme choice
    for index in range(statements.count()):
        statements.nth(index).get_by_label("Somewhat like me").check()
    page.get_by_role("button", name="Save my answers").click()
    parent.check()
    assert page.get_by_text("Your answers are saved, and only you see them.").is_visible()
    assert page.get_by_role("heading", name="Your answers so far").is_visible()
    response = CheckinResponse.objects.get(user__email="sam@example.com")
    assert response.moment == "start" and len(response.answers) == 9

    page.get_by_role("link", name="Delete my answers…").click()
    parent.check()
    page.get_by_role("button", name="Delete my answers", exact=True).click()
    parent.check()
    assert page.get_by_text("Your check-in answers are deleted.").is_visible()
    assert not CheckinResponse.objects.exists()
    parent.assert_clean()


def test_a_parent_says_not_now_and_reads_a_lesson_anyway(visit, real_course):
    UserFactory(email="kim@example.com", display_name="Kim")
    parent = visit()
    page = parent.page
    parent.log_in("kim@example.com")
    parent.goto("/courses/circle-of-security/")
    page.get_by_role("button", name="Not now").click()
    parent.check()
    assert page.get_by_text(re.compile("No problem. If you change your mind")).is_visible()
    assert page.get_by_role("link", name="Start the check-in").count() == 0
    assert CheckinDecline.objects.filter(moment="start").count() == 1
    page.get_by_role("link", name=re.compile("^Start:")).click()
    parent.check()
    assert page.get_by_role("heading", name="What is the circle?", level=1).is_visible()
    parent.assert_clean()


def test_a_facilitator_records_who_came_and_opens_the_outcome_report(visit, real_course, tmp_path):
    UserFactory(email="fac@example.com", display_name="Alex", role=User.Role.FACILITATOR)
    checkin = Checkin.objects.get()
    group = ParentGroupFactory(
        name="Tuesday evening group",
        course=checkin.course,
        facilitators=[User.objects.get(email="fac@example.com")],
    )
    parents = [UserFactory(display_name=name) for name in ("Ana", "Ben", "Cas", "Dee", "Eli")]
    keys = list(checkin.statements.values_list("key", flat=True))
    for number, person in enumerate(parents):
        MembershipFactory(group=group, user=person)
        answer(person, checkin, "start", dict.fromkeys(keys, 2))
        answer(person, checkin, "end", dict.fromkeys(keys, 3 + number % 2))

    facilitator = visit()
    page = facilitator.page
    facilitator.log_in("fac@example.com")
    page.get_by_role("link", name="My groups").click()
    facilitator.check()
    page.get_by_role("link", name="Tuesday evening group").click()
    facilitator.check()
    page.get_by_role("link", name="Sessions and attendance").click()
    facilitator.check()

    page.get_by_label(re.compile(r"^\s*Date")).fill(timezone.localdate().isoformat())
    page.get_by_label(re.compile(r"^\s*Module covered")).select_option(
        label="Welcome to the circle"
    )
    page.get_by_label(re.compile(r"^\s*Where")).fill("Community centre, room 2")
    page.get_by_role("button", name="Plan the session").click()
    facilitator.check()
    assert page.get_by_text("The session is planned.").is_visible()

    page.get_by_role("link", name="Record who came").click()
    facilitator.check()
    page.get_by_label("Ana").check()
    page.get_by_label("Cas").check()
    page.get_by_role("button", name="Save who came").click()
    facilitator.check()
    assert page.get_by_text("Saved: 2 of 5 parents came.").is_visible()
    assert sorted(a.user.display_name for a in Attendance.objects.all()) == ["Ana", "Cas"]

    # The room moved: the session is changed, and who came stays.
    page.get_by_role("link", name="2 came · change").click()
    page.get_by_role("link", name="Change the day, time, module or place").click()
    facilitator.check()
    page.get_by_label(re.compile(r"^\s*Where")).fill("Community centre, room 5")
    page.get_by_role("button", name="Save the changes").click()
    facilitator.check()
    assert page.get_by_text("The session is changed.").is_visible()
    assert page.get_by_text("Community centre, room 5").is_visible()
    assert Attendance.objects.count() == 2
    page.get_by_role("link", name="Sessions", exact=True).click()

    page.get_by_role("link", name="Session guide").first.click()
    facilitator.check()
    assert page.get_by_role("heading", name="Suggested agenda").is_visible()
    assert page.get_by_role("heading", name="Pause and reflect").is_visible()

    page.get_by_role("link", name="Tuesday evening group").click()
    facilitator.check()
    page.get_by_role("link", name="Outcome report").click()
    facilitator.check()
    assert page.get_by_role("heading", name="Taking part").is_visible()
    chart = page.get_by_role("img", name=re.compile("Mean score per theme"))
    assert chart.is_visible()
    table = page.get_by_role("table", name=re.compile("Change from start to end"))
    assert table.get_by_role("rowheader", name="Confidence").is_visible()
    assert "Ana" not in page.locator("main").inner_text()
    facilitator.assert_clean()

    # On a phone the tables scroll sideways, and stay reachable by keyboard (axe checks).
    phone = visit(width=360, height=740)
    phone.log_in("fac@example.com")
    phone.goto(page.url)
    assert phone.page.get_by_role("img", name=re.compile("Mean score per theme")).is_visible()
    phone.page.locator(".outcome-chart-wrap").screenshot(path=str(tmp_path / "chart.png"))
    phone.assert_clean()


def test_a_parent_sees_when_their_group_meets_next(visit, real_course):
    checkin = Checkin.objects.get()
    group = ParentGroupFactory(name="Thursday morning group", course=checkin.course)
    MembershipFactory(group=group, user=UserFactory(email="dee@example.com", display_name="Dee"))
    day = timezone.localdate() + datetime.timedelta(days=6)
    GroupSessionFactory(group=group, date=day, time=datetime.time(9, 30), place="Room 4")
    parent = visit(width=360, height=740)
    page = parent.page
    parent.log_in("dee@example.com")
    parent.goto("/dashboard/")
    groups = page.get_by_role("region", name="My groups")
    assert groups.get_by_text(
        f"Thursday morning group meets next on {friendly_date(day)} at 09:30."
    ).is_visible()
    assert page.get_by_text("Room 4").count() == 0  # the place is the facilitators'
    parent.assert_clean()
