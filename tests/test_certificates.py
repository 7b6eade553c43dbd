"""Certificates: earned by finishing every published lesson; printed; verified by code."""

import re

import pytest
from django.urls import reverse

from courses.certificates import (
    CODE_ALPHABET,
    certificate_code_normalise,
    certificate_issue_if_earned,
)
from courses.models import Certificate, Lesson
from tests.conftest import logged_in
from tests.factories import CertificateFactory, CourseFactory

pytestmark = pytest.mark.django_db

CERTIFICATE_URL = "/courses/circle/certificate/"


def complete(client, slug):
    return client.post(
        reverse("courses:lesson-complete", args=["circle", slug]), {"complete": "yes"}
    )


def finish_course(client):
    for slug in ["one", "two", "three"]:
        response = complete(client, slug)
    return response


class TestEarning:
    def test_finishing_the_last_lesson_issues_a_certificate_and_says_so(
        self, parent_client, parent, course
    ):
        complete(parent_client, "one")
        complete(parent_client, "two")
        assert not Certificate.objects.exists()
        complete(parent_client, "three")
        certificate = Certificate.objects.get(user=parent)
        assert certificate.course == course
        assert certificate.name == "Pat"
        group = f"[{CODE_ALPHABET}]{{4}}"
        assert re.fullmatch(rf"({group}-){{3}}{group}", certificate.code)
        html = parent_client.get(reverse("courses:lesson", args=["circle", "three"])).content
        assert b"Your certificate is ready" in html

    def test_unpublished_lessons_are_not_needed(self, parent_client, parent, course):
        finish_course(parent_client)  # "hidden" stays undone
        assert Certificate.objects.filter(user=parent).exists()

    def test_issuing_again_keeps_the_first_certificate(self, parent_client, parent, course):
        finish_course(parent_client)
        first = Certificate.objects.get(user=parent)
        complete(parent_client, "three")
        assert certificate_issue_if_earned(user=parent, course=course) == first
        assert Certificate.objects.filter(user=parent).count() == 1

    def test_codes_differ_between_parents(self, client, parent, second_parent, course):
        for person in (parent, second_parent):
            client.force_login(person)
            finish_course(client)
        codes = set(Certificate.objects.values_list("code", flat=True))
        assert len(codes) == 2

    def test_not_finished_shows_a_kind_not_yet_page(self, parent_client, course):
        complete(parent_client, "one")
        response = parent_client.get(CERTIFICATE_URL)
        assert response.status_code == 200
        assert "Your certificate is on its way" in response.content.decode()
        assert "1 of 3 lessons done" in response.content.decode()
        assert not Certificate.objects.exists()

    def test_parent_who_finished_earlier_gets_it_when_they_open_the_page(
        self, parent_client, parent, course
    ):
        finish_course(parent_client)
        Certificate.objects.all().delete()
        response = parent_client.get(CERTIFICATE_URL)
        assert response.status_code == 200
        assert Certificate.objects.filter(user=parent).count() == 1

    def test_course_page_and_dashboard_link_to_it(self, parent_client, course):
        finish_course(parent_client)
        course_html = parent_client.get(reverse("courses:course", args=["circle"])).content
        assert CERTIFICATE_URL.encode() in course_html
        dashboard = parent_client.get(reverse("courses:dashboard")).content.decode()
        assert "My certificates" in dashboard and CERTIFICATE_URL in dashboard


