"""The facilitator's group report and its CSV export."""

import csv
import io
import re
import tracemalloc
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.groups import group_archive, membership_remove
from accounts.models import Membership, User
from accounts.personal_data import account_delete
from courses import reports
from courses.checks import question_answer
from courses.models import Lesson, LessonProgress, QuestionAttempt, Reflection
from courses.reports import REPORT_PAGE_SIZE
from tests.conftest import PRIVATE_MARKER, SHARED_MARKER, logged_in
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
    add_questions,
)

pytestmark = pytest.mark.django_db

REPORT_BUDGET = 10  # DESIGN.md: a group report, whatever the group's size


def report_url(group):
    return reverse("courses:facilitator-report", args=[group.pk])


def csv_url(group):
    return reverse("courses:facilitator-report-csv", args=[group.pk])


def shared_url(group, lesson):
    return reverse("courses:facilitator-shared-reflections", args=[group.pk, lesson.pk])


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def progress(group, parent, second_parent):
    """Pat finished lesson one and started lesson two; Kim joined and has done nothing."""
    Membership.objects.create(group=group, user=second_parent)
    one, two = Lesson.objects.filter(slug__in=["one", "two"]).order_by("position")
    now = timezone.now()
    LessonProgressFactory(
        user=parent,
        lesson=one,
        started_at=now - timedelta(days=9),
        last_seen_at=now - timedelta(days=9),
        completed_at=now - timedelta(days=9),
    )
    LessonProgressFactory(
        user=parent,
        lesson=two,
        started_at=now - timedelta(days=9),
        last_seen_at=now - timedelta(days=9),
    )
    return group


class TestReportPage:
    def test_one_row_per_parent_and_one_column_per_lesson(self, facilitator_client, progress):
        response = facilitator_client.get(report_url(progress))
        report = response.context["report"]
        assert [str(row.member) for row in report.rows] == ["Kim", "Pat"]
        assert [column.lesson.slug for column in report.columns] == ["one", "two", "three"]
        assert [len(module.columns) for module in report.modules] == [2, 1]
        kim, pat = report.rows
        assert pat.statuses == ["done", "in_progress", "not_started"]
        assert kim.statuses == ["not_started"] * 3
        assert (pat.done, pat.percent) == (1, 33)
        assert [column.percent for column in report.columns] == [50, 0, 0]
        assert [column.started for column in report.columns] == [1, 1, 0]

    def test_inactivity_is_worded_gently(self, facilitator_client, progress):
        html = unescape(facilitator_client.get(report_url(progress)).content.decode())
        assert "Hasn't visited in 9 days" in html
        assert "Has not started yet" in html
        assert "1 parent hasn't visited for a week or more" in html
        for harsh in ["overdue", "fail", "behind", "alert-danger", "text-danger"]:
            assert harsh not in html.lower()

    def test_cells_say_their_status_in_words_for_screen_readers(self, facilitator_client, progress):
        html = facilitator_client.get(report_url(progress)).content.decode()
        assert '<span class="visually-hidden">Done</span>' in html
        assert '<span class="visually-hidden">In progress</span>' in html
        assert '<span class="visually-hidden">Not started</span>' in html
        assert '">Pat</a><span class="d-block small fw-normal report-email">' in html

    def test_names_are_escaped_in_the_rows(self, facilitator_client, group, parent):
        parent.display_name = '<img src=x onerror="alert(1)"> & Pat'
        parent.save()
        html = facilitator_client.get(report_url(group)).content.decode()
        assert "<img src=x" not in html
        assert '">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Pat</a>' in html

    def test_two_parents_of_the_same_name_are_told_apart_by_their_email(
        self, facilitator_client, group, parent, second_parent
    ):
        second_parent.display_name = parent.display_name
        second_parent.save()
        MembershipFactory(group=group, user=second_parent)
        html = facilitator_client.get(report_url(group)).content.decode()
        assert html.count('">Pat</a><span') == 2
        for person in (parent, second_parent):
            assert (
                f'<span class="d-block small fw-normal report-email">{person.email}</span>' in html
            )

    def test_names_with_accents_sort_where_people_look_for_them(
        self, facilitator_client, group, parent
    ):
        """
        Élodie among the Es, not after Zoë: on the group page, the report and the CSV alike
        (accounts/names.py), the CSV paged one member at a time to check its keyset paging
        follows the same order. PostgreSQL's ICU order; SQLite keeps its plain one.
        """
        if connection.vendor != "postgresql":
            pytest.skip("ICU collation is PostgreSQL's (set DATABASE_URL)")
        parent.display_name = "Zoë"
        parent.save()
        for name in ("Élodie", "emma", "Åsa", "Bea"):
            MembershipFactory(group=group, user=UserFactory(display_name=name))
        expected = ["Åsa", "Bea", "Élodie", "emma", "Zoë"]

        def in_page(html):
            return sorted(expected, key=lambda name: html.index(f">{name}<"))

        page = facilitator_client.get(reverse("accounts:facilitator-group", args=[group.pk]))
        assert [m.user.display_name for m in page.context["members"]] == expected
        assert in_page(facilitator_client.get(report_url(group)).content.decode()) == expected
        text = "".join(reports.report_csv_lines(group=group, chunk_size=1))
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert [row[0] for row in rows[1:6]] == expected

    def test_recent_visit_reads_as_a_visit(self, facilitator_client, group, parent):
        LessonProgressFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
        html = facilitator_client.get(report_url(group)).content.decode()
        assert "Visited today" in html

    def test_unpublished_lessons_and_other_courses_stay_out(self, facilitator_client, progress):
        LessonProgressFactory(user=progress.members.first(), lesson=LessonFactory())
        response = facilitator_client.get(report_url(progress))
        slugs = [column.lesson.slug for column in response.context["report"].columns]
        assert "hidden" not in slugs and len(slugs) == 3

    def test_parents_of_other_groups_stay_out(self, facilitator_client, progress):
        outsider = User.objects.create_user(email="elsewhere@example.com", display_name="Zed")
        Membership.objects.create(group=ParentGroupFactory(course=progress.course), user=outsider)
        html = facilitator_client.get(report_url(progress)).content.decode()
        assert "Zed" not in html

    def test_in_spanish_every_percentage_is_written_the_one_spanish_way(
        self, facilitator, progress
    ):
        facilitator.language = "es"
        facilitator.save(update_fields=["language"])
        html = logged_in(facilitator).get(report_url(progress)).content.decode()
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
        assert "1 (33 %)" in text  # Pat's row
        assert "Todo el grupo 16 % 50 % 0 % 0 %" in text  # the whole group's line
        assert "de media, 16 % hecho" in text
        assert re.findall(r"\d%", text) == []

    def test_empty_group_says_so(self, facilitator_client, group, parent):
        Membership.objects.filter(user=parent).delete()
        html = facilitator_client.get(report_url(group)).content.decode()
        assert "Nobody has joined yet" in html


