"""
The facilitator's group report with two of everything (tests/two_of_everything.py): every
count is of this group's current members on this group's lessons, the plan shown is this
group's, and the CSV pages through every member with the right dates.

Each test here was seen to fail with its rule's filter removed, or its count set to one
(tests/MUTATION.md).
"""

import csv
import io
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from accounts.models import Membership
from courses import reports
from courses.assignments import friendly_date, group_assign_module
from courses.insights import question_summary, reflection_summary, shared_reflections
from courses.models import Reflection
from courses.reports import group_report, report_csv_lines
from courses.reports.members import activity_note
from tests.factories import (
    LessonProgressFactory,
    MembershipFactory,
    QuestionAttemptFactory,
    ReflectionFactory,
    UserFactory,
    add_questions,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture(autouse=True)
def now():
    """Every date in a test is counted from the moment it starts."""
    global NOW
    NOW = timezone.now()
    return NOW


def report_url(group):
    return reverse("courses:facilitator-report", args=[group.pk])


def folded(response):
    """The page's words as a reader sees them: no tags, whitespace folded."""
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def progress(world, user, slug, *, seen_days_ago, done_days_ago=None):
    seen = NOW - timedelta(days=seen_days_ago)
    done = None if done_days_ago is None else NOW - timedelta(days=done_days_ago)
    return LessonProgressFactory(
        user=user,
        lesson=world.lesson(slug),
        started_at=min(seen, done or seen),
        last_seen_at=seen,
        completed_at=done,
    )


def answer(user, question, text):
    QuestionAttemptFactory(user=user, choice=question.choices.get(text=text))


@pytest.fixture
def learning(world):
    """
    Tuesday: Pat finished lesson one yesterday; Kim finished it three days ago and started
    lesson two; Noor joined and has not started. Lee (who left Tuesday) and Sam (Thursday)
    finished lessons one and two. On lesson one Pat reflected privately, Kim, Lee and Sam
    shared; on its question Kim was wrong then right, then Pat right first time, Lee and Sam
    wrong.
    """
    world.noor = UserFactory(email="noor@example.com", display_name="Noor")
    MembershipFactory(group=world.tuesday, user=world.noor)
    progress(world, world.pat, "one", seen_days_ago=1, done_days_ago=1)
    progress(world, world.kim, "one", seen_days_ago=3, done_days_ago=3)
    progress(world, world.kim, "two", seen_days_ago=3)
    for outsider in (world.lee, world.sam):
        progress(world, outsider, "one", seen_days_ago=0, done_days_ago=0)
        progress(world, outsider, "two", seen_days_ago=0, done_days_ago=0)
    one = world.lesson("one")
    ReflectionFactory(user=world.pat, lesson=one, text="Pat's private words.")
    for writer in (world.kim, world.lee, world.sam):
        ReflectionFactory(
            user=writer, lesson=one, text=f"{writer.display_name}'s shared words.", shared=True
        )
    [question] = add_questions(one, 1)
    # Kim answers before Pat, so Pat's first try is not the question's first answer.
    answer(world.kim, question, "Wrong")
    answer(world.kim, question, "Right")
    answer(world.pat, question, "Right")
    answer(world.lee, question, "Wrong")
    answer(world.sam, question, "Also wrong")
    answer(world.sam, question, "Wrong")
    return world


class TestTheReportCountsThisGroupsMembersOnly:
    def test_each_lesson_counts_every_member_who_finished_or_started_it(
        self, learning, facilitator_client
    ):
        response = facilitator_client.get(report_url(learning.tuesday))
        report = response.context["report"]
        assert [column.done for column in report.columns] == [2, 0, 0]
        assert [column.started for column in report.columns] == [2, 1, 0]
        assert [column.percent for column in report.columns] == [67, 0, 0]
        text = folded(response)
        assert "Lesson one · 2 of 3 done (67%), 2 started" in text
        assert "Lesson two · 0 of 3 done (0%), 1 started" in text
        assert "3 parents · 3 lessons · on average 22% done." in text

    def test_each_parent_row_says_how_long_since_their_last_visit(
        self, learning, facilitator_client
    ):
        report = facilitator_client.get(report_url(learning.tuesday)).context["report"]
        rows = {str(row.member): (row.done, row.percent, row.activity_note) for row in report.rows}
        assert rows == {
            "Kim": (1, 33, "Visited 3 days ago"),
            "Noor": (0, 0, "Has not started yet"),
            "Pat": (1, 33, "Visited yesterday"),
        }
        assert report.quiet_count == 0

    def test_last_activity_is_on_this_groups_course_only(self, world, facilitator_client):
        progress(world, world.pat, "one", seen_days_ago=9)
        progress(world, world.pat, "other-one", seen_days_ago=0)
        report = facilitator_client.get(report_url(world.tuesday)).context["report"]
        notes = {str(row.member): row.activity_note for row in report.rows}
        assert notes == {"Kim": "Has not started yet", "Pat": "Hasn't visited in 9 days"}

    def test_each_members_lessons_done_are_counted_per_module(self, world, facilitator_client):
        # Pat finished lesson one four days ago, after last opening it six days ago, and
        # lessons two (module 1) and three (module 2) five days ago.
        progress(world, world.pat, "one", seen_days_ago=6, done_days_ago=4)
        progress(world, world.pat, "two", seen_days_ago=5, done_days_ago=5)
        progress(world, world.pat, "three", seen_days_ago=5, done_days_ago=5)
        report = facilitator_client.get(report_url(world.tuesday)).context["report"]
        members = {str(progress.member): progress for progress in report.members}
        module_one, module_two = world.lesson("one").module_id, world.lesson("three").module_id
        assert members["Pat"].done_by_module == {module_one: 2, module_two: 1}
        assert members["Kim"].done_by_module == {}
        notes = {str(row.member): row.activity_note for row in report.rows}
        assert notes == {"Kim": "Has not started yet", "Pat": "Visited 4 days ago"}

    def test_an_active_groups_report_tells_how_many_shared(self, learning, facilitator_client):
        response = facilitator_client.get(report_url(learning.tuesday))
        assert response.context["report"].shows_shared is True
        text = folded(response)
        # Kim shared; Pat's words are private; Lee (gone) and Sam (Thursday) do not count.
        assert "Parents shared 1 reflection with the group's facilitators." in text
        assert "This group is archived" not in text

    def test_the_table_shows_the_page_asked_for(self, six_members, facilitator_client, monkeypatch):
        monkeypatch.setattr(reports.group, "REPORT_PAGE_SIZE", 2)
        names = []
        for number in (1, 2, 3):
            response = facilitator_client.get(report_url(six_members.tuesday), {"page": number})
            names.append([row.member.email for row in response.context["report"].rows])
            # The summary is the whole group's on every page.
            assert response.context["report"].member_count == 6
        assert names == [
            ["z.aaron@example.com", "alex.a@example.com"],
            ["alex.b@example.com", "second.parent@example.com"],
            ["noor@example.com", "parent@example.com"],
        ]

    def test_a_member_without_a_name_is_shown_by_their_email(self, world, facilitator_client):
        world.kim.display_name = ""
        world.kim.save()
        report = facilitator_client.get(report_url(world.tuesday)).context["report"]
        assert [str(row.member) for row in report.rows] == ["Pat", "second.parent@example.com"]
        _, pat, kim, _, _ = csv_rows(world.tuesday)
        assert (kim[0], pat[0]) == ("second.parent@example.com", "Pat")

    def test_the_other_group_counts_its_own_members(self, learning, facilitator_client):
        response = facilitator_client.get(report_url(learning.thursday))
        report = response.context["report"]
        assert [str(row.member) for row in report.rows] == ["Pat", "Sam"]
        assert [column.done for column in report.columns] == [2, 1, 0]
        assert [column.started for column in report.columns] == [2, 1, 0]

    def test_reflections_are_counted_for_current_members_only(self, learning, facilitator_client):
        response = facilitator_client.get(report_url(learning.tuesday))
        lesson_one = response.context["report"].columns[0]
        assert (lesson_one.reflections.reflected, lesson_one.reflections.parents) == (2, 3)
        assert lesson_one.shared == 1
        text = folded(response)
        assert "2 of 3 parents reflected on this lesson, 1 shared with you" in text
        assert "Read the 1 shared reflection" in text

    def test_the_other_group_counts_its_own_reflections(self, learning, facilitator_client):
        lesson_one = (
            facilitator_client.get(report_url(learning.thursday)).context["report"].columns[0]
        )
        assert (lesson_one.reflections.reflected, lesson_one.shared) == (2, 1)

    def test_knowledge_checks_are_counted_for_current_members_only(
        self, learning, facilitator_client
    ):
        response = facilitator_client.get(report_url(learning.tuesday))
        checks = response.context["report"].columns[0].checks
        assert (checks.attempts, checks.first_tries, checks.first_try_correct) == (3, 2, 1)
        assert checks.most_missed.first_try_missed == 1
        text = folded(response)
        assert "3 answers, 1 of 2 first tries right." in text
        assert "(1 of 2 parents)" in text

    def test_the_other_groups_checks_count_their_first_tries(self, learning, facilitator_client):
        checks = (
            facilitator_client.get(report_url(learning.thursday)).context["report"].columns[0]
        ).checks
        assert (checks.attempts, checks.first_tries, checks.first_try_correct) == (3, 2, 1)

    def test_shared_words_are_read_from_current_members_only(self, learning, facilitator_client):
        one = learning.lesson("one")

        def shared_page(group):
            url = reverse("courses:facilitator-shared-reflections", args=[group.pk, one.pk])
            return folded(facilitator_client.get(url))

        tuesday = shared_page(learning.tuesday)
        assert "Kim's shared words." in tuesday
        for absent in ("Lee's shared words.", "Sam's shared words.", "Pat's private words."):
            assert absent not in tuesday
        thursday = shared_page(learning.thursday)
        assert "Sam's shared words." in thursday
        assert "Kim's shared words." not in thursday


class TestTheReportShowsThisGroupsPlan:
    def test_another_groups_dates_never_show(self, world, facilitator_client):
        today = timezone.localdate()
        first, second = world.course.modules.order_by("position")
        group_assign_module(group=world.thursday, module=first, due_on=today + timedelta(days=10))
        group_assign_module(group=world.thursday, module=second, opens_on=today + timedelta(5))
        group_assign_module(group=world.tuesday, module=first, due_on=today + timedelta(days=20))
        response = facilitator_client.get(report_url(world.tuesday))
        modules = response.context["report"].modules
        assert modules[0].assignment.due_on == today + timedelta(days=20)
        assert modules[1].assignment is None
        text = folded(response)
        assert f"suggested by {friendly_date(today + timedelta(days=20))}" in text
        assert friendly_date(today + timedelta(days=10)) not in text
        assert friendly_date(today + timedelta(days=5)) not in text
        thursday = facilitator_client.get(report_url(world.thursday)).context["report"].modules
        assert thursday[1].assignment.opens_on == today + timedelta(days=5)


def csv_rows(group, **kwargs):
    text = "".join(report_csv_lines(group=group, **kwargs))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def six_members(learning):
    """
    Tuesday with six members in the report's order: Aaron (whose email sorts last), two Alexes
    (the same name, told apart by their email), Kim, Noor and Pat; each joined on a day of
    their own.
    """
    aaron = UserFactory(email="z.aaron@example.com", display_name="Aaron")
    # Saved in the other order than their email's, so only the email can put them in order.
    alex_b = UserFactory(email="alex.b@example.com", display_name="alex")
    alex_a = UserFactory(email="alex.a@example.com", display_name="Alex")
    for user in (aaron, alex_b, alex_a):
        MembershipFactory(group=learning.tuesday, user=user)
    progress(learning, alex_b, "three", seen_days_ago=12)
    joined = {"Aaron": 30, "alex.a": 29, "alex.b": 28, "Kim": 27, "Noor": 26, "Pat": 25}
    for membership in Membership.objects.filter(group=learning.tuesday).select_related("user"):
        key = membership.user.display_name
        if key.lower() == "alex":
            key = membership.user.email.split("@")[0]
        membership.joined_at = NOW - timedelta(days=joined[key])
        membership.save(update_fields=["joined_at"])
    return learning


def when(days_ago):
    return timezone.localtime(NOW - timedelta(days=days_ago)).strftime("%Y-%m-%d %H:%M")


def joined_on(days_ago):
    return timezone.localdate(NOW - timedelta(days=days_ago)).isoformat()


class TestTheCsv:
    @pytest.mark.parametrize("chunk_size", [1, 2, 4, 200])
    def test_it_pages_through_every_member_once_in_the_pages_order(self, six_members, chunk_size):
        header, *rows, completion, reflected = csv_rows(six_members.tuesday, chunk_size=chunk_size)
        assert header[:7] == [
            "Parent", "Email", "Joined", "Lessons done", "Completion (%)", "Last activity", "Note",
        ]  # fmt: skip
        assert rows == [
            ["Aaron", "z.aaron@example.com", joined_on(30), "0", "0", "", "Has not started yet"]
            + ["Not started"] * 3,
            ["Alex", "alex.a@example.com", joined_on(29), "0", "0", "", "Has not started yet"]
            + ["Not started"] * 3,
            ["alex", "alex.b@example.com", joined_on(28), "0", "0", when(12)]
            + ["Hasn't visited in 12 days", "Not started", "Not started", "In progress"],
            ["Kim", "second.parent@example.com", joined_on(27), "1", "33", when(3)]
            + ["Visited 3 days ago", "Done", "In progress", "Not started"],
            ["Noor", "noor@example.com", joined_on(26), "0", "0", "", "Has not started yet"]
            + ["Not started"] * 3,
            ["Pat", "parent@example.com", joined_on(25), "1", "33", when(1)]
            + ["Visited yesterday", "Done", "Not started", "Not started"],
        ]
        assert completion == ["Whole group: lesson completion (%)", "", "", "", "11", "", ""] + [
            "33",
            "0",
            "0",
        ]
        # Kim reflected on lesson one, and so did Pat; Lee (gone) and Sam (Thursday) do not count.
        assert reflected == ["Whole group: parents who reflected", "", "", "", "", "", ""] + [
            "2",
            "0",
            "0",
        ]

    @pytest.mark.parametrize(("chunk_size", "queries"), [(200, 3 + 2), (4, 3 + 4), (2, 3 + 7)])
    def test_it_reads_the_lessons_and_reflections_once_and_two_queries_a_chunk(
        self, six_members, chunk_size, queries
    ):
        # The lessons and the reflection counts for the header and for the totals (never the
        # knowledge checks, which the file does not show); per chunk, its members and their
        # progress; after a full chunk, one more look for members after it (six in chunks of
        # two: three chunks and an empty look).
        with CaptureQueriesContext(connection) as captured:
            rows = csv_rows(six_members.tuesday, chunk_size=chunk_size)
        assert len(rows) == 1 + 6 + 2
        assert len(captured) == queries
        assert not [q for q in captured.captured_queries if "questionattempt" in q["sql"]]

    def test_a_facilitator_reading_spanish_gets_the_file_in_spanish(self, six_members):
        with translation.override("es"):
            header, aaron, _, alex, kim, _, pat, completion, reflected = csv_rows(
                six_members.tuesday, chunk_size=2
            )
        assert header[:7] == [
            "Madre o padre", "Correo electrónico", "Se unió", "Lecciones hechas", "Avance (%)",
            "Última actividad", "Nota",
        ]  # fmt: skip
        assert aaron[6:] == ["Todavía no ha empezado", "Sin empezar", "Sin empezar", "Sin empezar"]
        assert alex[6:] == ["No entra desde hace 12 días", "Sin empezar", "Sin empezar", "Empezada"]
        assert kim[6:] == ["Entró hace 3 días", "Hecha", "Empezada", "Sin empezar"]
        assert pat[6] == "Entró ayer"
        assert completion[0] == "Todo el grupo: avance en la lección (%)"
        assert reflected[0] == "Todo el grupo: familias que reflexionaron"

    def test_the_page_lists_the_members_in_the_same_order_as_the_file(
        self, six_members, facilitator_client
    ):
        # By name whatever the case, then by email for the two Alexes: Aaron first although
        # his email sorts last.
        report = facilitator_client.get(report_url(six_members.tuesday)).context["report"]
        page = [(str(row.member), row.member.email) for row in report.rows]
        assert page == [
            ("Aaron", "z.aaron@example.com"),
            ("Alex", "alex.a@example.com"),
            ("alex", "alex.b@example.com"),
            ("Kim", "second.parent@example.com"),
            ("Noor", "noor@example.com"),
            ("Pat", "parent@example.com"),
        ]
        assert page == [tuple(row[:2]) for row in csv_rows(six_members.tuesday)[1:-2]]

    def test_a_group_nobody_has_joined_yet_has_a_header_and_zero_totals(self, world):
        Membership.objects.filter(group=world.thursday).delete()
        header, completion, reflected = csv_rows(world.thursday)
        assert header[7:] == ["1.1 Lesson one", "1.2 Lesson two", "2.1 Lesson three"]
        assert completion[4:] == ["0", "", "", "0", "0", "0"]
        assert reflected[7:] == ["0", "0", "0"]

    @pytest.mark.parametrize(
        "name, start",
        [
            ("¡Jueves, 9:30!", "Jueves--9-30"),
            ("¿¡!?", "group"),
            ("été", "t"),
            ("Xmas X", "Xmas-X"),
        ],
    )
    def test_the_file_is_named_for_the_group_in_plain_letters(
        self, world, facilitator_client, name, start
    ):
        world.thursday.name = name
        world.thursday.save()
        response = facilitator_client.get(
            reverse("courses:facilitator-report-csv", args=[world.thursday.pk])
        )
        filename = f"{start}-progress-{timezone.localdate().isoformat()}.csv"
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'

    def test_the_download_has_the_same_rows_as_the_pages(self, six_members, facilitator_client):
        response = facilitator_client.get(
            reverse("courses:facilitator-report-csv", args=[six_members.tuesday.pk])
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        downloaded = list(csv.reader(io.StringIO(text)))
        assert downloaded == csv_rows(six_members.tuesday, chunk_size=1)

    def test_a_visit_after_finishing_is_the_last_activity(self, world):
        progress(world, world.pat, "one", seen_days_ago=2, done_days_ago=4)
        progress(world, world.pat, "two", seen_days_ago=6, done_days_ago=5)
        _, kim, pat, _, _ = csv_rows(world.tuesday)
        assert pat[5] == when(2)
        assert (kim[0], kim[5]) == ("Kim", "")

    def test_last_activity_is_on_this_groups_course_only(self, world):
        progress(world, world.pat, "one", seen_days_ago=9)
        progress(world, world.pat, "other-one", seen_days_ago=0)
        progress(world, world.kim, "other-one", seen_days_ago=1, done_days_ago=1)
        _, kim, pat, _, _ = csv_rows(world.tuesday)
        assert pat[5:7] == [when(9), "Hasn't visited in 9 days"]
        assert kim[5:7] == ["", "Has not started yet"]

    def test_finishing_after_the_last_visit_is_the_last_activity(self, world):
        progress(world, world.pat, "one", seen_days_ago=6, done_days_ago=4)
        _, _, pat, _, _ = csv_rows(world.tuesday)
        assert pat[5] == when(4)

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_a_name_that_a_spreadsheet_would_run_is_kept_as_text(self, world, start):
        world.pat.display_name = f"{start}SUM(A1)"
        world.pat.save()
        world.kim.email = f"{start}kim@example.com"
        world.kim.save()
        rows = {row[1]: row for row in csv_rows(world.tuesday)[1:-2]}
        assert rows["parent@example.com"][0] == f"'{start}SUM(A1)"
        assert rows[f"'{start}kim@example.com"][0] == "Kim"

    def test_ordinary_names_and_addresses_are_left_as_they_are(self, world):
        world.pat.display_name = "Pat = Parent + 1"
        world.pat.save()
        _, kim, pat, _, _ = csv_rows(world.tuesday)
        assert pat[:2] == ["Pat = Parent + 1", "parent@example.com"]
        assert kim[:2] == ["Kim", "second.parent@example.com"]


@pytest.mark.parametrize(
    ("days_away", "english", "spanish"),
    [
        (None, "Has not started yet", "Todavía no ha empezado"),
        (0, "Visited today", "Entró hoy"),
        (1, "Visited yesterday", "Entró ayer"),
        (2, "Visited 2 days ago", "Entró hace 2 días"),
        (6, "Visited 6 days ago", "Entró hace 6 días"),
        (7, "Hasn't visited in 7 days", "No entra desde hace 7 días"),
        (40, "Hasn't visited in 40 days", "No entra desde hace 40 días"),
    ],
)
def test_each_parents_activity_note_in_english_and_spanish(days_away, english, spanish):
    assert activity_note(days_away) == english
    with translation.override("es"):
        assert activity_note(days_away) == spanish


class TestTheDayTheReportIsFor:
    """Both the page's numbers and the CSV's are counted from the `now` they are given."""

    def test_days_are_counted_in_the_sites_time_zone(self, world, settings):
        settings.TIME_ZONE = "Pacific/Auckland"
        now = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)  # 10 pm on 1 June in Auckland
        visited = datetime(2026, 5, 31, 13, 0, tzinfo=UTC)  # 1 am on 1 June in Auckland
        LessonProgressFactory(
            user=world.pat, lesson=world.lesson("one"), started_at=visited, last_seen_at=visited
        )
        notes = {
            str(row.member): row.activity_note
            for row in group_report(group=world.tuesday, now=now).rows
        }
        assert notes["Pat"] == "Visited today"

    def test_the_page_counts_days_from_its_own_now(self, learning):
        later = NOW + timedelta(days=2)
        report = group_report(group=learning.tuesday, now=later)
        notes = {str(row.member): row.activity_note for row in report.rows}
        assert notes["Pat"] == "Visited 3 days ago"
        assert notes["Kim"] == "Visited 5 days ago"

    def test_the_csv_counts_days_from_its_own_now(self, learning):
        later = NOW + timedelta(days=6)
        rows = {row[0]: row for row in csv_rows(learning.tuesday, now=later)[1:-2]}
        assert rows["Pat"][6] == "Hasn't visited in 7 days"
        assert rows["Kim"][6] == "Hasn't visited in 9 days"
        assert rows["Noor"][6] == "Has not started yet"


def shared_page(client, group, lesson):
    url = reverse("courses:facilitator-shared-reflections", args=[group.pk, lesson.pk])
    return client.get(url)


class TestTheSharedReflectionsPage:
    def test_newest_written_comes_first_whatever_order_they_were_saved_in(
        self, world, facilitator_client
    ):
        one = world.lesson("one")
        kims = ReflectionFactory(user=world.kim, lesson=one, text="Kim wrote first.", shared=True)
        pats = ReflectionFactory(user=world.pat, lesson=one, text="Pat wrote later.", shared=True)
        Reflection.objects.filter(pk=kims.pk).update(created_at=NOW - timedelta(days=1))
        Reflection.objects.filter(pk=pats.pk).update(created_at=NOW - timedelta(days=3))
        text = folded(shared_page(facilitator_client, world.tuesday, one))
        assert text.index("Kim wrote first.") < text.index("Pat wrote later.")
        # Written at the same moment: the one saved last comes first.
        sams = ReflectionFactory(user=world.sam, lesson=one, text="Sam wrote last.", shared=True)
        MembershipFactory(group=world.tuesday, user=world.sam)
        Reflection.objects.filter(pk__in=[kims.pk, pats.pk, sams.pk]).update(created_at=NOW)
        text = folded(shared_page(facilitator_client, world.tuesday, one))
        shown = [text.index(f"{name} wrote") for name in ("Sam", "Pat", "Kim")]
        assert shown == sorted(shown)

    def test_a_changed_date_shows_only_when_it_was_changed_on_another_day(
        self, world, facilitator_client
    ):
        one = world.lesson("one")
        kims = ReflectionFactory(user=world.kim, lesson=one, text="Kim's words.", shared=True)
        pats = ReflectionFactory(user=world.pat, lesson=one, text="Pat's words.", shared=True)
        three_days_ago = NOW - timedelta(days=3)
        Reflection.objects.filter(pk=kims.pk).update(
            created_at=three_days_ago, updated_at=three_days_ago
        )
        Reflection.objects.filter(pk=pats.pk).update(
            created_at=three_days_ago, updated_at=NOW - timedelta(days=1)
        )
        text = folded(shared_page(facilitator_client, world.tuesday, one))
        written = timezone.localdate(three_days_ago).strftime("%-d %B %Y")
        changed = timezone.localdate(NOW - timedelta(days=1)).strftime("%-d %B %Y")
        assert f"Kim ({world.kim.email}) · {written} Kim's words." in text
        assert f"Pat ({world.pat.email}) · {written}, changed {changed} Pat's words." in text

    def test_a_writer_without_a_name_shows_by_email_at_no_extra_cost(
        self, world, facilitator_client
    ):
        one = world.lesson("one")
        counts = []
        for user in (world.kim, world.pat):
            user.display_name = ""
            user.save()
            ReflectionFactory(user=user, lesson=one, text=f"Words of {user.email}.", shared=True)
            with CaptureQueriesContext(connection) as captured:
                text = folded(shared_page(facilitator_client, world.tuesday, one))
            counts.append(len(captured))
            assert f"{user.email} · " in text
        assert counts[0] == counts[1]

    def test_a_lesson_given_by_its_id_reads_the_same(self, world):
        one = world.lesson("one")
        ReflectionFactory(user=world.kim, lesson=one, shared=True)
        ReflectionFactory(user=world.kim, lesson=world.lesson("two"), shared=True)
        members = [world.kim.pk, world.pat.pk]
        by_lesson = list(shared_reflections(lesson=one, user_ids=members))
        assert list(shared_reflections(lesson=one.pk, user_ids=members)) == by_lesson
        assert len(by_lesson) == 1


class TestTheCountsTakeLessonsOrTheirIds:
    def test_the_summaries_read_the_same_from_lessons_or_their_ids(self, learning):
        lessons = [learning.lesson("one"), learning.lesson("two")]
        ids = [lesson.pk for lesson in lessons]
        members = [learning.pat.pk, learning.kim.pk, learning.noor.pk]
        for given in (lessons, ids):
            reflected = reflection_summary(lessons=given, user_ids=members)
            assert [
                (r.lesson_id, r.reflected, r.shared, r.parents) for r in reflected.values()
            ] == [
                (ids[0], 2, 1, 3),
                (ids[1], 0, 0, 3),
            ]
            checks = question_summary(lessons=given, user_ids=members)
            assert [(c.lesson_id, c.attempts) for c in checks.values()] == [
                (ids[0], 3),
                (ids[1], 0),
            ]

    def test_a_lessons_questions_come_in_their_order(self, world):
        two = world.lesson("two")
        later, sooner = add_questions(two, 2)
        later.position, sooner.position = 2, 1
        later.save()
        sooner.save()
        summary = question_summary(lessons=[two], user_ids=[world.pat.pk])[two.pk]
        assert [stats.question for stats in summary.questions] == [sooner, later]
