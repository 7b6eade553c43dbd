"""Every page, as the server sends it, is valid HTML (Nu HTML Checker)."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from courses import reports
from courses.checks import question_answer
from courses.loader import CONTENT_DIR, course_load
from courses.models import Lesson, Module
from tests.conftest import logged_in
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    ParentGroupFactory,
    PracticeNoteFactory,
    ReflectionFactory,
    add_questions,
)
from tests.html_validator import validate

pytestmark = [pytest.mark.django_db, pytest.mark.html]


@pytest.fixture(autouse=True, params=["en-gb", "es"])
def page_language(request, settings):
    """Every page is checked in English and in Spanish (the site's language for the test)."""
    settings.LANGUAGE_CODE = request.param
    return request.param


ANONYMOUS_PAGES = [
    "/",
    "/about/",
    "/courses/",
    "/courses/circle/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
PARENT_PAGES = [
    "/dashboard/",
    "/courses/circle/",
    "/courses/circle/one/",
    "/courses/circle/three/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/account/",
]


def test_pages_are_valid_html(client, parent, course, page_language):
    documents = {}
    for url in ANONYMOUS_PAGES:
        documents[f"anonymous {url}"] = client.get(url).content.decode()
    browser = logged_in(parent)
    browser.post(reverse("courses:lesson-complete", args=["circle", "one"]), {"complete": "yes"})
    for url in PARENT_PAGES:
        response = browser.get(url)
        assert response.status_code == 200, url
        documents[f"parent {url}"] = response.content.decode()
    with translation.override(page_language):
        documents["500"] = render_to_string("500.html")
        documents["503"] = render_to_string("503.html")
    strict = Client(enforce_csrf_checks=True)
    documents["csrf failure"] = strict.post("/accounts/login/").content.decode()
    lang = {"en-gb": '<html lang="en-GB">', "es": '<html lang="es">'}[page_language]
    assert all(lang in html for html in documents.values())
    assert validate(documents) == []


def test_a_form_with_errors_is_valid_html(client):
    response = client.post("/accounts/signup/", {"email": "nope", "password1": "x"})
    assert validate({"signup with errors": response.content.decode()}) == []


def test_the_plan_and_a_practice_note_with_every_error_showing_are_valid_html(
    facilitator_client, parent_client, parent, group
):
    module = Module.objects.filter(course=group.course).first()
    plan = facilitator_client.post(
        reverse("courses:facilitator-assignments", args=[group.pk]),
        {f"m{module.pk}-opens_on": "2030-03-08", f"m{module.pk}-due_on": "2030-03-04"},
    )
    note = PracticeNoteFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
    edit = parent_client.post(
        reverse("courses:practice-note-edit", args=[note.pk]),
        {"noted_on": "2999-01-01", "tried": ""},
    )
    documents = {
        "plan with errors": plan.content.decode(),
        "note with errors": edit.content.decode(),
    }
    assert 'id="plan-problems"' in documents["plan with errors"]
    assert documents["note with errors"].count("invalid-feedback") >= 2
    assert validate(documents) == []


def test_group_report_and_my_data_with_everything_in_them_are_valid_html(
    facilitator_client, parent_client, parent, second_parent, group, monkeypatch
):
    monkeypatch.setattr(reports.shared, "SHARED_PER_PAGE", 1)  # so the page has a "next" link
    MembershipFactory(group=group, user=second_parent)
    lesson = Lesson.objects.get(slug="one")
    question = add_questions(lesson, 1)[0]
    question_answer(user=parent, question=question, choice=question.choices.get(text="Wrong"))
    ReflectionFactory(user=parent, lesson=lesson, text="Shared <words>\n\nand more", shared=True)
    ReflectionFactory(user=second_parent, lesson=lesson, text="Kim's words", shared=True)
    report = facilitator_client.get(reverse("courses:facilitator-report", args=[group.pk]))
    shared_url = reverse("courses:facilitator-shared-reflections", args=[group.pk, lesson.pk])
    documents = {
        "group report": report.content.decode(),
        "shared reflections": facilitator_client.get(shared_url).content.decode(),
        "shared reflections, last page": facilitator_client.get(
            shared_url, {"page": 2}
        ).content.decode(),
        "my data": parent_client.get(reverse("accounts:my-data")).content.decode(),
    }
    for html in documents.values():
        assert not re.search(r"\sstyle=|<style|<script(?![^>]*\bsrc=)", html)
    assert 'rel="next"' in documents["shared reflections"]
    assert "Shared &lt;words&gt;" in documents["shared reflections, last page"]
    assert validate(documents) == []


def test_every_parent_and_facilitator_page_is_valid_html(
    facilitator_client, parent_client, parent, group
):
    """The pages the journeys do not reach, with something in them to show."""
    lesson = Lesson.objects.get(slug="one")
    reflection = ReflectionFactory(user=parent, lesson=lesson, text="My own words.")
    note = PracticeNoteFactory(user=parent, lesson=lesson)
    for slug in ["one", "two", "three"]:
        url = reverse("courses:lesson-complete", args=["circle", slug])
        parent_client.post(url, {"complete": "yes"})
    parent_pages = [
        reverse("courses:journal"),
        reverse("courses:reflection-delete", args=[reflection.pk]),
        reverse("courses:practice-note-edit", args=[note.pk]),
        reverse("courses:practice-note-delete", args=[note.pk]),
        reverse("courses:certificate", args=["circle"]),
        reverse("accounts:groups"),
        reverse("accounts:join"),
        reverse("accounts:leave", args=[group.pk]),
        reverse("accounts:delete"),
    ]
    facilitator_pages = [
        reverse("accounts:facilitator-groups"),
        reverse("accounts:facilitator-group-new"),
        reverse("accounts:facilitator-group", args=[group.pk]),
        reverse("courses:facilitator-assignments", args=[group.pk]),
        reverse("accounts:facilitator-member-remove", args=[group.pk, parent.pk]),
        # The empty state (the full one is in the test above).
        reverse("courses:facilitator-shared-reflections", args=[group.pk, lesson.pk]),
    ]
    documents = {}
    for browser, urls in [(parent_client, parent_pages), (facilitator_client, facilitator_pages)]:
        for url in urls:
            response = browser.get(url)
            assert response.status_code == 200, url
            documents[url] = response.content.decode()
    code = parent.certificates.get().code
    documents["certificate check"] = (
        Client().get(reverse("courses:certificate-verify", args=[code])).content.decode()
    )
    assert validate(documents) == []


def test_lesson_extras_glossary_handout_and_locked_module_are_valid_html(client, parent, staff):
    """Issue 14's pages and parts, with everything in them: the real course, an age picked."""
    course_load(path=CONTENT_DIR / "circle-of-security")
    parent.set_child_age("toddler")
    browser = logged_in(parent)
    urls = {
        "lesson, bottom of the circle": "/courses/circle-of-security/being-with/",
        "lesson, the hands": "/courses/circle-of-security/the-hands/",
        "lesson, whole circle": "/courses/circle-of-security/good-enough-together/",
        "glossary": "/courses/circle-of-security/glossary/",
        "handout": "/courses/circle-of-security/modules/embracing-imperfection/handout/",
        "course": "/courses/circle-of-security/",
        "account": "/account/",
    }
    documents = {}
    for name, url in urls.items():
        response = browser.get(url)
        assert response.status_code == 200, url
        documents[name] = response.content.decode()
    documents["glossary, visitor"] = client.get(urls["glossary"]).content.decode()
    refused = browser.post(reverse("accounts:child-age"), {"child_age": "teen"})
    assert refused.status_code == 400
    documents["child's age with an error"] = refused.content.decode()
    preview = logged_in(staff).get(
        reverse("courses:lesson-preview", args=["circle-of-security", "being-with"])
    )
    documents["preview"] = preview.content.decode()

    module = Module.objects.get(slug="embracing-imperfection")
    group = ParentGroupFactory(course=module.course)
    MembershipFactory(group=group, user=parent)
    AssignmentFactory(group=group, module=module, opens_on=timezone.localdate() + timedelta(days=3))
    locked = browser.get(urls["handout"])
    assert locked.status_code == 403
    documents["locked module"] = locked.content.decode()
    for html in documents.values():
        assert not re.search(r"\sstyle=|<style|<script(?![^>]*\bsrc=)", html)
    assert validate(documents) == []
