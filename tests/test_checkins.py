"""
A parent's check-ins: the consent screen first, answers saved on the exact version shown,
"not now" remembered, their own before and after, and their answers deleted when they ask.
Skipping never blocks a lesson, and no one else ever sees one parent's answers.
"""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from accounts.personal_data import account_delete
from courses.models import Lesson, LessonProgress
from outcomes.checkins import ParentCheckins, moment_offered, moment_open
from outcomes.models import CheckinDecline, CheckinResponse, Moment
from tests.conftest import logged_in
from tests.factories import AssignmentFactory, CertificateFactory, MembershipFactory
from tests.outcome_factories import all_same, answer, make_checkin

pytestmark = pytest.mark.django_db

FULL = {"c1": "4", "c2": "2", "r1": "3", "r2": "5", "r3": "4"}


@pytest.fixture
def checkin(course):
    return make_checkin(course)


def url(name, moment=None):
    args = ["circle", moment] if moment else ["circle"]
    return reverse(f"outcomes:{name}", args=args)


def complete_course(user, course):
    now = timezone.now()
    for lesson in Lesson.objects.published().filter(module__course=course):
        LessonProgress.objects.create(
            user=user, lesson=lesson, started_at=now, last_seen_at=now, completed_at=now
        )


# When a moment is offered ---------------------------------------------------------------------

NOTHING = ParentCheckins(answered=frozenset(), declined=frozenset(), withdrawn=False)


class FakeCheckin:
    def __init__(self, weeks=8):
        self.follow_up_weeks = weeks
        self.moments = ["start", "end", "follow_up"] if weeks else ["start", "end"]


def offered(state=NOTHING, done=0, total=10, finished_on=None, weeks=8, today=None):
    return moment_offered(
        checkin=FakeCheckin(weeks),
        state=state,
        done=done,
        total=total,
        finished_on=finished_on,
        today=today or datetime.date(2026, 6, 1),
    )


def state(answered=(), declined=(), withdrawn=False):
    return ParentCheckins(frozenset(answered), frozenset(declined), withdrawn)


def test_the_start_is_offered_before_and_at_the_first_lesson_only():
    assert offered(done=0) == Moment.START
    assert offered(done=1) == Moment.START
    assert offered(done=2) is None


def test_the_start_stays_open_after_the_first_lesson_though_no_card_offers_it():
    assert moment_open(
        moment="start",
        checkin=FakeCheckin(),
        state=NOTHING,
        done=5,
        total=10,
        finished_on=None,
        today=datetime.date(2026, 6, 1),
    )


def test_the_end_is_offered_once_every_lesson_is_done():
    assert offered(state=state(answered=["start"]), done=9) is None
    assert offered(state=state(answered=["start"]), done=10) == Moment.END
    assert offered(done=10) == Moment.END  # also to a parent who skipped the start


def test_a_course_without_lessons_is_never_complete():
    assert offered(done=0, total=0) == Moment.START
    assert offered(state=state(answered=["start"]), done=0, total=0) is None


def test_the_follow_up_comes_eight_weeks_after_finishing_to_those_who_took_part():
    finished = datetime.date(2026, 4, 1)
    took_part = state(answered=["start", "end"])
    kwargs = {"done": 10, "finished_on": finished}
    assert offered(took_part, today=finished + datetime.timedelta(days=55), **kwargs) is None
    assert offered(took_part, today=finished + datetime.timedelta(days=56), **kwargs) == "follow_up"
    assert (
        offered(state(declined=["start", "end"]), today=datetime.date(2026, 9, 1), **kwargs) is None
    )
    assert offered(took_part, today=datetime.date(2026, 9, 1), weeks=0, **kwargs) is None


def test_not_now_and_withdrawing_are_remembered():
    assert offered(state=state(declined=["start"])) is None
    assert offered(state=state(withdrawn=True)) is None
    assert offered(state=state(answered=["start"], withdrawn=True), done=10) is None
    assert offered(state=state(answered=["start"], declined=["start"]), done=10) == "end"


