"""A person's own data: the JSON download and deleting the account."""

import json
from datetime import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import EXPORT_SECTIONS
from courses.checks import question_answer
from courses.models import (
    Certificate,
    Lesson,
    LessonProgress,
    PracticeNote,
    QuestionAttempt,
    Reflection,
)
from tests.conftest import logged_in
from tests.factories import (
    PASSWORD,
    CertificateFactory,
    LessonProgressFactory,
    MembershipFactory,
    ParentGroupFactory,
    PracticeNoteFactory,
    ReflectionFactory,
    add_questions,
)

pytestmark = pytest.mark.django_db

DOWNLOAD_URL = "/account/my-data/download/"
DELETE_URL = "/account/delete/"


@pytest.fixture
def records(parent, course):
    """Some of everything for the parent, and a reflection of someone else's."""
    one = Lesson.objects.get(slug="one")
    now = timezone.now()
    LessonProgressFactory(user=parent, lesson=one, started_at=now, completed_at=now)
    ReflectionFactory(user=parent, lesson=one, text="My own words", shared=True)
    PracticeNoteFactory(user=parent, lesson=one, tried="Tried waiting")
    question = add_questions(one, 1)[0]
    question_answer(user=parent, question=question, choice=question.choices.get(text="Wrong"))
    CertificateFactory(user=parent, course=course, code="ABCD-EFGH-JKMN-PQRS")
    ReflectionFactory(lesson=one, text="Someone else's words")
    return one


