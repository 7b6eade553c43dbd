"""
The reminders sweep and the emails it sends, with "two of everything": two parents in a group,
a parent in two groups, two groups, a parent who left, an unverified address, a closed account.
The clock is fixed with time-machine; days are in the site's time zone (Europe/London).
"""

import datetime
import email.policy as email_policy
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, User
from courses.models import Lesson, LessonProgress, PracticeNote
from reminders.models import DigestOptOut, Kind, Message, ReminderPreference
from reminders.sending import MAX_ATTEMPTS, message_send, messages_release_stuck, retry_delay
from reminders.sweep import reminders_sweep
from tests.factories import (
    AssignmentFactory,
    CourseFactory,
    LessonFactory,
    LessonProgressFactory,
    MembershipFactory,
    ModuleFactory,
    ParentGroupFactory,
    ReflectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2030, 3, 4)
DAY = datetime.timedelta(days=1)
SECRET_WORDS = "my-private-words-about-my-child"


def at(day, hour=9, minute=30):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def sweep(day=MONDAY, hour=9, minute=30, **kwargs):
    """Run the sweep at that local moment, with the clock there too; emails go out on commit."""
    moment = at(day, hour, minute)
    with time_machine.travel(moment, tick=False):
        return reminders_sweep(now=moment, **kwargs)


def sent(kind=None):
    """(kind, email) of every message recorded (and so sent) so far."""
    rows = Message.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((row.kind, row.user.email) for row in rows)


@pytest.fixture
def world(transactional_db):
    """
    A course of two modules (two lessons each, with a practice); group A (Ann and Ben, and
    Cat who left), group B (Ann again, and Dan); Eve in group A with an unverified address;
    Fay in group A with a closed account. Group A's module 2 opens on MONDAY; group B's on
    the day after.
    """
    course = CourseFactory(slug="circle", title="The circle")
    first = ModuleFactory(course=course, slug="first", title="Noticing", position=1)
    second = ModuleFactory(course=course, slug="second", title="Being with", position=2)
    lessons = [
        LessonFactory(module=first, slug="one", position=1, practice="Notice one bid a day."),
        LessonFactory(module=first, slug="two", position=2, practice=""),
        LessonFactory(module=second, slug="three", position=1),
        LessonFactory(module=second, slug="four", position=2),
    ]
    facilitator = UserFactory(email="fran@example.com", role=User.Role.FACILITATOR)
    other_facilitator = UserFactory(email="gus@example.com", role=User.Role.FACILITATOR)
    group_a = ParentGroupFactory(name="Group A", course=course, facilitators=[facilitator])
    group_b = ParentGroupFactory(
        name="Group B", course=course, facilitators=[facilitator, other_facilitator]
    )
    people = {
        name: UserFactory(email=f"{name}@example.com", display_name=name.title())
        for name in ["ann", "ben", "cat", "dan", "fay"]
    }
    people["eve"] = UserFactory(email="eve@example.com", display_name="Eve", verified=False)
    for name in ["ann", "ben", "cat", "eve", "fay"]:
        MembershipFactory(group=group_a, user=people[name])
    for name in ["ann", "dan"]:
        MembershipFactory(group=group_b, user=people[name])
    Membership.objects.filter(user=people["cat"]).delete()  # Cat left group A
    people["fay"].is_active = False
    people["fay"].save()
    AssignmentFactory(group=group_a, module=first, opens_on=MONDAY - 14 * DAY)
    AssignmentFactory(group=group_a, module=second, opens_on=MONDAY, due_on=MONDAY + 2 * DAY)
    AssignmentFactory(group=group_b, module=second, opens_on=MONDAY + DAY)
    return {
        "course": course,
        "modules": (first, second),
        "lessons": lessons,
        "group_a": group_a,
        "group_b": group_b,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        **people,
    }


def progress(user, lesson, *, seen, done=None):
    return LessonProgressFactory(
        user=user, lesson=lesson, started_at=seen, last_seen_at=seen, completed_at=done
    )