class TestCsvExport:
    def test_csv_streams_the_same_numbers_as_the_page(self, facilitator_client, progress):
        report = facilitator_client.get(report_url(progress)).context["report"]
        response = facilitator_client.get(csv_url(progress))
        assert response["Content-Type"] == "text/csv"
        assert response["Content-Disposition"].startswith('attachment; filename="Tuesday-evening')
        header, *rows, totals, reflected = read_csv(response)
        assert header[:7] == [
            "Parent", "Email", "Joined", "Lessons done", "Completion (%)", "Last activity", "Note",
        ]  # fmt: skip
        assert header[7:] == ["1.1 Lesson one", "1.2 Lesson two", "2.1 Lesson three"]
        assert len(rows) == len(report.rows)
        # The same words as the page and the course outline (courses.progress.STATUS_LABELS).
        labels = {"done": "Done", "in_progress": "In progress", "not_started": "Not started"}
        for line, row in zip(rows, report.rows, strict=True):
            assert line[0] == str(row.member)
            assert line[1] == row.member.email
            assert int(line[3]) == row.done
            assert int(line[4]) == row.percent
            assert line[6] == row.activity_note
            assert line[7:] == [labels[status] for status in row.statuses]
        assert int(totals[4]) == report.average_percent
        assert [int(value) for value in totals[7:]] == [c.percent for c in report.columns]
        assert reflected[0] == "Whole group: parents who reflected"
        assert [int(v) for v in reflected[7:]] == [c.reflections.reflected for c in report.columns]

    def test_names_cannot_smuggle_spreadsheet_formulas(self, facilitator_client, group, parent):
        parent.display_name = '=HYPERLINK("http://evil.example","click")'
        parent.save()
        _, row, _, _ = read_csv(facilitator_client.get(csv_url(group)))
        assert row[0].startswith("'=")


