"""
Facilitators plan their group's sessions, record who came on one screen, and open each
module's printable session guide with their group's counts.
"""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.language import friendly_date
from courses.models import Lesson, Module
from outcomes.models import Attendance, GroupSession
from tests.conftest import logged_in
from tests.factories import (
    MembershipFactory,
    ParentGroupFactory,
    QuestionAttemptFactory,
    ReflectionFactory,
    UserFactory,
    add_questions,
)
from tests.outcome_factories import AttendanceFactory, GroupSessionFactory, SessionGuideFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def sessions_url(group):
    return reverse("outcomes:sessions", args=[group.pk])


def attendance_url(session):
    return reverse("outcomes:session-attendance", args=[session.group_id, session.pk])


def test_the_group_page_links_to_sessions_and_the_outcome_report(facilitator_client, group):
    html = facilitator_client.get(reverse("accounts:facilitator-group", args=[group.pk])).content
    assert sessions_url(group).encode() in html
    assert reverse("outcomes:report", args=[group.pk]).encode() in html


def test_the_place_field_says_who_sees_it(facilitator_client, group):
    html = " ".join(facilitator_client.get(sessions_url(group)).content.decode().split())
    assert "Only facilitators and staff see this, not parents." in html
    assert "The parents in the group see the day and time of the next session" in html
    assert "get an email the day before unless they turned it off" in html


def test_a_facilitator_plans_a_session_once_however_often_the_form_is_sent(
    facilitator_client, group
):
    module = Module.objects.get(slug="first")
    data = {
        "key": str(uuid.uuid4()),
        "date": "2026-03-10",
        "time": "19:30",
        "module": module.pk,
        "place": "  Room 2,   the library  ",
    }
    assert facilitator_client.post(sessions_url(group), data).status_code == 302
    assert facilitator_client.post(sessions_url(group), data).status_code == 302
    session = GroupSession.objects.get(group=group)
    assert session.module == module and session.place == "Room 2, the library"
    assert session.time == datetime.time(19, 30)
    html = facilitator_client.get(sessions_url(group)).content.decode()
    assert "Tuesday 10 March 2026" in html and "Record who came" in html


def speaking_spanish(person):
    person.language = "es"
    person.save(update_fields=["language"])
    return logged_in(person)


def test_in_spanish_the_module_choices_are_named_in_spanish(facilitator, group):
    first = Module.objects.get(slug="first")
    first.set_translation("es", {"title": "Primer módulo"})
    first.save()
    second = Module.objects.get(slug="second")
    html = speaking_spanish(facilitator).get(sessions_url(group)).content.decode()
    assert f'<option value="{first.pk}">Primer módulo</option>' in html
    # No translation yet: the English, as plain text (an <option> cannot carry lang).
    assert f'<option value="{second.pk}">Second module</option>' in html
    assert "First module" not in html


def test_in_spanish_session_days_read_as_the_rest_of_the_site_writes_them(facilitator, group):
    session = GroupSessionFactory(group=group, date=datetime.date(2026, 12, 8))
    browser = speaking_spanish(facilitator)
    assert "martes 8 de diciembre de 2026" in browser.get(sessions_url(group)).content.decode()
    page = browser.get(attendance_url(session)).content.decode()
    assert "Sesión del martes 8 de diciembre de 2026" in page
    assert 'aria-current="page">8 de diciembre de 2026</li>' in page