class TestModuleOpens:
    def test_members_of_the_group_get_it_on_the_opening_day_once(self, world):
        sweep()
        assert sent(Kind.MODULE_OPENS) == [
            ("module_opens", "ann@example.com"),
            ("module_opens", "ben@example.com"),
        ]
        opened = [m.to[0] for m in mail.outbox if m.subject == "Module 2 is open for you"]
        assert sorted(opened) == ["ann@example.com", "ben@example.com"]

    def test_running_again_that_day_sends_nothing_more(self, world):
        sweep()
        first = len(mail.outbox)
        sweep(hour=10)
        sweep(hour=23, minute=59)
        assert len(sent(Kind.MODULE_OPENS)) == 2
        assert len(mail.outbox) == first == Message.objects.count()

    def test_the_other_groups_members_get_it_the_next_day_and_ann_not_twice(self, world):
        sweep()
        sweep(day=MONDAY + DAY)
        assert sent(Kind.MODULE_OPENS) == [
            ("module_opens", "ann@example.com"),
            ("module_opens", "ben@example.com"),
            ("module_opens", "dan@example.com"),
        ]

    def test_nothing_before_the_hour_nor_the_day_before(self, world):
        sweep(hour=8, minute=59)
        sweep(day=MONDAY - DAY, hour=12)
        assert sent() == []

    def test_a_chosen_hour_moves_it(self, world):
        ReminderPreference.objects.create(user=world["ben"], hour=19)
        sweep(hour=18)
        assert sent(Kind.MODULE_OPENS) == [("module_opens", "ann@example.com")]
        sweep(hour=19, minute=5)
        assert len(sent(Kind.MODULE_OPENS)) == 2

    def test_a_kind_turned_off_is_not_sent(self, world):
        ReminderPreference.objects.create(user=world["ben"], module_opens=False)
        sweep()
        assert sent(Kind.MODULE_OPENS) == [("module_opens", "ann@example.com")]

    def test_an_archived_group_sends_nothing(self, world):
        world["group_a"].archived_at = at(MONDAY - DAY)
        world["group_a"].save()
        sweep()
        assert sent(Kind.MODULE_OPENS) == []

    def test_the_email_is_warm_and_complete(self, world):
        sweep()
        email = next(m for m in mail.outbox if m.to == ["ann@example.com"])
        assert email.subject == "Module 2 is open for you"
        assert "Being with" in email.body and "Group A" in email.body
        html, mimetype = email.alternatives[0]
        assert mimetype == "text/html" and "Being with" in html
        unsubscribe = email.extra_headers["List-Unsubscribe"]
        assert unsubscribe.startswith("<http") and "/reminders/unsubscribe/" in unsubscribe
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe.strip("<>") in email.body and unsubscribe.strip("<>") in html
        # As sent over SMTP, the address is on the line as it is: Python would have written a
        # word this long as encoded words, which mail clients' unsubscribe buttons cannot read.
        sent_bytes = email.message(policy=email_policy.SMTP).as_bytes()
        assert f"\r\nList-Unsubscribe: {unsubscribe}\r\n".encode() in sent_bytes
        assert len(unsubscribe) > 78
        for word in ["overdue", "late", "failed", "behind"]:
            assert word not in email.body.lower()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        assert message.status == Message.Status.SENT and message.sent_at is not None
        assert message.attempts == 1


class TestSuggestedSoon:
    def test_two_days_before_the_suggested_day_for_those_with_lessons_left(self, world):
        three, four = world["lessons"][2:]
        seen = at(MONDAY - DAY)
        for lesson in (three, four):
            progress(world["ann"], lesson, seen=seen, done=seen)
        progress(world["ben"], three, seen=seen, done=seen)
        # Group A's module 2 is suggested by Wednesday: Monday is two days before.
        sweep()
        assert sent(Kind.SUGGESTED_SOON) == [("suggested_soon", "ben@example.com")]
        email = next(m for m in mail.outbox if "ready" in m.subject)
        assert email.subject == "Module 2 is there when you are ready"
        for word in ["overdue", "late", "failed"]:
            assert word not in email.body.lower()

    def test_not_on_other_days(self, world):
        sweep(day=MONDAY - DAY)
        sweep(day=MONDAY + DAY)
        assert sent(Kind.SUGGESTED_SOON) == []