def build_group(parents, lessons_per_module=4, modules=3):
    """
    A group of `parents` parents on a fresh course, each with progress on a few lessons, a
    reflection on each lesson they opened (every third one shared), and two answers to each
    question of those lessons (one wrong, one right). Every module is on the group's plan.
    """
    facilitator = UserFactory(role=User.Role.FACILITATOR)
    course = CourseFactory()
    lessons = []
    for m in range(modules):
        module = ModuleFactory(course=course, position=m)
        lessons += [LessonFactory(module=module, position=p) for p in range(lessons_per_module)]
    group = ParentGroupFactory(course=course, facilitators=[facilitator])
    for module in course.modules.all():
        AssignmentFactory(group=group, module=module, due_on=timezone.localdate())
    # Each question with its two answers a parent gives: a wrong one, then the right one.
    questions = {
        lesson.pk: [
            (question, sorted(question.choices.all(), key=lambda c: c.is_correct)[1:])
            for question in add_questions(lesson, 2)
        ]
        for lesson in lessons
    }
    users = User.objects.bulk_create(
        User(email=f"bulk{i}-{group.pk}@example.com", display_name=f"Parent {i}")
        for i in range(parents)
    )
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in users)
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        LessonProgress(
            user=user,
            lesson=lesson,
            started_at=now,
            last_seen_at=now,
            completed_at=now if (i + j) % 2 else None,
        )
        for i, user in enumerate(users)
        for j, lesson in enumerate(lessons[: i % len(lessons)])
    )
    Reflection.objects.bulk_create(
        Reflection(user=user, lesson=lesson, text=f"Words {i}.{j}", shared=(i + j) % 3 == 0)
        for i, user in enumerate(users)
        for j, lesson in enumerate(lessons[: i % len(lessons)])
    )
    QuestionAttempt.objects.bulk_create(
        QuestionAttempt(user=user, question=question, choice=choice, is_correct=choice.is_correct)
        for i, user in enumerate(users)
        for lesson in lessons[: i % len(lessons)]
        for question, answers in questions[lesson.pk]
        for choice in answers
    )
    return group, facilitator


@pytest.mark.parametrize("parents", [5, 200])
class TestQueriesDoNotGrow:
    @pytest.mark.parametrize("language", ["en-gb", "es"])
    def test_report_page(self, parents, language, django_assert_max_num_queries):
        group, facilitator = build_group(parents)
        # In Spanish every lesson's and module's title is read in the page's language too.
        facilitator.language = language
        facilitator.save(update_fields=["language"])
        browser = logged_in(facilitator)
        url = report_url(group)
        with django_assert_max_num_queries(REPORT_BUDGET):
            response = browser.get(url)
        report = response.context["report"]
        # The table shows a page of parents; the summary counts the whole group.
        assert len(report.rows) == min(parents, REPORT_PAGE_SIZE)
        assert report.member_count == parents
        # The data is really there, so the budget covers reflections, sharing and answers.
        assert report.shared_count > 0
        assert sum(column.reflections.reflected for column in report.columns) > 0
        assert sum(column.checks.attempts for column in report.columns) > 0
        assert all(module.assignment is not None for module in report.modules)

    def test_csv_export(self, parents, django_assert_max_num_queries):
        group, facilitator = build_group(parents)
        browser = logged_in(facilitator)
        url = csv_url(group)
        with django_assert_max_num_queries(REPORT_BUDGET):
            lines = read_csv(browser.get(url))
        assert len(lines) == parents + 3


def test_report_query_count_is_the_same_at_forty_times_the_parents(db):
    counts = []
    for parents, lessons in [(5, 2), (200, 10)]:
        group, facilitator = build_group(parents, lessons_per_module=lessons)
        browser = logged_in(facilitator)
        url = report_url(group)
        with CaptureQueriesContext(connection) as captured:
            browser.get(url)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= REPORT_BUDGET


def folded(response):
    """The page's HTML with its whitespace folded, as a reader sees the sentences."""
    return " ".join(unescape(response.content.decode()).split())


def page_text(browser, group):
    return folded(browser.get(report_url(group)))


def shared_text(browser, group, slug="one"):
    """The shared reflections page of one lesson, folded."""
    response = browser.get(shared_url(group, Lesson.objects.get(slug=slug)))
    assert response.status_code == 200
    return folded(response)


def csv_text(browser, group):
    return b"".join(browser.get(csv_url(group)).streaming_content).decode("utf-8-sig")