def test_a_module_of_another_course_or_a_bad_date_is_refused_with_a_message(
    facilitator_client, group
):
    other = Module.objects.create(course=ParentGroupFactory().course, slug="x", title="X")
    response = facilitator_client.post(
        sessions_url(group), {"key": str(uuid.uuid4()), "date": "2026-03-10", "module": other.pk}
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    response = facilitator_client.post(
        sessions_url(group), {"key": str(uuid.uuid4()), "date": "not a day", "place": "Hall"}
    )
    assert response.status_code == 400
    assert b'value="Hall"' in response.content
    assert not GroupSession.objects.exists()


def test_an_archived_group_plans_no_sessions(facilitator_client, group):
    group.archived_at = timezone.now()
    group.save()
    facilitator_client.post(sessions_url(group), {"key": str(uuid.uuid4()), "date": "2026-03-10"})
    assert not GroupSession.objects.exists()


def test_attendance_is_recorded_in_one_post_and_again_changes_nothing(
    facilitator_client, group, parent, second_parent
):
    MembershipFactory(group=group, user=second_parent)
    outsider = UserFactory()
    session = GroupSessionFactory(group=group, date=YESTERDAY)
    page = facilitator_client.get(attendance_url(session)).content.decode()
    assert "Tap each parent who came" in page and "Pat" in page and "Kim" in page
    data = {"present": [parent.pk, outsider.pk]}
    assert facilitator_client.post(attendance_url(session), data).status_code == 302
    assert facilitator_client.post(attendance_url(session), data).status_code == 302
    assert list(Attendance.objects.values_list("user_id", flat=True)) == [parent.pk]
    facilitator_client.post(attendance_url(session), {"present": [second_parent.pk]})
    assert list(Attendance.objects.values_list("user_id", flat=True)) == [second_parent.pk]
    facilitator_client.post(attendance_url(session), {})
    assert not Attendance.objects.exists()


def test_attendance_cannot_be_recorded_before_the_day(facilitator_client, group, parent):
    session = GroupSessionFactory(group=group, date=timezone.localdate() + datetime.timedelta(1))
    page = facilitator_client.get(attendance_url(session)).content.decode()
    assert "on the day of the session or after" in page
    facilitator_client.post(attendance_url(session), {"present": [parent.pk]})
    assert not Attendance.objects.exists()


def test_a_bad_attendance_value_is_a_clear_error(facilitator_client, group):
    session = GroupSessionFactory(group=group)
    response = facilitator_client.post(attendance_url(session), {"present": ["x"]})
    assert response.status_code == 400


def test_another_group_s_session_is_not_found(facilitator_client, group, facilitator):
    other = ParentGroupFactory(course=group.course, facilitators=[facilitator])
    session = GroupSessionFactory(group=other)
    url = reverse("outcomes:session-attendance", args=[group.pk, session.pk])
    assert facilitator_client.get(url).status_code == 404
    delete = reverse("outcomes:session-delete", args=[group.pk, session.pk])
    assert facilitator_client.post(delete).status_code == 404
    assert GroupSession.objects.filter(pk=session.pk).exists()


def test_removing_a_session_removes_who_came(facilitator_client, group, parent):
    session = GroupSessionFactory(group=group)
    AttendanceFactory(session=session, user=parent)
    url = reverse("outcomes:session-delete", args=[group.pk, session.pk])
    assert facilitator_client.get(url).status_code == 405
    assert facilitator_client.post(url).status_code == 302
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("language", ["en-gb", "es"])
def test_the_sessions_page_stays_within_a_few_queries(
    facilitator, group, language, django_assert_max_num_queries
):
    for day in range(20):
        session = GroupSessionFactory(group=group, date=YESTERDAY - datetime.timedelta(day))
        for _ in range(3):
            AttendanceFactory(session=session, user=MembershipFactory(group=group).user)
    # In Spanish the module choices are named by their translated titles: no query more.
    for module in Module.objects.filter(course=group.course):
        module.set_translation("es", {"title": f"Módulo {module.slug}"})
        module.save()
    facilitator.language = language
    facilitator.save(update_fields=["language"])
    browser = logged_in(facilitator)
    with django_assert_max_num_queries(9):
        assert browser.get(sessions_url(group)).status_code == 200


# Session guides -------------------------------------------------------------------------------


@pytest.fixture
def guide(course):
    return SessionGuideFactory(module=Module.objects.get(course=course, slug="first"))


def guide_url(group, module):
    return reverse("outcomes:session-guide", args=[group.pk, module.pk])


def test_a_guide_shows_the_agenda_questions_pause_and_the_group_s_counts_only(
    facilitator_client, group, guide, parent, second_parent
):
    MembershipFactory(group=group, user=second_parent)
    lesson = Lesson.objects.get(slug="one")
    easy, hard = add_questions(lesson, 2)
    for person in (parent, second_parent):
        QuestionAttemptFactory(user=person, choice=hard.choices.get(text="Wrong"))
        QuestionAttemptFactory(user=person, choice=easy.choices.get(text="Right"))
    QuestionAttemptFactory(user=parent, choice=easy.choices.get(text="Wrong"))  # a later try
    hard.text = "Which one is the hard one?"
    hard.save()
    ReflectionFactory(user=parent, lesson=lesson, shared=True, text="Shared words here")
    ReflectionFactory(user=second_parent, lesson=lesson, text="Private words here")
    ReflectionFactory(user=UserFactory(), lesson=lesson, shared=True)  # not in the group
    html = facilitator_client.get(guide_url(group, guide.module)).content.decode()
    assert "Say hello" in html and "What helped?" in html and "Breathe for a minute." in html
    assert "Which one is the hard one?" in html and "(2 parents)" in html
    assert "1 reflection on this module" in html
    assert "Shared words here" not in html and "Private words here" not in html
    assert 'class="d-print-none"' in html


def test_a_module_without_a_guide_or_of_another_course_is_not_found(
    facilitator_client, group, guide
):
    assert (
        facilitator_client.get(guide_url(group, Module.objects.get(slug="second"))).status_code
        == 404
    )
    other = Module.objects.create(course=ParentGroupFactory().course, slug="x", title="X")
    SessionGuideFactory(module=other)
    assert facilitator_client.get(guide_url(group, other)).status_code == 404


def test_another_facilitator_cannot_open_the_guide_for_this_group(group, guide, second_facilitator):
    response = logged_in(second_facilitator).get(guide_url(group, guide.module))
    assert response.status_code == 404


class TestChangingASession:
    def edit_url(self, session):
        return reverse("outcomes:session-edit", args=[session.group_id, session.pk])

    def test_the_session_page_leads_to_a_form_that_keeps_who_came(
        self, facilitator_client, group, parent
    ):
        session = GroupSessionFactory(group=group, date=YESTERDAY, place="Room 3")
        AttendanceFactory(session=session, user=parent)
        page = facilitator_client.get(attendance_url(session)).content.decode()
        assert f'href="{self.edit_url(session)}"' in page
        assert "Change the day, time, module or place" in page
        form = facilitator_client.get(self.edit_url(session)).content.decode()
        assert 'value="Room 3"' in form
        module = Module.objects.get(slug="second")
        response = facilitator_client.post(
            self.edit_url(session),
            {"date": YESTERDAY.isoformat(), "time": "19:30", "module": module.pk, "place": "Hall"},
            follow=True,
        )
        assert "The session is changed." in response.content.decode()
        session.refresh_from_db()
        assert (session.time, session.module, session.place) == (
            datetime.time(19, 30),
            module,
            "Hall",
        )
        assert list(Attendance.objects.values_list("user_id", flat=True)) == [parent.pk]

    def test_a_session_with_who_came_cannot_move_to_a_day_to_come(
        self, facilitator_client, group, parent
    ):
        session = GroupSessionFactory(group=group, date=YESTERDAY, place="Room 3")
        AttendanceFactory(session=session, user=parent)
        later = timezone.localdate() + datetime.timedelta(days=7)
        response = facilitator_client.post(
            self.edit_url(session), {"date": later.isoformat(), "place": "Hall"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "cannot move to a day still to come" in html
        assert 'value="Hall"' in html  # what was typed is still there
        session.refresh_from_db()
        assert (session.date, session.place) == (YESTERDAY, "Room 3")

    def test_mistakes_are_refused_with_a_message_and_nothing_changes(
        self, facilitator_client, group
    ):
        session = GroupSessionFactory(group=group, date=YESTERDAY, place="Room 3")
        other = Module.objects.create(course=ParentGroupFactory().course, slug="x", title="X")
        for data in ({"date": YESTERDAY.isoformat(), "module": other.pk}, {"date": "no day"}):
            response = facilitator_client.post(self.edit_url(session), data)
            assert response.status_code == 400
        session.refresh_from_db()
        assert (session.date, session.place) == (YESTERDAY, "Room 3")
        group.archived_at = timezone.now()
        group.save()
        response = facilitator_client.post(
            self.edit_url(session), {"date": YESTERDAY.isoformat(), "place": "Hall"}
        )
        assert "This group is archived" in response.content.decode()
        session.refresh_from_db()
        assert session.place == "Room 3"

    def test_another_groups_session_is_not_found(self, facilitator_client, group):
        elsewhere = GroupSessionFactory(group=ParentGroupFactory(course=group.course))
        wrong_pair = reverse("outcomes:session-edit", args=[group.pk, elsewhere.pk])
        assert facilitator_client.get(wrong_pair).status_code == 404
        assert facilitator_client.get(self.edit_url(elsewhere)).status_code == 404


# What parents see of their group's sessions --------------------------------------------------


def dashboard_text(client):
    html = client.get(reverse("courses:dashboard")).content.decode()
    return " ".join(html.split())


def test_a_parent_sees_when_their_group_meets_next_but_not_where(parent_client, group):
    today = timezone.localdate()
    GroupSessionFactory(group=group, date=YESTERDAY, place="Room 1")
    GroupSessionFactory(
        group=group, date=today + datetime.timedelta(days=9), time=datetime.time(18, 30)
    )
    soonest = today + datetime.timedelta(days=2)
    GroupSessionFactory(group=group, date=soonest, time=datetime.time(10, 0), place="Room 7")
    text = dashboard_text(parent_client)
    assert (
        f"<strong>Tuesday evening group</strong> meets next on {friendly_date(soonest)} at 10:00."
        in text
    )
    assert "18:30" not in text and "Room" not in text


def test_a_session_with_no_time_gives_the_day_alone(parent_client, group):
    GroupSessionFactory(group=group, date=timezone.localdate())
    text = dashboard_text(parent_client)
    day = friendly_date(timezone.localdate())
    assert f"<strong>Tuesday evening group</strong> meets next on {day}." in text


def test_no_meeting_line_without_a_session_to_come(parent_client, group):
    GroupSessionFactory(group=group, date=YESTERDAY)
    assert "meets next" not in dashboard_text(parent_client)


def test_a_parent_sees_only_their_own_groups_meetings(parent_client, group, course, facilitator):
    other = ParentGroupFactory(name="Other group", course=course, facilitators=[facilitator])
    MembershipFactory(group=other, user=UserFactory())
    GroupSessionFactory(group=other, date=timezone.localdate() + datetime.timedelta(days=1))
    text = dashboard_text(parent_client)
    assert "Other group" not in text and "meets next" not in text
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    GroupSessionFactory(group=group, date=timezone.localdate() + datetime.timedelta(days=1))
    assert "meets next" not in dashboard_text(parent_client)  # an archived group shows nothing


def test_the_next_meeting_in_spanish(parent, group):
    day = timezone.localdate() + datetime.timedelta(days=3)
    GroupSessionFactory(group=group, date=day, time=datetime.time(18, 30))
    text = dashboard_text(speaking_spanish(parent))
    with translation.override("es"):
        assert f"<strong>Tuesday evening group</strong> se reúne el {friendly_date(day)}" in text