class TestWelcomeBack:
    def test_after_ten_days_away_in_the_middle_of_the_course(self, world):
        one, two, three, four = world["lessons"]
        progress(world["ann"], one, seen=at(MONDAY - 10 * DAY), done=at(MONDAY - 10 * DAY))
        progress(world["ben"], one, seen=at(MONDAY - 9 * DAY))
        for lesson in world["lessons"]:  # Dan finished everything: nothing to come back to
            progress(world["dan"], lesson, seen=at(MONDAY - 30 * DAY), done=at(MONDAY - 30 * DAY))
        progress(world["cat"], one, seen=at(MONDAY - 20 * DAY))  # left her group: still a parent
        progress(world["eve"], one, seen=at(MONDAY - 20 * DAY))  # unverified
        progress(world["fay"], one, seen=at(MONDAY - 20 * DAY))  # closed account
        sweep()
        assert sent(Kind.WELCOME_BACK) == [
            ("welcome_back", "ann@example.com"),
            ("welcome_back", "cat@example.com"),
        ]

    def test_at_most_every_three_weeks_and_three_times(self, world):
        progress(world["ann"], world["lessons"][0], seen=at(MONDAY - 10 * DAY))
        days = [MONDAY + n * DAY for n in range(0, 120)]
        for day in days:
            sweep(day=day)
        welcome = Message.objects.filter(user=world["ann"], kind=Kind.WELCOME_BACK)
        dates = sorted(m.created_at.astimezone(LONDON).date() for m in welcome)
        assert dates == [MONDAY, MONDAY + 21 * DAY, MONDAY + 42 * DAY]

    def test_a_visit_resets_the_clock(self, world):
        row = progress(world["ann"], world["lessons"][0], seen=at(MONDAY - 10 * DAY))
        row.last_seen_at = at(MONDAY - DAY)
        row.save()
        sweep()
        assert sent(Kind.WELCOME_BACK) == []


class TestPractice:
    def test_three_days_after_finishing_a_lesson_with_a_practice(self, world):
        one, two, three, _ = world["lessons"]
        finished = at(MONDAY - 3 * DAY, 20)
        progress(world["ann"], one, seen=finished, done=finished)
        progress(world["ann"], two, seen=finished, done=finished)  # no practice in it
        progress(world["ben"], one, seen=finished, done=finished)
        PracticeNote.objects.create(
            user=world["ben"], lesson=one, noted_on=MONDAY - DAY, tried="Tried it"
        )  # Ben already wrote a note
        earlier = at(MONDAY - 4 * DAY, 20)
        progress(world["dan"], one, seen=earlier, done=earlier)
        progress(world["cat"], three, seen=finished)  # started, not finished
        sweep()
        assert sent(Kind.PRACTICE) == [("practice", "ann@example.com")]
        email = next(
            m for m in mail.outbox if m.to == ["ann@example.com"] and "practice" in m.subject
        )
        assert "Notice one bid a day." in email.body

    def test_no_email_ever_quotes_what_a_parent_wrote(self, world):
        one = world["lessons"][0]
        finished = at(MONDAY - 3 * DAY, 20)
        progress(world["ann"], one, seen=finished, done=finished)
        ReflectionFactory(user=world["ann"], lesson=one, text=SECRET_WORDS, shared=True)
        sweep()
        assert len(mail.outbox) >= 2
        for email in mail.outbox:
            assert SECRET_WORDS not in email.body
            assert SECRET_WORDS not in email.alternatives[0][0]
        assert SECRET_WORDS not in str(list(Message.objects.values()))


class TestDigest:
    def test_each_facilitator_gets_one_per_group_on_monday(self, world):
        sweep()
        digests = Message.objects.filter(kind=Kind.DIGEST)
        assert sorted((m.user.email, m.context["group"]) for m in digests) == sorted(
            [
                ("fran@example.com", world["group_a"].pk),
                ("fran@example.com", world["group_b"].pk),
                ("gus@example.com", world["group_b"].pk),
            ]
        )
        sweep(hour=15)
        assert digests.count() == 3

    def test_not_on_other_days_nor_before_the_hour(self, world):
        sweep(day=MONDAY + DAY)
        sweep(hour=8)
        assert sent(Kind.DIGEST) == []

    def test_turned_off_for_one_group(self, world):
        DigestOptOut.objects.create(user=world["facilitator"], group=world["group_a"])
        sweep()
        assert sorted(
            (m.user.email, m.context["group"]) for m in Message.objects.filter(kind=Kind.DIGEST)
        ) == sorted(
            [
                ("fran@example.com", world["group_b"].pk),
                ("gus@example.com", world["group_b"].pk),
            ]
        )

    def test_the_digest_counts_and_names_without_private_words(self, world):
        one, two, three, four = world["lessons"]
        for lesson in world["lessons"]:
            progress(world["ben"], lesson, seen=at(MONDAY - DAY), done=at(MONDAY - DAY))
        progress(world["ann"], one, seen=at(MONDAY - 15 * DAY))
        with time_machine.travel(at(MONDAY - 2 * DAY), tick=False):
            ReflectionFactory(user=world["ben"], lesson=one, text=SECRET_WORDS, shared=True)
            ReflectionFactory(user=world["ann"], lesson=one, text="private", shared=False)
        sweep()
        email = next(
            m for m in mail.outbox if m.to == ["fran@example.com"] and "Group A" in m.subject
        )
        assert "2 of 4 parents have started the course." in email.body
        assert "1 parent has finished it." in email.body
        assert "1 reflection was newly shared with you this week." in email.body
        assert "- Ann" in email.body and "- Ben" not in email.body
        assert "Eve" in email.body  # joined weeks ago and never came: away too
        assert SECRET_WORDS not in email.body and SECRET_WORDS not in email.alternatives[0][0]


