"""
The outcome figures in the reader's language: a facilitator's or staff member's report, its
chart, the funders' file and a parent's own check-in scores name each theme as the check-in's
translation does, and one without a translation in English marked lang="en-GB".
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from outcomes.models import Attendance, GroupSession
from tests.conftest import logged_in
from tests.factories import ParentGroupFactory
from tests.outcome_factories import all_same, answer, make_checkin
from tests.test_outcome_report import members, pair, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkin(course):
    """The small check-in with its "calm" theme in Spanish; "repair" has no translation."""
    checkin = make_checkin(course)
    checkin.set_translation(
        "es", {"title": "Tu cuestionario", "themes": {"calm": ["Calm", "Calma"]}}
    )
    checkin.save()
    return checkin


@pytest.fixture
def five_pairs(group, parent, checkin):
    Membership.objects.filter(group=group).delete()
    for person in members(group, 5):
        pair(person, checkin, 2, 4)


def speaking(person, language):
    person.language = language
    person.save(update_fields=["language"])
    return logged_in(person)


def test_the_facilitator_s_report_and_chart_name_themes_in_spanish(facilitator, group, five_pairs):
    html = speaking(facilitator, "es").get(reverse("outcomes:report", args=[group.pk]))
    html = html.content.decode()
    assert '<th scope="row">Calma</th>' in html
    assert '<th scope="row" lang="en-GB">Repair</th>' in html
    assert 'class="chart-label">Calma</text>' in html
    assert 'class="chart-label" lang="en-GB">Repair</text>' in html
    assert re.search(r"<desc [^>]*>Calma: \d.\d al principio, \d.\d al final; Repair: ", html)
    assert ">Calm<" not in html


def test_the_facilitator_s_report_in_english_names_themes_in_english_unmarked(
    facilitator, group, five_pairs
):
    html = speaking(facilitator, "en-gb").get(reverse("outcomes:report", args=[group.pk]))
    html = html.content.decode()
    assert '<th scope="row">Calm</th>' in html and '<th scope="row">Repair</th>' in html
    assert 'class="chart-label">Calm</text>' in html
    assert "Calma" not in html and 'lang="en-GB"' not in html.split("<body", 1)[1]


def test_the_course_report_names_themes_in_spanish_per_group_too(staff, course, checkin):
    for name, start in (("North group", 0), ("South group", 10)):
        group = ParentGroupFactory(course=course, name=name)
        people = members(group, 6, start=start)
        for person in people:
            pair(person, checkin, 2, 4)
    session = GroupSession.objects.create(group=group, date=timezone.localdate())
    Attendance.objects.create(session=session, user=people[0])
    response = speaking(staff, "es").get(reverse("outcomes:course-report", args=["circle"]))
    html = response.content.decode()
    assert all(not line.withheld for line in response.context["report"].groups)
    assert "<td>17 %</td>" in html  # South's attendance: 1 of 6, written as Spanish writes it
    assert '<th scope="row">Calma</th>' in html
    assert '<th scope="row" lang="en-GB">Repair</th>' in html
    assert (
        len(re.findall(r"<td>Calma: [+-]?\d.*?; <span lang=\"en-GB\">Repair</span>: ", html)) == 2
    )


def test_the_funders_file_headers_name_themes_in_the_reader_s_language(
    facilitator, group, five_pairs
):
    url = reverse("outcomes:report-csv", args=[group.pk])
    header = read_csv(speaking(facilitator, "es").get(url))[0]
    assert header[0] == "código al azar"
    assert "Calma (al principio)" in header and "Repair (al final)" in header
    header = read_csv(speaking(facilitator, "en-gb").get(url))[0]
    assert "Calm (at the start)" in header and "Repair (at the end)" in header


def test_the_funders_file_s_bands_withheld_cells_and_name_are_in_the_reader_s_language(
    facilitator, group, checkin
):
    """Not "none", "some" and "withheld" in a Spanish file, nor an English file name."""
    from courses.models import Lesson
    from tests.factories import LessonProgressFactory

    Membership.objects.filter(group=group).delete()
    people = members(group, 10)
    lessons = list(Lesson.objects.published().filter(module__course=group.course))
    # Five finished none and five some, each exact count too rare to give: so in bands.
    now = timezone.now()
    for person, done in zip(people[5:], [1, 1, 2, 2, 2], strict=True):
        for lesson in lessons[:done]:
            LessonProgressFactory(
                user=person, lesson=lesson, started_at=now, last_seen_at=now, completed_at=now
            )
    for person in people[:2]:
        answer(person, checkin, "start", all_same(2))  # two scores: withheld
    url = reverse("outcomes:report-csv", args=[group.pk])
    response = speaking(facilitator, "es").get(url)
    assert "-resultados-" in response["Content-Disposition"]
    header, *body = read_csv(response)
    assert sorted(row[2] for row in body) == ["algunas"] * 5 + ["ninguna"] * 5
    assert {row[header.index("Calma (al principio)")] for row in body} == {"no se muestra"}
    response = speaking(facilitator, "en-gb").get(url)
    assert "-outcomes-" in response["Content-Disposition"]
    header, *body = read_csv(response)
    assert sorted(row[2] for row in body) == ["none"] * 5 + ["some"] * 5


def test_a_parent_s_own_scores_name_themes_in_spanish_and_mark_the_english(parent, checkin):
    answer(parent, checkin, "start", all_same(3))
    url = reverse("outcomes:my-checkins", args=["circle"])
    html = speaking(parent, "es").get(url).content.decode()
    assert '<th scope="row">Calma</th>' in html
    assert '<th scope="row" lang="en-GB">Repair</th>' in html
