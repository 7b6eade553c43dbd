"""The Reminders page, one-click unsubscribe, the calendar feed, announcements and nudges."""

import datetime
import json
import uuid
from datetime import UTC

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from courses.models import Lesson, LessonProgress
from reminders.models import (
    Announcement,
    CalendarFeed,
    DigestOptOut,
    Kind,
    Message,
    ReminderPreference,
)
from reminders.tokens import SALT, unsubscribe_token
from tests.conftest import logged_in
from tests.factories import (
    AssignmentFactory,
    LessonProgressFactory,
    MembershipFactory,
    ParentGroupFactory,
    UserFactory,
)
from tests.outcome_factories import GroupSessionFactory

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("reminders:preferences")


def unsubscribe_url(user, kind, group=None):
    token = unsubscribe_token(user_id=user.pk, kind=kind, group_id=group.pk if group else None)
    return reverse("reminders:unsubscribe", args=[token])


class TestPreferencesPage:
    def test_the_menu_links_to_it(self, parent_client):
        page = parent_client.get(reverse("courses:dashboard")).content.decode()
        assert f'href="{PREFERENCES}"' in page

    @time_machine.travel(datetime.datetime(2026, 3, 2, 18, 5, tzinfo=datetime.UTC), tick=False)
    def test_everything_is_on_at_the_usual_hour_until_changed(self, parent_client):
        response = parent_client.get(PREFERENCES)
        assert response.status_code == 200
        form = response.context["form"]
        assert all(form[kind].value() for kind in response.context["kinds"])
        assert "digest_groups" not in form.fields
        html = response.content.decode()
        assert "They are all on to begin with: untick any you would rather not get." in html
        # Which time zone, shown by its time now rather than left to guess (London, in March).
        assert "In the site&#x27;s time zone, where it is 18:05 now." in html
        # The hour is for reminders; what a facilitator sends comes when it is sent.
        assert "Announcements and kind words from your facilitator come when they are sent." in html

    def test_a_parent_turns_one_kind_off_and_picks_an_hour(self, parent, parent_client):
        data = {
            "module_opens": "on",
            "suggested_soon": "on",
            "welcome_back": "on",
            "announcement": "on",
            "nudge": "on",
            "hour": "20",
        }  # practice left out
        response = parent_client.post(PREFERENCES, data)
        assert response.status_code == 302
        preference = ReminderPreference.objects.get(user=parent)
        assert preference.practice is False and preference.module_opens is True
        assert preference.hour == 20
        assert preference.send_hour == 20

    def test_a_made_up_hour_is_refused_and_nothing_changes(self, parent, parent_client):
        response = parent_client.post(PREFERENCES, {"hour": "25", "module_opens": "on"})
        assert response.status_code == 400
        assert "hour" in response.context["form"].errors
        assert not ReminderPreference.objects.filter(user=parent).exists()

    def test_a_facilitator_turns_the_digest_off_for_one_group(
        self, facilitator, facilitator_client, course
    ):
        one = ParentGroupFactory(course=course, name="Monday group", facilitators=[facilitator])
        two = ParentGroupFactory(course=course, name="Friday group", facilitators=[facilitator])
        response = facilitator_client.get(PREFERENCES)
        assert set(response.context["form"]["digest_groups"].value()) == {
            str(one.pk),
            str(two.pk),
        }
        facilitator_client.post(PREFERENCES, {"digest_groups": [str(two.pk)]})
        assert list(DigestOptOut.objects.values_list("group_id", flat=True)) == [one.pk]
        facilitator_client.post(PREFERENCES, {"digest_groups": [str(one.pk), str(two.pk)]})
        assert not DigestOptOut.objects.exists()