class TestWhoGetsNothing:
    def test_unverified_closed_and_deleted_accounts_get_nothing(self, world):
        world["ann"].delete()
        sweep()
        emails = {m.to[0] for m in mail.outbox}
        assert emails.isdisjoint({"ann@example.com", "eve@example.com", "fay@example.com"})
        assert "ben@example.com" in emails

    def test_deleting_an_account_deletes_its_messages_and_preferences(self, world):
        ReminderPreference.objects.create(user=world["ann"], hour=7)
        sweep()
        assert Message.objects.filter(user=world["ann"]).exists()
        world["ann"].delete()
        assert not Message.objects.filter(user_id=world["ann"].pk).exists()
        assert not ReminderPreference.objects.filter(user_id=world["ann"].pk).exists()

    def test_a_message_recorded_before_its_person_turned_it_off_is_skipped(self, world, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        ReminderPreference.objects.create(user=world["ann"], module_opens=False)
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        assert message_send(message_id=message.pk) == Message.Status.SKIPPED
        assert mail.outbox == []


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server said no")


class TestRetries:
    def test_a_failed_send_is_retried_then_recorded_as_failed(self, world, settings):
        settings.MAILERS = {"default": {"BACKEND": "tests.test_reminders.FailingBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        assert message.status == Message.Status.FAILED
        assert message.attempts == MAX_ATTEMPTS
        assert "the mail server said no" in message.error

    def test_a_send_that_works_on_a_later_try_is_sent_once(self, world, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        settings.MAILERS = {"default": {"BACKEND": "tests.test_reminders.FailingBackend"}}
        assert message_send(message_id=message.pk) == Message.Status.PENDING
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        assert message_send(message_id=message.pk) == Message.Status.SENT
        assert message_send(message_id=message.pk) is None  # already sent: nothing happens
        message.refresh_from_db()
        assert message.attempts == 2 and message.error == ""
        assert [m.to for m in mail.outbox] == [["ann@example.com"]]

    def test_a_message_a_stopped_worker_left_being_sent_is_sent_by_the_next_sweep(
        self, world, settings
    ):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        other = Message.objects.exclude(pk=message.pk).first()
        long_ago = timezone.now() - datetime.timedelta(hours=1)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENDING, attempts=1, last_attempt_at=long_ago
        )
        # The others were only just recorded (their tasks may be on the way): not stuck.
        Message.objects.exclude(pk=message.pk).update(created_at=timezone.now())
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }
        assert messages_release_stuck() == 1
        message.refresh_from_db()
        assert message.status == Message.Status.SENT and message.attempts == 2
        assert [m.to for m in mail.outbox] == [["ann@example.com"]]
        if other is not None:  # untouched: it was never claimed
            assert Message.objects.get(pk=other.pk).status == other.status

    def test_a_waiting_message_whose_task_was_lost_is_queued_again_and_sent_once(
        self, world, settings
    ):
        # A worker killed halfway through a chunk leaves the rest "waiting" with no task.
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        assert message.status == Message.Status.PENDING and message.last_attempt_at is None
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }
        assert messages_release_stuck() == 0  # just recorded: its task may still be on its way
        long_ago = timezone.now() - datetime.timedelta(hours=1)
        Message.objects.filter(pk=message.pk).update(created_at=long_ago)
        assert messages_release_stuck() >= 1
        message.refresh_from_db()
        assert message.status == Message.Status.SENT and message.attempts == 1
        assert [m.to for m in mail.outbox].count(["ann@example.com"]) == 1
        assert messages_release_stuck() == 0

    def test_a_message_waiting_for_its_retry_is_left_alone(self, world, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        Message.objects.filter(pk__in=Message.objects.values("pk")).update(
            created_at=timezone.now() - datetime.timedelta(hours=1),
            attempts=3,
            last_attempt_at=timezone.now() - datetime.timedelta(minutes=20),
        )
        assert messages_release_stuck() == 0
        assert Message.objects.get(pk=message.pk).status == Message.Status.PENDING

    def test_the_hourly_command_releases_them(self, world, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        long_ago = timezone.now() - datetime.timedelta(hours=1)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENDING, attempts=1, last_attempt_at=long_ago
        )
        Message.objects.exclude(pk=message.pk).update(created_at=timezone.now())
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        assert "1 messages left by a stopped worker (or a lost task) queued again" in out.getvalue()
        assert Message.objects.get(pk=message.pk).status == Message.Status.PENDING

    def test_a_message_being_sent_right_now_is_left_alone(self, world, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENDING, attempts=1, last_attempt_at=timezone.now()
        )
        assert messages_release_stuck() == 0
        assert Message.objects.get(pk=message.pk).status == Message.Status.SENDING

    def test_a_sweep_for_a_later_moment_leaves_a_message_being_sent_alone(self, world, settings):
        # `make cluster` runs `send_reminders --now <tonight>` while the workers send.
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENDING, attempts=1, last_attempt_at=timezone.now()
        )
        later = timezone.localtime() + datetime.timedelta(hours=12)
        out = io.StringIO()
        call_command("send_reminders", "--now", later.isoformat(), stdout=out)
        assert "stopped worker" not in out.getvalue()
        assert Message.objects.get(pk=message.pk).status == Message.Status.SENDING

    def test_a_message_stuck_after_its_last_try_is_recorded_as_failed(self, world, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        sweep()
        message = Message.objects.get(user=world["ann"], kind=Kind.MODULE_OPENS)
        long_ago = timezone.now() - datetime.timedelta(hours=1)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENDING, attempts=MAX_ATTEMPTS, last_attempt_at=long_ago
        )
        assert messages_release_stuck() == 0
        message.refresh_from_db()
        assert message.status == Message.Status.FAILED
        assert "worker stopped" in message.error

    def test_the_pauses_grow(self):
        assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 300, 1500]