class TestCertificatePage:
    def test_page_shows_name_course_date_and_code(self, parent_client, parent, course):
        finish_course(parent_client)
        certificate = Certificate.objects.get(user=parent)
        html = parent_client.get(CERTIFICATE_URL).content.decode()
        assert "Pat" in html and "The circle" in html and certificate.code in html
        assert certificate.completed_on.strftime("%-d %B %Y") in html
        assert reverse("courses:certificate-verify", args=[certificate.code]) in html
        assert "d-print-none" in html  # the name form and intro are left off the print

    def test_parent_changes_the_printed_name(self, parent_client, parent, course):
        finish_course(parent_client)
        response = parent_client.post(CERTIFICATE_URL, {"name": "  Pat Smith  "})
        assert response.status_code == 302
        assert Certificate.objects.get(user=parent).name == "Pat Smith"

    def test_an_empty_name_is_refused_with_a_message(self, parent_client, parent, course):
        finish_course(parent_client)
        response = parent_client.post(CERTIFICATE_URL, {"name": " "})
        assert "Please give the name to print." in response.content.decode()
        assert Certificate.objects.get(user=parent).name == "Pat"

    def test_another_parent_sees_only_their_own_not_yet_page(
        self, client, parent, second_parent, course
    ):
        client.force_login(parent)
        finish_course(client)
        code = Certificate.objects.get(user=parent).code
        client.force_login(second_parent)
        response = client.get(CERTIFICATE_URL)
        assert code not in response.content.decode()
        client.post(CERTIFICATE_URL, {"name": "Hacked"})
        assert Certificate.objects.get(user=parent).name == "Pat"

    def test_visitor_is_sent_to_log_in(self, client, course):
        assert client.get(CERTIFICATE_URL)["Location"].startswith(reverse("account_login"))

    def test_unknown_course_is_not_found(self, parent_client, course):
        assert parent_client.get("/courses/nope/certificate/").status_code == 404

    def test_print_styles_fit_a4_and_letter(self):
        from django.conf import settings

        css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
        print_css = css[css.index("Certificates: one page") :]
        assert "@page { margin: 15mm; }" in print_css
        assert "max-width: 180mm" in print_css and "height: 235mm" in print_css


class TestVerification:
    def test_anyone_with_the_code_sees_only_name_course_and_date(self, client, parent, course):
        certificate = CertificateFactory(user=parent, course=course, name="Pat Smith")
        response = client.get(reverse("courses:certificate-verify", args=[certificate.code]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Pat Smith" in html and "The circle" in html
        assert certificate.completed_on.strftime("%-d %B %Y") in html
        assert parent.email not in html
        assert response["X-Robots-Tag"] == "noindex"

    def test_a_code_typed_in_lower_case_without_dashes_is_found(self, client, course):
        certificate = CertificateFactory(course=course, code="ABCD-EFGH-JKMN-PQRS")
        response = client.get(reverse("courses:certificate-verify", args=["abcdefghjkmnpqrs"]))
        assert response.status_code == 200
        assert certificate_code_normalise("abcd efgh-jkmn pqrs") == certificate.code

    def test_an_unknown_code_is_not_found(self, client, course):
        CertificateFactory(course=course, code="ABCD-EFGH-JKMN-PQRS")
        assert client.get(reverse("courses:certificate-verify", args=["ABCD"])).status_code == 404
        response = client.get(reverse("courses:certificate-verify", args=["ZZZZ-ZZZZ-ZZZZ-ZZZZ"]))
        assert response.status_code == 404

    def test_a_certificate_keeps_its_course_from_deletion(self, parent, course):
        from django.db.models import ProtectedError

        other = CourseFactory()
        CertificateFactory(user=parent, course=other)
        with pytest.raises(ProtectedError):
            other.delete()


def test_new_lessons_after_finishing_do_not_take_the_certificate_away(
    parent_client, parent, course
):
    finish_course(parent_client)
    Lesson.objects.filter(slug="hidden").update(is_published=True)
    assert parent_client.get(CERTIFICATE_URL).status_code == 200
    assert Certificate.objects.filter(user=parent).exists()


def test_the_course_page_links_the_certificate_its_reader_holds_and_no_other(
    parent_client, parent, second_parent, course
):
    """Read with the course row (courses.progress: has_certificate), for its reader only."""
    finish_course(parent_client)
    Lesson.objects.filter(slug="hidden").update(is_published=True)  # not complete any more
    course_page = reverse("courses:course", args=["circle"])
    assert CERTIFICATE_URL in parent_client.get(course_page).content.decode()
    # Another parent: nothing done, and a certificate of another course only.
    CertificateFactory(user=second_parent, course=CourseFactory(slug="other"))
    other = logged_in(second_parent).get(course_page).content.decode()
    assert CERTIFICATE_URL not in other and "See your certificate" not in other