class TestUnsubscribe:
    def test_opening_the_link_only_asks(self, client, parent):
        response = client.get(unsubscribe_url(parent, Kind.PRACTICE))
        assert response.status_code == 200
        assert b"Yes, stop these emails" in response.content
        assert not ReminderPreference.objects.filter(user=parent).exists()

    def test_one_click_post_without_login_or_csrf_turns_that_kind_off(self, parent):
        browser = Client(enforce_csrf_checks=True)
        response = browser.post(
            unsubscribe_url(parent, Kind.PRACTICE), {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 200
        preference = ReminderPreference.objects.get(user=parent)
        assert preference.practice is False
        assert preference.module_opens is True

    def test_a_tampered_token_is_refused(self, client, parent, second_parent):
        good = unsubscribe_token(user_id=parent.pk, kind=Kind.PRACTICE)
        payload, stamp, signature = good.split(":")
        theirs = unsubscribe_token(user_id=second_parent.pk, kind=Kind.PRACTICE)
        swapped = ":".join([theirs.split(":")[0], stamp, signature])  # someone else, my signature
        flipped = good[:-1] + ("A" if good[-1] != "A" else "B")
        foreign_key = signing.dumps(
            {"u": second_parent.pk, "k": "practice"}, salt=SALT, key="not-our-secret"
        )
        for token in [flipped, swapped, foreign_key, "not-a-token", good.upper()]:
            url = reverse("reminders:unsubscribe", args=[token])
            assert client.get(url).status_code == 404, token
            assert client.post(url).status_code == 404, token
        assert not ReminderPreference.objects.exists()

    def test_a_digest_link_turns_off_that_groups_digest_only(self, client, facilitator, group):
        client.post(unsubscribe_url(facilitator, Kind.DIGEST, group))
        assert list(DigestOptOut.objects.values_list("user_id", "group_id")) == [
            (facilitator.pk, group.pk)
        ]

    def test_a_digest_link_for_someone_elses_group_is_refused(
        self, client, second_facilitator, group
    ):
        assert (
            client.post(unsubscribe_url(second_facilitator, Kind.DIGEST, group)).status_code == 404
        )


def calendar_address_make(client, group):
    """Press "Make my calendar address" on the Reminders page."""
    response = client.post(reverse("reminders:calendar-renew", args=[group.pk]))
    assert response.status_code == 302
    return response


class TestCalendar:
    def test_opening_the_page_makes_no_address_until_asked(self, parent, parent_client, group):
        page = parent_client.get(PREFERENCES)
        assert page.context["feeds"] == [(group, None)]
        assert not CalendarFeed.objects.exists()  # a GET writes nothing
        html = page.content.decode()
        assert f"Make my calendar address for {group.name}" in html
        assert ".ics" not in html  # no calendar address on the page
        response = calendar_address_make(parent_client, group)
        page = parent_client.get(response["Location"])
        assert f"Here is your calendar address for {group.name}." in page.content.decode()
        feed = CalendarFeed.objects.get(user=parent, group=group)
        assert page.context["feeds"] == [
            (group, f"http://testserver{reverse('reminders:calendar', args=[feed.token])}")
        ]
        html = page.content.decode()
        assert f"Make a new address for {group.name}" in html
        # On a phone, copying a long address by hand is hard: a button copies it.
        address_id = f"calendar-address-{group.pk}"
        assert f'<code class="join-link" id="{address_id}">' in html
        assert f'data-copy-target="{address_id}"' in html
        assert f"Copy the address for {group.name}" in html
        assert "js/copy-link" in html

    def test_a_double_tap_leaves_one_address(self, parent, parent_client, group):
        calendar_address_make(parent_client, group)
        calendar_address_make(parent_client, group)
        assert CalendarFeed.objects.filter(user=parent, group=group).count() == 1

    def test_the_feed_lists_the_groups_planned_days(self, parent, parent_client, group, course):
        first, second = course.modules.order_by("position")
        AssignmentFactory(group=group, module=first, opens_on=datetime.date(2030, 3, 4))
        AssignmentFactory(
            group=group,
            module=second,
            opens_on=datetime.date(2030, 3, 11),
            due_on=datetime.date(2030, 3, 18),
        )
        calendar_address_make(parent_client, group)
        page = parent_client.get(PREFERENCES)
        ((feed_group, url),) = page.context["feeds"]
        assert feed_group == group
        response = Client().get(url)  # a calendar app: no login
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        events = sorted(
            (event.decoded("dtstart"), str(event["summary"])) for event in calendar.walk("VEVENT")
        )
        assert events == [
            (datetime.date(2030, 3, 4), "Module 1 opens: First module"),
            (datetime.date(2030, 3, 11), "Module 2 opens: Second module"),
            (datetime.date(2030, 3, 18), "Module 2 suggested by today: Second module"),
        ]
        uids = [str(event["uid"]) for event in calendar.walk("VEVENT")]
        assert len(set(uids)) == 3

    def test_the_feed_has_the_group_s_sessions_but_not_where_they_are(
        self, parent, parent_client, group
    ):
        timed = GroupSessionFactory(
            group=group, date=datetime.date(2030, 3, 5), time=datetime.time(18, 30), place="Hall"
        )
        GroupSessionFactory(group=group, date=datetime.date(2030, 3, 12), place="Hall")
        calendar_address_make(parent_client, group)
        ((_, url),) = parent_client.get(PREFERENCES).context["feeds"]
        response = Client().get(url)
        events = list(Calendar.from_ical(response.content).walk("VEVENT"))
        assert [str(event["summary"]) for event in events] == [
            "Group session: Tuesday evening group"
        ] * 2
        # 18:30 in London in March is 18:30 UTC; a session with no time is the whole day.
        assert events[0].decoded("dtstart") == datetime.datetime(2030, 3, 5, 18, 30, tzinfo=UTC)
        assert events[1].decoded("dtstart") == datetime.date(2030, 3, 12)
        assert str(events[0]["uid"]).startswith(f"session-{timed.pk}@")
        assert b"Hall" not in response.content
        # Another group's sessions stay out of this feed.
        GroupSessionFactory(group=ParentGroupFactory(course=group.course), date=timed.date)
        assert len(Calendar.from_ical(Client().get(url).content).walk("VEVENT")) == 2

    def test_the_feed_shows_the_last_day_there_is_rather_than_fail(
        self, parent_client, group, course
    ):
        """A plan saved before days were checked (courses.assignments.PLAN_YEARS) still serves."""
        first = course.modules.order_by("position").first()
        AssignmentFactory(group=group, module=first, due_on=datetime.date.max)
        calendar_address_make(parent_client, group)
        ((_, url),) = parent_client.get(PREFERENCES).context["feeds"]
        response = Client().get(url)
        assert response.status_code == 200
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert event.decoded("dtstart") == datetime.date.max

    def test_the_feed_speaks_the_parent_s_language_whatever_the_calendar_app_asks(
        self, parent, parent_client, group, course
    ):
        first = course.modules.order_by("position").first()
        AssignmentFactory(group=group, module=first, opens_on=datetime.date(2030, 3, 4))
        parent.language = "es"
        parent.save(update_fields=["language"])
        calendar_address_make(parent_client, group)
        ((_, url),) = parent_client.get(PREFERENCES).context["feeds"]
        response = Client().get(url, headers={"Accept-Language": "en"})
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["summary"]).startswith("Se abre el módulo 1")

    def test_a_new_address_retires_the_old_one(self, parent, parent_client, group):
        calendar_address_make(parent_client, group)
        old = CalendarFeed.objects.get(user=parent, group=group).token
        response = calendar_address_make(parent_client, group)
        assert (
            "The old one no longer works."
            in parent_client.get(response["Location"]).content.decode()
        )
        new = CalendarFeed.objects.get(user=parent, group=group).token
        assert new != old
        assert Client().get(reverse("reminders:calendar", args=[old])).status_code == 404
        assert Client().get(reverse("reminders:calendar", args=[new])).status_code == 200

    def test_leaving_the_group_or_archiving_it_closes_the_feed(self, parent, parent_client, group):
        calendar_address_make(parent_client, group)
        url = reverse("reminders:calendar", args=[CalendarFeed.objects.get(user=parent).token])
        group.archived_at = timezone.now()
        group.save()
        assert Client().get(url).status_code == 404
        group.archived_at = None
        group.save()
        assert Client().get(url).status_code == 200
        group.memberships.filter(user=parent).delete()
        assert Client().get(url).status_code == 404


class TestAnnouncements:
    def post(self, browser, group, text="No session next Tuesday.", key=None):
        return browser.post(
            reverse("reminders:announcement-post", args=[group.pk]),
            {"text": text, "key": str(key or uuid.uuid4())},
        )

    def test_members_see_it_on_their_dashboard_and_get_it_by_email(
        self, django_capture_on_commit_callbacks, facilitator_client, parent, second_parent, group
    ):
        MembershipFactory(group=group, user=second_parent)
        quiet = UserFactory(email="quiet@example.com")
        MembershipFactory(group=group, user=quiet)
        ReminderPreference.objects.create(user=quiet, announcement=False)
        unverified = UserFactory(email="unverified@example.com", verified=False)
        MembershipFactory(group=group, user=unverified)
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(facilitator_client, group)
        assert response.status_code == 302
        assert sorted(m.to[0] for m in mail.outbox) == [
            "parent@example.com",
            "second.parent@example.com",
        ]
        assert "No session next Tuesday." in mail.outbox[0].body
        dashboard = logged_in(quiet).get(reverse("courses:dashboard")).content.decode()
        assert "No session next Tuesday." in dashboard
        other = UserFactory(email="elsewhere@example.com")
        assert (
            "No session next Tuesday."
            not in logged_in(other).get(reverse("courses:dashboard")).content.decode()
        )

    def test_a_double_submit_posts_and_sends_once(
        self, django_capture_on_commit_callbacks, facilitator_client, group
    ):
        key = uuid.uuid4()
        with django_capture_on_commit_callbacks(execute=True):
            self.post(facilitator_client, group, key=key)
            self.post(facilitator_client, group, key=key)
        assert Announcement.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_an_empty_announcement_comes_back_with_a_message(self, facilitator_client, group):
        response = self.post(facilitator_client, group, text="   ")
        assert response.status_code == 400
        assert "text" in response.context["form"].errors
        long = self.post(facilitator_client, group, text="x" * 501)
        assert long.status_code == 400
        assert not Announcement.objects.exists()

    def test_the_form_is_on_the_group_page(self, facilitator_client, group):
        page = facilitator_client.get(reverse("accounts:facilitator-group", args=[group.pk]))
        assert reverse("reminders:announcement-post", args=[group.pk]) in page.content.decode()

    def test_another_facilitator_cannot_post(self, second_facilitator, group):
        response = self.post(logged_in(second_facilitator), group)
        assert response.status_code == 404
        assert not Announcement.objects.exists()


class TestNudges:
    @pytest.fixture
    def away(self, group, course):
        """Pat joined a month ago and last visited 20 days ago."""
        membership = group.memberships.get()
        membership.joined_at = timezone.now() - datetime.timedelta(days=30)
        membership.save()
        LessonProgressFactory(
            user=membership.user,
            lesson=course.modules.first().lessons.first(),
            started_at=timezone.now() - datetime.timedelta(days=20),
            last_seen_at=timezone.now() - datetime.timedelta(days=20),
        )
        return membership.user

    def nudge(self, browser, group, user, note=""):
        return browser.post(reverse("reminders:nudge", args=[group.pk, user.pk]), {"note": note})

    def test_the_report_marks_who_may_need_a_hand(self, facilitator_client, group, away):
        page = facilitator_client.get(reverse("courses:facilitator-report", args=[group.pk]))
        text = page.content.decode()
        assert "Who may need a hand" in text and "Send a kind nudge" in text
        assert reverse("reminders:nudge", args=[group.pk, away.pk]) in text

    def test_a_parent_who_finished_the_course_is_not_marked_however_long_ago(
        self, facilitator_client, group, course, away
    ):
        long_ago = timezone.now() - datetime.timedelta(days=20)
        for lesson in Lesson.objects.published().filter(module__course=course):
            LessonProgress.objects.update_or_create(
                user=away,
                lesson=lesson,
                defaults={
                    "started_at": long_ago,
                    "last_seen_at": long_ago,
                    "completed_at": long_ago,
                },
            )
        page = facilitator_client.get(reverse("courses:facilitator-report", args=[group.pk]))
        assert reverse("reminders:nudge", args=[group.pk, away.pk]) not in page.content.decode()

    def test_a_nudge_with_a_sentence_goes_once_a_week(
        self, django_capture_on_commit_callbacks, facilitator_client, group, away
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = self.nudge(facilitator_client, group, away, "We missed you on Tuesday!")
        assert response.status_code == 302
        (email,) = mail.outbox
        assert email.to == ["parent@example.com"]
        assert "We missed you on Tuesday!" in email.body
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        with django_capture_on_commit_callbacks(execute=True):
            again = self.nudge(facilitator_client, group, away)
        assert again.status_code == 302
        assert len(mail.outbox) == 1
        assert Message.objects.filter(kind=Kind.NUDGE).count() == 1
        page = facilitator_client.get(reverse("courses:facilitator-report", args=[group.pk]))
        assert "Nudged on" in page.content.decode()
        with (
            time_machine.travel(timezone.now() + datetime.timedelta(days=8)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            self.nudge(facilitator_client, group, away)
        assert len(mail.outbox) == 2

    def test_a_nudge_sent_from_a_later_page_of_the_report_comes_back_to_it(
        self, facilitator_client, group, away
    ):
        """On page 2 the "Nudged on" line shows where the facilitator was, not on page 1."""
        url = reverse("reminders:nudge", args=[group.pk, away.pk])
        report = reverse("courses:facilitator-report", args=[group.pk])
        form = facilitator_client.get(report).content.decode()
        assert '<input type="hidden" name="page" value="1">' in form
        response = facilitator_client.post(url, {"note": "", "page": "2"})
        assert response["Location"] == f"{report}?page=2#needs-a-hand"
        for odd in ("1", "", "0", "-3", "two", "99999999999"):
            response = facilitator_client.post(url, {"note": "x" * 201, "page": odd})
            assert response["Location"] == f"{report}#needs-a-hand"

    def test_a_long_sentence_is_refused_and_nothing_is_sent(self, facilitator_client, group, away):
        self.nudge(facilitator_client, group, away, "x" * 201)
        assert not Message.objects.exists()

    def test_only_the_groups_facilitator_may_nudge_its_members(
        self, second_facilitator, facilitator_client, group, away, second_parent
    ):
        assert self.nudge(logged_in(second_facilitator), group, away).status_code == 404
        assert self.nudge(facilitator_client, group, second_parent).status_code == 404
        assert not Message.objects.exists()

    def test_the_report_with_the_marks_stays_within_budget(
        self, facilitator_client, group, away, course, django_assert_max_num_queries
    ):
        for number in range(30):
            user = UserFactory(email=f"member{number}@example.com")
            membership = MembershipFactory(group=group, user=user)
            membership.joined_at = timezone.now() - datetime.timedelta(days=40)
            membership.save()
        AssignmentFactory(
            group=group,
            module=course.modules.first(),
            due_on=timezone.localdate() - datetime.timedelta(days=3),
        )
        url = reverse("courses:facilitator-report", args=[group.pk])
        with django_assert_max_num_queries(10):
            page = facilitator_client.get(url)
        assert page.content.decode().count("Send a kind nudge") == 31


class TestMyData:
    def test_the_export_has_reminder_choices_and_messages(
        self, django_capture_on_commit_callbacks, parent, parent_client, facilitator_client, group
    ):
        ReminderPreference.objects.create(user=parent, practice=False, hour=7)
        with django_capture_on_commit_callbacks(execute=True):
            facilitator_client.post(
                reverse("reminders:announcement-post", args=[group.pk]),
                {"text": "Hello all", "key": str(uuid.uuid4())},
            )
        data = json.loads(parent_client.post(reverse("accounts:my-data-download")).content)
        assert data["reminders"]["preferences"]["practice"] is False
        assert data["reminders"]["preferences"]["hour"] == 7
        (message,) = data["reminders"]["messages_sent"]
        assert message["kind"] == "announcement" and message["status"] == "sent"

    def test_deleting_the_account_deletes_them(self, parent, parent_client, group):
        ReminderPreference.objects.create(user=parent)
        Message.objects.create(user=parent, kind=Kind.PRACTICE, occasion="lesson:1")
        calendar_address_make(parent_client, group)
        parent.delete()
        assert not Message.objects.exists()
        assert not ReminderPreference.objects.exists()
        assert not CalendarFeed.objects.exists()


class TestOutbox:
    def test_staff_see_what_was_sent_and_what_failed(self, staff_client, parent):
        Message.objects.create(
            user=parent,
            kind=Kind.PRACTICE,
            occasion="lesson:1",
            status=Message.Status.FAILED,
            error="SMTP said no",
        )
        url = reverse("admin:reminders_message_changelist")
        page = staff_client.get(url, {"status__exact": "failed", "q": "parent@"})
        assert page.status_code == 200
        assert "SMTP said no" in page.content.decode()
        assert staff_client.get(reverse("admin:reminders_message_add")).status_code == 403