class TestReflectionsInTheReport:
    def test_each_lesson_says_how_many_parents_reflected(self, facilitator_client, reflections):
        html = page_text(facilitator_client, reflections)
        assert html.count("2 of 2 parents reflected on this lesson") == 1
        assert html.count("1 of 2 parents reflected on this lesson") == 1
        assert html.count("0 of 2 parents reflected on this lesson") == 1

    def test_the_report_counts_shared_reflections_and_links_to_them(
        self, facilitator_client, reflections
    ):
        html = page_text(facilitator_client, reflections)
        assert "2 of 2 parents reflected on this lesson, 1 shared with you" in html
        link = shared_url(reflections, Lesson.objects.get(slug="one"))
        assert f'<a href="{link}">Read the 1 shared reflection</a>' in html
        assert html.count("Read the") == 1  # no link for a lesson with nothing shared
        assert "Parents shared 1 reflection with the group's facilitators" in html
        # The words themselves are on the lesson's own page, not on the report.
        assert SHARED_MARKER not in html

    def test_shared_reflection_shows_its_words_writer_lesson_and_date(
        self, facilitator_client, reflections
    ):
        html = shared_text(facilitator_client, reflections)
        assert SHARED_MARKER in html
        assert "Pat" in html and "Lesson one" in html
        today = timezone.localdate()
        assert f'<time datetime="{today.isoformat()}">{today.strftime("%-d %B %Y")}</time>' in html
        assert "changed" not in html

    def test_private_reflections_are_nowhere_on_the_page(self, facilitator_client, reflections):
        response = facilitator_client.get(report_url(reflections))
        assert PRIVATE_MARKER not in response.content.decode()
        assert PRIVATE_MARKER not in repr(response.context["report"])
        for slug in ["one", "two", "three"]:
            lesson = Lesson.objects.get(slug=slug)
            response = facilitator_client.get(shared_url(reflections, lesson))
            assert PRIVATE_MARKER not in response.content.decode()
            assert PRIVATE_MARKER not in repr(response.context["page"].object_list)

    def test_private_reflections_are_nowhere_in_the_csv(self, facilitator_client, reflections):
        assert PRIVATE_MARKER not in csv_text(facilitator_client, reflections)

    def test_csv_carries_counts_but_not_even_shared_words(self, facilitator_client, reflections):
        *_, reflected = read_csv(facilitator_client.get(csv_url(reflections)))
        assert reflected[7:] == ["2", "1", "0"]
        assert SHARED_MARKER not in csv_text(facilitator_client, reflections)

    def test_a_reflection_made_private_again_leaves_the_report(
        self, facilitator_client, reflections, parent
    ):
        Reflection.objects.filter(user=parent, shared=True).update(shared=False)
        html = page_text(facilitator_client, reflections)
        assert "No parent has shared a reflection yet" in html
        assert "2 of 2 parents reflected on this lesson" in html  # still counted
        assert "1 shared with you" not in html and "Read the" not in html
        assert SHARED_MARKER not in shared_text(facilitator_client, reflections)

    def test_a_parent_who_leaves_takes_their_shared_words_and_their_row_along(
        self, facilitator_client, reflections, parent
    ):
        membership_remove(group=reflections, user=parent)
        html = page_text(facilitator_client, reflections)
        assert SHARED_MARKER not in shared_text(facilitator_client, reflections)
        assert "1 shared with you" not in html
        assert '<th scope="row" class="report-name">Pat</th>' not in html
        assert "1 of 1 parent reflected on this lesson" in html
        assert ",parent@example.com," not in csv_text(facilitator_client, reflections)

    def test_a_deleted_account_disappears_from_the_report_and_the_csv(
        self, facilitator_client, reflections, parent
    ):
        account_delete(user=parent)
        html = page_text(facilitator_client, reflections)
        assert SHARED_MARKER not in shared_text(facilitator_client, reflections)
        assert "1 shared with you" not in html
        assert '<th scope="row" class="report-name">Pat</th>' not in html
        lines = read_csv(facilitator_client.get(csv_url(reflections)))
        assert [line[0] for line in lines[1:-2]] == ["Kim"]

    def test_another_groups_facilitator_never_sees_the_shared_words(
        self, reflections, second_facilitator, parent
    ):
        other = ParentGroupFactory(course=reflections.course, facilitators=[second_facilitator])
        browser = logged_in(second_facilitator)
        assert SHARED_MARKER not in page_text(browser, other)
        assert SHARED_MARKER not in shared_text(browser, other)
        assert browser.get(report_url(reflections)).status_code == 404
        assert browser.get(csv_url(reflections)).status_code == 404
        lesson = Lesson.objects.get(slug="one")
        assert browser.get(shared_url(reflections, lesson)).status_code == 404

    def test_an_archived_group_keeps_counts_but_no_longer_shows_shared_words(
        self, facilitator_client, reflections
    ):
        group_archive(group=reflections)
        html = page_text(facilitator_client, reflections)
        assert "This group is archived" in html
        assert "2 of 2 parents reflected on this lesson" in html
        assert "1 shared with you" not in html and "Read the" not in html
        html = shared_text(facilitator_client, reflections)
        assert SHARED_MARKER not in html
        assert "This group is archived" in html