def test_an_answered_moment_is_not_open_again():
    assert offered(state=state(answered=["start"])) is None
    assert offered(state=state(answered=["start", "end"]), done=10) is None


# The card on the course page and the dashboard ------------------------------------------------


def test_a_new_parent_sees_a_gentle_card_on_the_course_page_and_dashboard(parent_client, checkin):
    for page in (reverse("courses:course", args=["circle"]), reverse("courses:dashboard")):
        html = parent_client.get(page).content.decode()
        assert "A short check-in, if you like" in html
        assert url("checkin", "start") in html
        assert "Not now" in html


def test_not_now_is_remembered_and_never_blocks_a_lesson(parent_client, parent, checkin):
    response = parent_client.post(
        url("checkin-skip", "start"), {"next": reverse("courses:dashboard")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("courses:dashboard")
    assert CheckinDecline.objects.filter(user=parent, moment="start").exists()
    assert (
        "A short check-in" not in parent_client.get(reverse("courses:dashboard")).content.decode()
    )
    lesson = parent_client.get(reverse("courses:lesson", args=["circle", "one"]))
    assert lesson.status_code == 200
    # Skipping twice is harmless.
    assert parent_client.post(url("checkin-skip", "start")).status_code == 302
    assert CheckinDecline.objects.filter(user=parent).count() == 1


def test_not_now_will_not_send_a_parent_to_another_site(parent_client, checkin):
    response = parent_client.post(url("checkin-skip", "start"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("courses:course", args=["circle"])


def test_an_unpublished_check_in_is_offered_nowhere(parent_client, course):
    make_checkin(course, is_published=False)
    html = parent_client.get(reverse("courses:dashboard")).content.decode()
    assert "Start the check-in" not in html
    assert parent_client.get(url("checkin", "start")).status_code == 404


def test_the_card_offers_the_end_once_the_course_is_done(parent_client, parent, course, checkin):
    answer(parent, checkin, "start", all_same(2))
    complete_course(parent, course)
    html = parent_client.get(reverse("courses:course", args=["circle"])).content.decode()
    assert "Look back on how far you have come" in html
    assert url("checkin", "end") in html


def test_the_card_offers_the_follow_up_weeks_after_finishing(
    parent_client, parent, course, checkin
):
    answer(parent, checkin, "start", all_same(2))
    answer(parent, checkin, "end", all_same(4))
    complete_course(parent, course)
    finished = timezone.localdate() - datetime.timedelta(weeks=8)
    CertificateFactory(user=parent, course=course, completed_on=finished)
    html = parent_client.get(reverse("courses:dashboard")).content.decode()
    assert "A few weeks on" in html
    assert parent_client.get(url("checkin", "follow_up")).status_code == 200


# The consent screen and answering ---------------------------------------------------------------


def test_the_consent_screen_says_what_is_asked_who_sees_what_and_how_to_stop(
    parent_client, checkin
):
    html = parent_client.get(url("checkin", "start")).content.decode()
    assert "5 short statements" in html
    assert "Only you see your answers." in html
    assert "never see your answers with your name" in html
    # The funders' file, said as it is: a line per parent, nothing that points to them.
    assert "has a line for each parent with their scores" in html
    assert "Scores answered by fewer than 5 parents are left out of it." in html
    assert "at least 5 parents" in html
    assert "Skipping never locks a lesson" in html
    assert "delete your answers whenever you like" in html
    assert "not a validated clinical measure" in html
    assert url("checkin-answer", "start") in html


def test_the_consent_screen_names_the_scale_s_ends_in_the_parent_s_language(parent, checkin):
    checkin.set_translation(
        "es",
        {
            "scale": [
                ["Not at all like me", "No se parece nada a mí"],
                ["Very like me", "Se parece mucho a mí"],
            ]
        },
    )
    checkin.save()
    parent.language = "es"
    parent.save(update_fields=["language"])
    html = logged_in(parent).get(url("checkin", "start")).content.decode()
    assert "desde «No se parece nada a mí» hasta «Se parece mucho a mí»" in html
    assert "Not at all like me" not in html and "Very like me" not in html


def test_a_parent_answers_the_start_check_in_on_the_version_shown(parent_client, parent, checkin):
    page = parent_client.get(url("checkin-answer", "start"))
    version = page.context["version"]
    response = parent_client.post(url("checkin-answer", "start"), {**FULL, "version": version.pk})
    assert response.status_code == 302
    saved = CheckinResponse.objects.get(user=parent)
    assert saved.moment == "start" and saved.version == version
    assert saved.answers == {"c1": 4, "c2": 2, "r1": 3, "r2": 5, "r3": 4}


def test_a_double_submit_keeps_the_first_answers(parent_client, parent, checkin):
    version = checkin.versions.get()
    parent_client.post(url("checkin-answer", "start"), {**FULL, "version": version.pk})
    again = parent_client.post(
        url("checkin-answer", "start"), {**FULL, "c1": "1", "version": version.pk}
    )
    assert again.status_code == 302
    assert CheckinResponse.objects.get(user=parent).answers["c1"] == 4


def test_a_missing_answer_is_named_and_the_others_are_kept(parent_client, parent, checkin):
    data = {**FULL, "version": checkin.versions.get().pk}
    del data["r1"]
    data["c2"] = "9"
    response = parent_client.post(url("checkin-answer", "start"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose an answer for statement 2, 3." in html
    assert 'value="4" required checked' in html
    assert not CheckinResponse.objects.exists()


def test_answers_are_kept_on_the_version_shown_even_if_an_admin_changed_it_meanwhile(
    parent_client, parent, checkin
):
    shown = checkin.versions.get()
    statement = checkin.statements.get(key="c1")
    statement.text = "I keep my cool."
    statement.save()
    from outcomes.checkins import checkin_record_version

    newer, created = checkin_record_version(checkin=checkin)
    assert created and newer.number == 2
    parent_client.post(url("checkin-answer", "start"), {**FULL, "version": shown.pk})
    assert CheckinResponse.objects.get(user=parent).version == shown


def test_answering_lifts_an_earlier_not_now(parent_client, parent, checkin):
    parent_client.post(url("checkin-skip", "start"))
    parent_client.post(url("checkin-answer", "start"), {**FULL, "version": 0})
    assert CheckinResponse.objects.filter(user=parent).exists()
    assert not CheckinDecline.objects.filter(user=parent).exists()


def test_the_end_is_not_open_before_the_course_is_done(parent_client, checkin):
    response = parent_client.get(url("checkin", "end"))
    assert response.status_code == 302
    assert response["Location"] == url("my-checkins")


def test_an_unknown_moment_is_not_found(parent_client, checkin):
    assert parent_client.get(url("checkin", "middle")).status_code == 404
    assert parent_client.post(url("checkin-skip", "middle")).status_code == 404


def test_a_check_in_without_follow_up_has_no_follow_up_moment(parent_client, course):
    make_checkin(course, follow_up_weeks=0)
    assert parent_client.get(url("checkin", "follow_up")).status_code == 404


# A parent's own results -------------------------------------------------------------------------


def test_a_parent_sees_their_own_before_and_after_side_by_side(
    parent_client, parent, second_parent, checkin
):
    answer(parent, checkin, "start", {"c1": 2, "c2": 4, "r1": 2, "r2": 2, "r3": 4})
    answer(parent, checkin, "end", {"c1": 4, "c2": 2, "r1": 5, "r2": 5, "r3": 1})
    answer(second_parent, checkin, "start", all_same(5))
    html = parent_client.get(url("my-checkins")).content.decode()
    assert "Then and now, side by side" in html
    # Calm: start (2 + (6 - 4)) / 2 = 2.0, end (4 + (6 - 2)) / 2 = 4.0.
    # Repair: start (2 + 2 + (6 - 4)) / 3 = 2.0, end (5 + 5 + (6 - 1)) / 3 = 5.0.
    assert "<td>2.0</td><td>4.0</td>" in html
    assert "<td>2.0</td><td>5.0</td>" in html
    assert "every small step counts" in html
    other = logged_in(second_parent).get(url("my-checkins")).content.decode()
    assert "Then and now" not in other and "<td>2.0</td>" not in other


def test_a_parent_deletes_their_answers(parent_client, parent, second_parent, checkin):
    answer(parent, checkin, "start", all_same(2))
    answer(second_parent, checkin, "start", all_same(2))
    assert parent_client.get(url("checkin-delete")).status_code == 200
    response = parent_client.post(url("checkin-delete"), {"action": "delete"})
    assert response.status_code == 302
    assert not CheckinResponse.objects.filter(user=parent).exists()
    assert CheckinResponse.objects.filter(user=second_parent).exists()
    # They may start again: the start is offered once more.
    assert "A short check-in" in parent_client.get(reverse("courses:dashboard")).content.decode()


def test_withdrawing_deletes_the_answers_and_stops_asking(parent_client, parent, checkin):
    answer(parent, checkin, "start", all_same(2))
    parent_client.post(url("checkin-delete"), {"action": "withdraw"})
    assert not CheckinResponse.objects.filter(user=parent).exists()
    assert CheckinDecline.objects.filter(user=parent, moment="").exists()
    parent_client.get(reverse("courses:dashboard"))  # shows the "deleted" message once
    html = parent_client.get(reverse("courses:dashboard")).content.decode()
    assert "Start the check-in" not in html


def test_deleting_the_account_deletes_the_answers(parent, checkin):
    answer(parent, checkin, "start", all_same(2))
    account_delete(user=parent)
    assert not CheckinResponse.objects.exists()


def test_my_data_has_the_check_in_answers_with_their_words(parent_client, parent, checkin):
    answer(parent, checkin, "start", {"c1": 4, "c2": 2, "r1": 3, "r2": 5, "r3": 4})
    page = parent_client.get(reverse("accounts:my-data")).content.decode()
    assert "Your check-in answers" in page
    data = parent_client.post(reverse("accounts:my-data-download")).json()
    given = data["check_ins"]["answers"][0]
    assert given["moment"] == "start"
    assert {"statement": "I snap quickly.", "rating": 2, "label": "A little"} in given["answers"]
    assert given["theme_scores"] == {"Calm": 4.0, "Repair": pytest.approx(10 / 3)}


def test_the_card_costs_the_dashboard_and_course_page_no_query(
    parent_client, parent, course, checkin, django_assert_max_num_queries, django_assert_num_queries
):
    # The hardest case of tests/test_assignments.py's budget (a group with a plan, a cold
    # content cache), plus a finished course with its certificate: still within 8.
    group = MembershipFactory(user=parent, group__course=course).group
    for module in course.modules.all():
        AssignmentFactory(group=group, module=module, opens_on=timezone.localdate())
    complete_course(parent, course)
    CertificateFactory(user=parent, course=course)
    for page in (reverse("courses:course", args=["circle"]), reverse("courses:dashboard")):
        caches["content"].clear()
        with django_assert_max_num_queries(8):
            response = parent_client.get(page)
        assert "Look back on how far you have come" in response.content.decode()
    # Warm, each page reads what the benchmark counts (bench/README.md): the card's check-in
    # state comes with the course row, not in a query of its own.
    for page, queries in [
        # The session, the course, the plans, the progress, and the certificate's date (the
        # follow-up check-in counts its weeks from it; the dashboard reads the certificates).
        (reverse("courses:course", args=["circle"]), 5),
        (reverse("courses:dashboard"), 5),
    ]:
        with django_assert_num_queries(queries):
            response = parent_client.get(page)
        assert "Look back on how far you have come" in response.content.decode()


def test_the_course_page_leads_to_my_check_ins_and_to_the_calendar(parent_client, checkin):
    course_page = reverse("courses:course", args=[checkin.course.slug])
    html = parent_client.get(course_page).content.decode()
    assert f'href="{url("my-checkins")}"' in html  # after "Not now", or once it is answered
    assert f'href="{reverse("reminders:preferences")}#calendar"' in html


def test_a_course_without_a_check_in_links_to_none(parent_client, course):
    html = parent_client.get(reverse("courses:course", args=[course.slug])).content.decode()
    assert "My check-ins" not in html
