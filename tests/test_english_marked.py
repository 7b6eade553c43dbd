"""
On a page in Spanish, a title shown in English (it has no translation) sits in an element
marked lang="en-GB", so a screen reader says it in English; a translated title does not. Checked
on every list and link that names a lesson, module or course, for a parent and a facilitator.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from courses.models import Course, Lesson, Module
from tests.conftest import logged_in
from tests.factories import CertificateFactory, PracticeNoteFactory, ReflectionFactory

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class LangOfText(HTMLParser):
    """The language each piece of the body's text is in: its nearest element's lang."""

    def __init__(self):
        super().__init__()
        self.stack, self.pieces, self.in_body = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        self.stack.append((tag, lang or (self.stack[-1][1] if self.stack else None)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_body and data.strip():
            self.pieces.append((data, self.stack[-1][1] if self.stack else None))


def langs_of(html, text):
    """The languages of the body's text pieces holding `text` (a set; empty if none)."""
    parser = LangOfText()
    parser.feed(html)
    return {lang for data, lang in parser.pieces if text in data}


def assert_marked(html, english=(), spanish=()):
    for text in english:
        assert langs_of(html, text) == {"en-GB"}, text
    for text in spanish:
        assert langs_of(html, text) == {"es"}, text


@pytest.fixture
def spanish(course):
    """Lesson one, the first module and the course in Spanish; lesson two and three not."""
    rows = [
        (Lesson.objects.get(slug="one"), {"title": "Lección uno", "body": "Hola."}),
        (Module.objects.get(slug="first"), {"title": "Primer módulo"}),
        (Course.objects.get(slug="circle"), {"title": "El círculo"}),
    ]
    for row, values in rows:
        row.set_translation("es", values)
        row.save()


def speaking_spanish(person):
    person.language = "es"
    person.save(update_fields=["language"])
    return logged_in(person)


def test_the_dashboard_marks_an_english_lesson_and_module(parent, group, spanish):
    browser = speaking_spanish(parent)
    browser.post(reverse("courses:lesson-complete", args=["circle", "one"]), {"complete": "yes"})
    html = browser.get(reverse("courses:dashboard")).content.decode()
    # Resuming at lesson two (English); the modules' progress bars name both modules.
    assert_marked(html, english=["Lesson two", "Second module"], spanish=["Primer módulo"])
    assert "El círculo" in html and "The circle" not in html


def test_the_journal_marks_the_english_lesson_of_a_reflection_and_a_note(parent, spanish):
    for slug in ("one", "two"):
        ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug=slug), text=f"On {slug}")
    PracticeNoteFactory(user=parent, lesson=Lesson.objects.get(slug="three"))
    html = speaking_spanish(parent).get(reverse("courses:journal")).content.decode()
    assert_marked(html, english=["Lesson two", "Lesson three"], spanish=["Lección uno"])


def test_the_lesson_page_s_previous_and_next_links_mark_an_english_title(parent, spanish):
    browser = speaking_spanish(parent)
    html = browser.get(reverse("courses:lesson", args=["circle", "two"])).content.decode()
    assert_marked(html, english=["Lesson three", "Lesson two"], spanish=["Lección uno"])
    assert 'rel="next">Siguiente: <span lang="en-GB">Lesson three</span>' in html
    html = browser.get(reverse("courses:lesson", args=["circle", "one"])).content.decode()
    assert_marked(html, english=["Lesson two"], spanish=["Lección uno", "Primer módulo"])


def test_the_course_page_marks_english_lessons_and_modules(parent, spanish):
    html = speaking_spanish(parent).get(reverse("courses:course", args=["circle"]))
    html = html.content.decode()
    assert_marked(
        html,
        english=["Lesson two", "Lesson three", "Second module"],
        spanish=["Lección uno", "Primer módulo", "El círculo"],
    )


def test_the_certificate_marks_a_course_title_only_when_it_is_english(parent, course, spanish):
    CertificateFactory(user=parent, course=course)
    browser = speaking_spanish(parent)
    url = reverse("courses:certificate", args=["circle"])
    assert_marked(browser.get(url).content.decode(), spanish=["El círculo"])
    course.translations = {}
    course.save()
    assert_marked(browser.get(url).content.decode(), english=["The circle"])


def test_the_facilitator_s_progress_report_marks_english_lessons_and_modules(
    facilitator, group, spanish
):
    url = reverse("courses:facilitator-report", args=[group.pk])
    html = speaking_spanish(facilitator).get(url).content.decode()
    assert_marked(
        html,
        english=["Lesson two", "Lesson three", "Second module"],
        spanish=["Lección uno", "Primer módulo", "El círculo"],
    )


def test_an_english_page_marks_nothing(parent, group, spanish):
    browser = logged_in(parent)
    for url in (
        reverse("courses:dashboard"),
        reverse("courses:course", args=["circle"]),
        reverse("courses:lesson", args=["circle", "two"]),
    ):
        html = browser.get(url).content.decode()
        assert "Lesson two" in html and 'lang="en-GB"' not in html.split("<body", 1)[1], url