class TestKnowledgeChecksInTheReport:
    def test_each_lesson_shows_how_the_group_did_and_the_most_missed_question(
        self, facilitator_client, group, parent, second_parent
    ):
        Membership.objects.create(group=group, user=second_parent)
        lesson = Lesson.objects.get(slug="one")
        easy, hard = add_questions(lesson, 2)
        hard.text = "When a child is upset, what helps first?"
        hard.save()
        for person in (parent, second_parent):
            question_answer(user=person, question=easy, choice=easy.choices.get(text="Right"))
            question_answer(user=person, question=hard, choice=hard.choices.get(text="Wrong"))
            question_answer(user=person, question=hard, choice=hard.choices.get(text="Right"))
        html = page_text(facilitator_client, group)
        assert "Knowledge check (2 questions): 6 answers, 2 of 4 first tries right." in html
        assert "Most often missed at first: “When a child is upset, what helps first?”" in html
        assert "(2 of 2 parents)" in html
        assert "Knowledge check" not in html.split("Lesson two")[1].split("Lesson three")[0]

    def test_no_answers_yet_is_said_plainly_and_no_grades_per_parent(
        self, facilitator_client, group, parent
    ):
        add_questions(Lesson.objects.get(slug="one"), 1)
        html = page_text(facilitator_client, group)
        assert "Knowledge check (1 question): nobody has answered yet." in html
        row = html.split('">Pat</a>')[1].split("</tr>")[0]
        assert "right" not in row.lower() and "answer" not in row.lower()
        header = read_csv(facilitator_client.get(csv_url(group)))[0]
        assert not any("answer" in cell.lower() or "right" in cell.lower() for cell in header)


def csv_peak_memory(browser, group):
    """Python's peak allocation while the CSV of `group` is produced and read, in bytes."""
    tracemalloc.start()
    try:
        for _ in browser.get(csv_url(group)).streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_csv_memory_does_not_grow_with_the_group(db, monkeypatch):
    # Pages of 50 members, so a 50-parent group is one page and a 500-parent one is ten: the
    # export holds one page at a time, so ten times the parents must not cost ten times the
    # memory (before streaming by pages it was about 3 KB per parent).
    monkeypatch.setattr(reports.export, "CSV_CHUNK", 50)
    peaks = {}
    for parents in (50, 500):
        group, facilitator = build_group(parents)
        browser = logged_in(facilitator)
        read_csv(browser.get(csv_url(group)))  # warm caches and imports outside the measure
        peaks[parents] = csv_peak_memory(browser, group)
    assert peaks[500] < 2 * peaks[50]


class TestOneParentsProgress:
    def url(self, group, person):
        return reverse("courses:facilitator-member-progress", args=[group.pk, person.pk])

    def test_a_phone_sized_page_of_one_parents_lessons(self, facilitator_client, progress, parent):
        html = facilitator_client.get(report_url(progress)).content.decode()
        assert f'href="{self.url(progress, parent)}"' in html  # the name in the table links it
        page = facilitator_client.get(self.url(progress, parent))
        text = page.content.decode()
        assert "Module 1: First module" in text and "Lesson one" in text
        assert "✓ Done" in text and "Not started" in text
        assert parent.email in text
        # The way back starts where every facilitator page's does.
        assert f'<a href="{reverse("accounts:facilitator-groups")}">My groups</a>' in text

    def test_a_parent_of_another_group_or_who_left_is_not_found(self, facilitator_client, progress):
        elsewhere = UserFactory()
        MembershipFactory(user=elsewhere, group=ParentGroupFactory(course=progress.course))
        assert facilitator_client.get(self.url(progress, elsewhere)).status_code == 404
        member = progress.memberships.first().user
        progress.memberships.all().delete()
        assert facilitator_client.get(self.url(progress, member)).status_code == 404

    def test_it_shows_no_reflection_words(self, facilitator_client, progress, parent):
        ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"), text="Secret words")
        text = facilitator_client.get(self.url(progress, parent)).content.decode()
        assert "Secret words" not in text