class TestQueries:
    def build(self, world, parents):
        for number in range(parents):
            user = UserFactory(email=f"extra{parents}-{number}@example.com")
            MembershipFactory(group=world["group_a"], user=user)
            for lesson in world["lessons"][:2]:
                progress(user, lesson, seen=at(MONDAY - 3 * DAY), done=at(MONDAY - 3 * DAY))

    def test_each_batch_costs_the_same_few_queries_whatever_its_size(self, world, settings):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        counts = []
        for parents in (5, 60):
            Message.objects.all().delete()
            self.build(world, parents)
            per_batch, last = [], [0]

            def on_batch(report, per_batch=per_batch, last=last):
                per_batch.append(len(context.captured_queries) - last[0])
                last[0] = len(context.captured_queries)

            with CaptureQueriesContext(connection) as context:
                report = sweep(batch_size=1000, on_batch=on_batch)
            assert report.total > parents
            counts.append(per_batch[0])
        assert counts[0] == counts[1] <= 12

    def test_an_early_sweep_reads_only_those_who_chose_an_early_hour(self, world):
        ReminderPreference.objects.create(user=world["ben"], hour=7)
        ReminderPreference.objects.create(user=world["dan"], hour=None)
        assert sweep(hour=6).people == 0
        assert sweep(hour=7).people == 1
        assert sent(Kind.MODULE_OPENS) == [("module_opens", "ben@example.com")]

    def test_batches_page_through_everyone(self, world):
        small = sweep(batch_size=2)
        assert small.people == 6  # Ann, Ben, Cat, Dan and both facilitators; not Eve nor Fay
        assert small.batches >= 3
        assert len(sent(Kind.MODULE_OPENS)) == 2


def test_lessons_in_the_fixture_are_published(world):
    assert Lesson.objects.published().count() == 4
    assert LessonProgress.objects.count() == 0
