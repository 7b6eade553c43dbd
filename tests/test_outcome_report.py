"""
The outcome report for a group (its facilitators) and a course (staff): taking part, and the
check-ins' change per theme as group figures only, withheld under 5 parents and never open to
subtraction; and the funders' file, with no name, email or lasting id.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from courses.models import Lesson, LessonProgress
from outcomes.funders import quasi_identifiers
from outcomes.models import Attendance, CheckinResponse, GroupSession
from outcomes.reports import group_outcomes
from tests.conftest import logged_in
from tests.factories import MembershipFactory, ParentGroupFactory, UserFactory
from tests.outcome_factories import all_same, answer, make_checkin

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def checkin(course):
    return make_checkin(course)


def report_url(group):
    return reverse("outcomes:report", args=[group.pk])


def csv_url(group):
    return reverse("outcomes:report-csv", args=[group.pk])


def members(group, count, start=0):
    people = [UserFactory(display_name=f"Parent {start + n}") for n in range(count)]
    for person in people:
        MembershipFactory(group=group, user=person)
    return people


def pair(person, checkin, before, after):
    answer(person, checkin, "start", all_same(before))
    answer(person, checkin, "end", all_same(after))


def calm(report):
    return next(theme for theme in report.checkins.themes if theme.key == "calm")


# The rule: 4 withheld, 5 shown ------------------------------------------------------------------


def test_check_in_figures_are_withheld_for_four_parents_and_shown_for_five(
    facilitator_client, group, parent, checkin
):
    Membership.objects.filter(group=group).delete()
    people = members(group, 4)
    for person in people:
        pair(person, checkin, 2, 4)
    report, _ = group_outcomes(group=group)
    assert report.checkins.pairs == 4 and not report.checkins.shown
    assert all(theme.change is None for theme in report.checkins.themes)
    assert report.checkins.answered == {"start": None, "end": None, "follow_up": None}
    html = facilitator_client.get(report_url(group)).content.decode()
    assert "Too few to show without identifying someone" in html
    assert "<svg" not in html
    assert "fewer than 5" in html

    fifth = members(group, 1, start=4)[0]
    pair(fifth, checkin, 2, 4)
    report, _ = group_outcomes(group=group)
    assert report.checkins.shown and report.checkins.pairs == 5
    assert report.checkins.answered["start"] == 5
    assert calm(report).change.mean_change == 0  # all_same: calm's reversed item cancels out
    html = facilitator_client.get(report_url(group)).content.decode()
    assert "Too few to show" not in html
    assert 'role="img"' in html and '<title id="chart-title">' in html


def test_hand_worked_figures_for_five_parents(facilitator_client, group, parent, checkin):
    Membership.objects.filter(group=group).delete()
    people = members(group, 5)
    # Calm is c1 and c2 (reversed). Start: c1=2, c2=4 -> calm 2.0 for everyone. End: c1 and
    # (6 - c2) give calm 3, 4, 4, 5, 4 -> changes 1, 2, 2, 3, 2: mean 2, SD sqrt(0.5), d_z 2.83.
    ends = [(3, 3), (4, 2), (4, 2), (5, 1), (4, 2)]
    for person, (c1, c2) in zip(people, ends, strict=True):
        answer(person, checkin, "start", {"c1": 2, "c2": 4, "r1": 3, "r2": 3, "r3": 3})
        answer(person, checkin, "end", {"c1": c1, "c2": c2, "r1": 3, "r2": 3, "r3": 3})
    report, _ = group_outcomes(group=group)
    change = calm(report).change
    assert change.pairs == 5
    assert change.before_mean == 2.0 and change.after_mean == 4.0
    assert change.mean_change == 2.0
    assert change.sd_change == pytest.approx(0.5**0.5)
    assert change.effect_size == pytest.approx(2 / 0.5**0.5)
    html = facilitator_client.get(report_url(group)).content.decode()
    flat = "".join(html.split())
    assert '<thscope="row">Calm</th><td>5</td><td>2.00</td><td>4.00</td>' in flat
    assert "<td>+2.00</td><td>0.71</td><td>2.83</td>" in flat
    assert "mean change divided by the standard deviation" in html
    for person in people:
        assert person.display_name not in html and person.email not in html


def test_a_theme_that_only_four_of_five_parents_answered_both_times_is_withheld(group, checkin):
    Membership.objects.filter(group=group).delete()
    people = members(group, 5)
    for person in people[:4]:
        pair(person, checkin, 2, 4)
    # The fifth answered every statement at the start, but at the end only those about repair:
    # five pairs for the check-in and for repair, four for calm.
    answer(people[4], checkin, "start", all_same(2))
    answer(people[4], checkin, "end", {"r1": 4, "r2": 4, "r3": 2})
    report, _ = group_outcomes(group=group)
    assert report.checkins.shown and report.checkins.pairs == 5
    repair = next(theme for theme in report.checkins.themes if theme.key == "repair")
    assert repair.change.pairs == 5
    assert calm(report).change is None


def test_a_parent_who_left_the_group_is_in_no_figure(group, parent, checkin):
    Membership.objects.filter(group=group).delete()
    people = members(group, 5)
    for person in people:
        pair(person, checkin, 2, 4)
    Membership.objects.filter(group=group, user=people[0]).delete()
    report, _ = group_outcomes(group=group)
    assert report.participation.parents == 4
    assert report.checkins.pairs == 4 and not report.checkins.shown


def test_another_group_s_answers_never_count_in_this_group(group, parent, checkin, course):
    Membership.objects.filter(group=group).delete()
    for person in members(group, 5):
        pair(person, checkin, 3, 3)
    other = ParentGroupFactory(course=course)
    for person in members(other, 5, start=10):
        pair(person, checkin, 1, 5)
    LoneParent = UserFactory()  # answered, in no group
    pair(LoneParent, checkin, 1, 5)
    report, _ = group_outcomes(group=group)
    repair = next(theme for theme in report.checkins.themes if theme.key == "repair")
    assert report.checkins.pairs == 5
    assert repair.change.mean_change == 0


def test_a_parent_in_two_groups_counts_in_each_and_once_for_the_course(
    staff_client, group, parent, checkin, course
):
    Membership.objects.filter(group=group).delete()
    both = members(group, 5)
    other = ParentGroupFactory(course=course, name="Thursday group")
    for person in both[:2]:
        MembershipFactory(group=other, user=person)
    members(other, 3, start=10)
    assert group_outcomes(group=other)[0].participation.parents == 5
    response = staff_client.get(reverse("outcomes:course-report", args=["circle"]))
    assert response.context["report"].participation.parents == 8
    assert reverse("outcomes:course-report-csv", args=["circle"]) in response.content.decode()


def test_a_course_of_few_parents_offers_no_funders_file(staff_client, group, parent, checkin):
    html = staff_client.get(reverse("outcomes:course-report", args=["circle"])).content.decode()
    assert reverse("outcomes:course-report-csv", args=["circle"]) not in html
    assert "Fewer than 5 parents so far, so there is no file to download yet." in html


def test_taking_part_figures_are_hand_worked(group, parent, checkin, course):
    Membership.objects.filter(group=group).delete()
    early = members(group, 3)
    late = members(group, 1, start=3)[0]
    Membership.objects.filter(user=late).update(joined_at=timezone.now())
    Membership.objects.filter(user__in=early).update(
        joined_at=timezone.now() - datetime.timedelta(days=30)
    )
    first = GroupSession.objects.create(group=group, date=TODAY - datetime.timedelta(days=14))
    second = GroupSession.objects.create(group=group, date=TODAY)
    GroupSession.objects.create(group=group, date=TODAY - datetime.timedelta(days=7))  # unmarked
    planned = GroupSession.objects.create(group=group, date=TODAY + datetime.timedelta(days=7))
    Attendance.objects.create(session=planned, user=late)  # ticked ahead: not counted yet
    for person in early[:2]:
        Attendance.objects.create(session=first, user=person)
    for person in [early[0], late]:
        Attendance.objects.create(session=second, user=person)
    now = timezone.now()
    lessons = list(Lesson.objects.published().filter(module__course=course))
    for lesson in lessons:  # early[0] finished everything, early[1] started one
        LessonProgress.objects.create(
            user=early[0], lesson=lesson, started_at=now, last_seen_at=now, completed_at=now
        )
    LessonProgress.objects.create(
        user=early[1], lesson=lessons[0], started_at=now, last_seen_at=now
    )
    taking_part = group_outcomes(group=group)[0].participation
    assert (taking_part.parents, taking_part.started, taking_part.finished) == (4, 2, 1)
    assert taking_part.sessions_held == 2
    assert taking_part.attended_any == 3
    # Expected: 3 early members at the first session, all 4 at the second = 7; present 4.
    assert (taking_part.present, taking_part.expected, taking_part.attendance_percent) == (
        4,
        7,
        57,
    )


# The course report, and subtraction -------------------------------------------------------------


def test_a_small_group_beside_the_course_total_hides_the_next_smallest_too(
    staff_client, group, parent, checkin, course
):
    Membership.objects.filter(group=group).delete()
    for person in members(group, 6):
        pair(person, checkin, 2, 4)
    middle = ParentGroupFactory(course=course, name="Middle group")
    for person in members(middle, 8, start=10):
        pair(person, checkin, 2, 3)
    small = ParentGroupFactory(course=course, name="Small group")
    for person in members(small, 3, start=20):
        pair(person, checkin, 1, 5)
    response = staff_client.get(reverse("outcomes:course-report", args=["circle"]))
    report = response.context["report"]
    assert report.checkins.pairs == 17 and report.checkins.shown
    withheld = {line.group.name: line.withheld for line in report.groups}
    # Course minus Middle and Tuesday would give Small's 3 parents: Tuesday (the smaller) goes.
    assert withheld == {"Middle group": False, "Small group": True, "Tuesday evening group": True}
    assert response.content.decode().count("Too few to show without identifying someone") == 2


def test_the_course_report_is_linked_from_the_check_in_admin(staff_client, checkin):
    html = staff_client.get(reverse("admin:outcomes_checkin_change", args=[checkin.pk])).content
    assert reverse("outcomes:course-report", args=["circle"]).encode() in html


def test_saving_the_check_in_in_the_admin_records_a_new_version_when_words_change(
    staff_client, checkin
):
    url = reverse("admin:outcomes_checkin_change", args=[checkin.pk])
    themes = list(checkin.themes.all())
    statements = list(checkin.statements.all())
    data = {
        "course": checkin.course_id,
        "title": checkin.title,
        "about": checkin.about,
        "intro": checkin.intro,
        "scale": '["No", "A little", "Somewhat", "Quite", "Yes"]',
        "follow_up_weeks": 8,
        "is_published": "on",
        "themes-TOTAL_FORMS": len(themes),
        "themes-INITIAL_FORMS": len(themes),
        "statements-TOTAL_FORMS": len(statements),
        "statements-INITIAL_FORMS": len(statements),
    }
    for number, theme in enumerate(themes):
        data |= {
            f"themes-{number}-id": theme.pk,
            f"themes-{number}-checkin": checkin.pk,
            f"themes-{number}-key": theme.key,
            f"themes-{number}-title": theme.title,
            f"themes-{number}-position": theme.position,
        }
    for number, statement in enumerate(statements):
        data |= {
            f"statements-{number}-id": statement.pk,
            f"statements-{number}-checkin": checkin.pk,
            f"statements-{number}-theme": statement.theme_id,
            f"statements-{number}-key": statement.key,
            f"statements-{number}-text": statement.text,
            f"statements-{number}-position": statement.position,
        }
        if statement.reverse:
            data[f"statements-{number}-reverse"] = "on"
    data["statements-0-text"] = "I keep calm most days."
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = checkin.versions.order_by("-number").first()
    assert newest.number == 2
    assert newest.content["scale"][0] == "No"
    assert newest.content["statements"][0]["text"] == "I keep calm most days."
    staff_client.post(url, data)
    assert checkin.versions.count() == 2


def test_the_admin_shows_counts_and_never_an_answer(staff_client, parent, checkin):
    answer(parent, checkin, "start", {"c1": 4, "c2": 2, "r1": 3, "r2": 5, "r3": 1})
    html = staff_client.get(
        reverse("admin:outcomes_checkin_change", args=[checkin.pk])
    ).content.decode()
    assert "1 / 0 / 0" in html
    # As a word: a random CSRF token can hold the letters "Pat" (it once did).
    assert parent.email not in html and not re.search(r"\bPat\b", html)
    from django.contrib import admin

    for model in (CheckinResponse, Attendance, User):
        if model is not User:
            assert model not in admin.site._registry


# The funders' file ------------------------------------------------------------------------------


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_funders_file_has_no_names_emails_or_lasting_ids(
    facilitator_client, group, parent, checkin
):
    people = [parent, *members(group, 4)]
    for number, person in enumerate(people):
        pair(person, checkin, 2, 2 + number % 3)
    response = facilitator_client.get(csv_url(group))
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["export id", "sessions attended", "lessons done (of 3)"]
    assert "Calm (at the start)" in header and "Repair (at the end)" in header
    assert len(body) == 5
    text = str(rows)
    for person in people:
        assert person.email not in text and person.display_name not in text
        assert not re.search(rf"\b{person.pk}\b", " ".join(row[0] for row in body))
    first_ids = {row[0] for row in body}
    assert len(first_ids) == 5
    second_ids = {row[0] for row in read_csv(facilitator_client.get(csv_url(group)))[1:]}
    assert not first_ids & second_ids
    assert sorted(row[header.index("Calm (at the start)")] for row in body) == ["3.00"] * 5


def test_a_score_column_fewer_than_five_parents_answered_is_withheld_on_every_row(
    facilitator_client, group, parent, checkin
):
    """
    The file is made for six parents, but two answered the start check-in: their scores would
    be a figure about two parents, which the report page withholds and the check-in's promise
    rules out. Every row says "withheld" there, so the file does not tell who answered either.
    """
    people = [parent, *members(group, 5)]
    for person in people[:2]:
        answer(person, checkin, "start", all_same(2))
    header, *body = read_csv(facilitator_client.get(csv_url(group)))
    column = header.index("Calm (at the start)")
    assert len(body) == 6
    assert [row[column] for row in body] == ["withheld"] * 6
    for person in people[2:5]:
        answer(person, checkin, "start", all_same(2))
    header, *body = read_csv(facilitator_client.get(csv_url(group)))
    assert sorted(row[column] for row in body) == ["", "3.00", "3.00", "3.00", "3.00", "3.00"]
    assert {row[header.index("Calm (at the end)")] for row in body} == {"withheld"}


def test_there_is_no_funders_file_under_five_parents(facilitator_client, group, parent, checkin):
    members(group, 3)
    report = facilitator_client.get(reverse("outcomes:report", args=[group.pk])).content.decode()
    assert "Download the funders' file" not in report
    assert "Fewer than 5 parents so far, so there is no file to download yet." in report
    response = facilitator_client.get(csv_url(group))
    assert response.status_code == 200
    assert b"Too few parents to share" in response.content
    assert response["Content-Type"].startswith("text/html")
    members(group, 1, start=9)
    assert facilitator_client.get(csv_url(group))["Content-Type"] == "text/csv"
    report = facilitator_client.get(reverse("outcomes:report", args=[group.pk])).content.decode()
    assert csv_url(group) in report and "no file to download yet" not in report


def test_details_are_exact_when_every_combination_is_shared_by_five():
    rows = [(2, 3)] * 5 + [(0, 0)] * 6
    assert quasi_identifiers(rows, lessons_total=3) == [(str(a), str(d)) for a, d in rows]


def test_rare_details_are_banded_and_rare_bands_withheld_with_enough_others():
    # Exact values 1, 2 and 7 sessions are rare. Banded, "1-2"/some is shared by 5 and stays;
    # "6+"/all (one parent) would point at someone, so it is withheld, and with it the smallest
    # other band ("0"/none, 4 parents), so that 5 rows are withheld together.
    rows = [(1, 1)] * 3 + [(2, 2)] * 2 + [(7, 3)] + [(0, 0)] * 4 + [(3, 1)] * 6
    details = quasi_identifiers(rows, lessons_total=3)
    assert details[:5] == [("1-2", "some")] * 5
    assert details[5] == ("withheld", "withheld")
    assert details[6:10] == [("withheld", "withheld")] * 4
    assert details[10:] == [("3-5", "some")] * 6


# The number of queries does not grow -------------------------------------------------------------


def big_group(course, checkin, facilitator, size):
    group = ParentGroupFactory(course=course, facilitators=[facilitator], name=f"Group of {size}")
    users = User.objects.bulk_create(
        User(email=f"big{size}-{n}@example.com", display_name=f"Big {n}") for n in range(size)
    )
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in users)
    version = checkin.versions.get()
    CheckinResponse.objects.bulk_create(
        CheckinResponse(
            user=user, checkin=checkin, version=version, moment=moment, answers=all_same(n % 5 + 1)
        )
        for n, user in enumerate(users)
        for moment in ("start", "end")
    )
    lesson = Lesson.objects.published().filter(module__course=course).first()
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        LessonProgress(user=user, lesson=lesson, started_at=now, last_seen_at=now) for user in users
    )
    for day in range(3):
        session = GroupSession.objects.create(group=group, date=TODAY - datetime.timedelta(day))
        Attendance.objects.bulk_create(
            Attendance(session=session, user=user) for user in users[::2]
        )
    return group


@pytest.mark.parametrize("size", [5, 500])
def test_the_outcome_report_runs_the_same_queries_for_5_and_500_parents(
    course, checkin, facilitator, staff, size, django_assert_max_num_queries
):
    group = big_group(course, checkin, facilitator, size)
    browser = logged_in(facilitator)
    with django_assert_max_num_queries(12):
        response = browser.get(report_url(group))
    assert response.context["report"].checkins.pairs == size
    with django_assert_max_num_queries(12):
        rows = read_csv(browser.get(csv_url(group)))
    assert len(rows) == size + 1
    staff_browser = logged_in(staff)
    with django_assert_max_num_queries(12):
        response = staff_browser.get(reverse("outcomes:course-report", args=["circle"]))
    assert response.context["report"].participation.parents == size