class TestDownload:
    def test_page_uses_the_account_pages_look_and_offers_both_actions(self, parent_client):
        html = parent_client.get(reverse("accounts:my-data")).content.decode()
        assert "Download my data" in html and "Delete my account" in html
        assert 'class="card' in html  # allauth's panel element, as on the other account pages

    def test_download_holds_everything_about_the_person_and_nothing_else(
        self, parent_client, parent, records
    ):
        response = parent_client.post(DOWNLOAD_URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="circle-course-')
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
        data = json.loads(response.content)
        assert data["account"]["email"] == "parent@example.com"
        assert data["account"]["name"] == "Pat"
        assert data["account"]["email_addresses"][0]["verified"] is True
        assert data["progress"][0]["lesson"] == "Lesson one"
        assert data["progress"][0]["completed_at"]
        assert data["reflections"] == [
            {
                "course": "The circle",
                "lesson": "Lesson one",
                "slug": "one",
                "text": "My own words",
                "shared": True,
                "created_at": data["reflections"][0]["created_at"],
                "updated_at": data["reflections"][0]["updated_at"],
            }
        ]
        assert data["practice_notes"][0]["what_i_tried"] == "Tried waiting"
        assert data["answers"][0]["answer"] == "Wrong" and data["answers"][0]["correct"] is False
        assert data["certificates"][0]["verification_code"] == "ABCD-EFGH-JKMN-PQRS"
        assert "Someone else" not in response.content.decode()
        assert "password" not in response.content.decode()

    def test_every_section_is_there(self, parent_client, records):
        data = json.loads(parent_client.post(DOWNLOAD_URL).content)
        expected = {"account", "groups", "progress", "reflections", "practice_notes", "answers"}
        assert expected | {"certificates"} <= set(data)
        assert set(EXPORT_SECTIONS) <= set(data)

    def test_download_query_count_does_not_grow(
        self, parent_client, parent, records, django_assert_max_num_queries
    ):
        # 13: a query per section (outcomes adds check-in answers, "not now" choices and
        # sessions attended; reminders its preferences and messages), the same with more data.
        with django_assert_max_num_queries(13):
            parent_client.post(DOWNLOAD_URL)
        lesson = Lesson.objects.get(slug="two")
        for _ in range(15):
            PracticeNoteFactory(user=parent, lesson=lesson)
            ReflectionFactory(user=parent)
            MembershipFactory(user=parent, group=ParentGroupFactory())
        with django_assert_max_num_queries(13):
            data = json.loads(parent_client.post(DOWNLOAD_URL).content)
        assert len(data["practice_notes"]) == 16
        assert len(data["groups"]) == 15

    def test_groups_in_the_file_and_on_the_page(self, parent_client, parent, second_parent):
        tuesday = ParentGroupFactory(name="Tuesday evening group")
        online = ParentGroupFactory(name="Online spring cohort", archived_at=timezone.now())
        other = ParentGroupFactory(name="Someone else's group")
        MembershipFactory(group=tuesday, user=parent)
        MembershipFactory(group=online, user=parent)
        MembershipFactory(group=other, user=second_parent)
        data = json.loads(parent_client.post(DOWNLOAD_URL).content)
        assert [(g["group"], g["course"], g["group_archived"]) for g in data["groups"]] == [
            ("Tuesday evening group", tuesday.course.title, False),
            ("Online spring cohort", online.course.title, True),
        ]
        joined = parent.memberships.get(group=tuesday).joined_at
        assert datetime.fromisoformat(data["groups"][0]["joined_at"]) == joined
        html = parent_client.get(reverse("accounts:my-data")).content.decode()
        today = timezone.localdate().strftime("%-d %B %Y")
        assert f"Tuesday evening group ({tuesday.course.title}), joined {today}" in html
        assert "Online spring cohort" in html and "closed this group" in html
        assert "Someone else" not in html

    def test_a_parent_without_groups_is_told_so(self, parent_client):
        html = parent_client.get(reverse("accounts:my-data")).content.decode()
        assert "You are not in a group." in html
        assert json.loads(parent_client.post(DOWNLOAD_URL).content)["groups"] == []

    def test_get_is_not_allowed(self, parent_client):
        assert parent_client.get(DOWNLOAD_URL).status_code == 405

    def test_visitor_is_sent_to_log_in(self, client):
        for response in (client.get(reverse("accounts:my-data")), client.post(DOWNLOAD_URL)):
            assert response["Location"].startswith(reverse("account_login"))


class TestDeleteAccount:
    def test_the_page_explains_and_asks_for_the_password(self, parent_client):
        html = parent_client.get(DELETE_URL).content.decode()
        assert "It cannot be undone" in html or "for good" in html
        assert 'type="password"' in html and 'for="id_password"' in html
        # Everything that goes, the other apps' records too, as "My data" lists them.
        assert "any reflection you shared: your facilitators will no longer see it" in html
        assert "Your check-in answers, if you gave any" in html
        assert "The group sessions you were marked present at." in html

    def test_a_wrong_password_deletes_nothing_and_says_so(self, parent_client, parent, records):
        response = parent_client.post(DELETE_URL, {"password": "not it"})
        assert response.status_code == 200
        assert "That password is not right." in response.content.decode()
        assert User.objects.filter(pk=parent.pk).exists()

    def test_guessing_the_password_is_paused_after_five_tries(
        self, parent_client, parent, second_parent
    ):
        """As allauth limits password changes: someone at an unlocked screen cannot guess on."""
        for _ in range(5):
            assert parent_client.post(DELETE_URL, {"password": "a guess"}).status_code == 200
        response = parent_client.post(DELETE_URL, {"password": PASSWORD})
        assert response.status_code == 429
        assert "Please wait a moment" in response.content.decode()
        assert User.objects.filter(pk=parent.pk).exists()
        # The limit is the person's: another parent can still delete their own account.
        other = logged_in(second_parent)
        assert other.post(DELETE_URL, {"password": PASSWORD}).status_code == 302

    def test_a_missing_password_is_asked_for(self, parent_client, parent):
        response = parent_client.post(DELETE_URL, {})
        assert "Please type your password to confirm." in response.content.decode()
        assert User.objects.filter(pk=parent.pk).exists()

    def test_deleting_removes_the_person_and_their_records_but_not_the_content(
        self, parent_client, parent, records, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = parent_client.post(DELETE_URL, {"password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("circle:home")
        assert not User.objects.filter(pk=parent.pk).exists()
        assert not EmailAddress.objects.filter(email="parent@example.com").exists()
        for model in (LessonProgress, PracticeNote, QuestionAttempt, Certificate):
            assert not model.objects.exists(), model
        assert list(Reflection.objects.values_list("text", flat=True)) == ["Someone else's words"]
        assert Lesson.objects.filter(pk=records.pk).exists()
        assert records.questions.get().choices.count() == 3
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["parent@example.com"]
        assert "deleted" in mail.outbox[0].subject

    def test_after_deleting_the_person_is_logged_out(self, parent_client, parent):
        parent_client.post(DELETE_URL, {"password": PASSWORD})
        response = parent_client.get(reverse("courses:dashboard"))
        assert response["Location"].startswith(reverse("account_login"))
        home = parent_client.get(reverse("circle:home")).content.decode()
        assert "Log in" in home

    def test_the_verification_page_of_a_deleted_persons_certificate_is_gone(
        self, client, parent_client, parent, records
    ):
        parent_client.post(DELETE_URL, {"password": PASSWORD})
        assert client.get("/certificates/ABCD-EFGH-JKMN-PQRS/").status_code == 404

    def test_visitor_is_sent_to_log_in(self, client):
        response = client.post(DELETE_URL, {"password": PASSWORD})
        assert response["Location"].startswith(reverse("account_login"))
