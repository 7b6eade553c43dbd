"""
Admins edit each language's text of a lesson, module and course in the admin beside the English
(courses/admin/translations.py): checked like a translation file, kept with versions in its
language, previewed as a parent reading it sees it, and never touching the English.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.admin.translation_forms import LessonTranslationForm
from courses.authoring import lesson_history
from courses.loader import CONTENT_DIR, course_load
from courses.loader_translations import (
    course_english,
    lesson_english,
    lesson_questions,
    lesson_status,
    module_english,
)
from courses.models import Choice, Course, Lesson, LessonVersion, Module, Question
from courses.translation import CURRENT, MISSING, OUT_OF_DATE, english_fingerprint
from courses.translation_edit import translation_status
from tests.conftest import logged_in
from tests.factories import ChoiceFactory, QuestionFactory, UserFactory
from tests.html_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(course):
    """Lesson one with an example for a baby and one question of two choices."""
    lesson = Lesson.objects.get(slug="one")
    lesson.example_baby = "Smile back when your baby smiles."
    lesson.save()
    question = QuestionFactory(lesson=lesson, text="Which is true?", position=1)
    ChoiceFactory(question=question, text="Right one", feedback="Yes.", is_correct=True, position=1)
    ChoiceFactory(question=question, text="Wrong one", feedback="Not quite.", position=2)
    return lesson


def edit_url(obj, language="es"):
    name = obj._meta.model_name
    return reverse(f"admin:courses_{name}_translation", args=[obj.pk, language])


def versions_url(lesson, language=""):
    url = reverse("admin:courses_lesson_versions", args=[lesson.pk])
    return f"{url}?language={language}" if language else url


def preview_url(lesson, language="es"):
    url = reverse("courses:lesson-preview", args=[lesson.module.course.slug, lesson.slug])
    return f"{url}?language={language}"


def seen(lesson):
    return english_fingerprint(lesson_english(lesson, lesson_questions(lesson)))


def spanish(lesson, **changes):
    """The lesson's translation form, filled in Spanish, as a browser posts it."""
    data = {
        "english_seen": seen(lesson),
        "title": "Lección uno",
        "summary": "De qué trata esta lección.",
        "body": "## Un encabezado\r\n\r\nUnas palabras *cálidas* sobre los niños.",
        "key_points": "Primera idea\r\nSegunda idea\r\n\r\nTercera idea",
        "practice": "Prueba una cosa pequeña esta semana.",
        "reflection_prompt": "¿Qué notaste?",
        "example_baby": "Devuelve la sonrisa cuando tu bebé sonríe.",
        "question_1": "¿Qué es cierto?",
        "question_1_choice_1": "La correcta",
        "question_1_feedback_1": "Sí.",
        "question_1_choice_2": "La otra",
        "question_1_feedback_2": "No del todo.",
        "note": "Primera traducción",
    }
    data.update(changes)
    return data


# Who may open it ------------------------------------------------------------------------------


def urls_of(lesson):
    module, course = lesson.module, lesson.module.course
    return [edit_url(lesson), edit_url(module), edit_url(course), versions_url(lesson, "es")]


def test_anonymous_people_parents_and_facilitators_are_sent_to_the_admin_login(
    client, parent, facilitator, lesson
):
    for browser in (client, logged_in(parent), logged_in(facilitator)):
        for url in urls_of(lesson):
            for response in (browser.get(url), browser.post(url, spanish(lesson))):
                assert response.status_code == 302, url
                assert response["Location"].startswith(reverse("admin:login"))
    assert lesson.translation("es") == {}


def test_staff_who_may_not_change_content_get_403(lesson):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_lesson", "view_module", "view_course"])
    )
    browser = logged_in(viewer)
    for url in urls_of(lesson)[:3]:
        assert browser.get(url).status_code == 403
        assert browser.post(url, spanish(lesson)).status_code == 403
    assert lesson.translation("es") == {}


def test_an_unknown_object_or_language_is_404(staff_client, lesson):
    for name in ("lesson", "module", "course"):
        url = reverse(f"admin:courses_{name}_translation", args=[99999, "es"])
        assert staff_client.get(url).status_code == 404
    for language in ("fr", "en-gb", "xx"):
        assert staff_client.get(edit_url(lesson, language)).status_code == 404
        assert staff_client.get(edit_url(lesson.module, language)).status_code == 404
    assert staff_client.get(versions_url(lesson, "fr")).status_code == 404
    assert staff_client.get(preview_url(lesson, "fr")).status_code == 404


def test_a_parent_cannot_preview_in_any_language(parent, lesson):
    assert logged_in(parent).get(preview_url(lesson)).status_code == 404


# Finding it ----------------------------------------------------------------------------------


def test_the_lesson_page_and_the_status_column_link_to_each_language(staff_client, lesson):
    html = staff_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content
    assert f'<a href="{edit_url(lesson)}">Español: edit translation</a>' in html.decode()
    html = staff_client.get(reverse("admin:courses_lesson_changelist")).content.decode()
    assert f'<a href="{edit_url(lesson)}">Español: missing</a>' in html
    for obj in (lesson.module, lesson.module.course):
        url = reverse(f"admin:courses_{obj._meta.model_name}_change", args=[obj.pk])
        assert edit_url(obj) in staff_client.get(url).content.decode()


def test_the_form_shows_the_english_beside_every_text_and_asks_only_for_what_it_has(
    staff_client, lesson
):
    html = staff_client.get(edit_url(lesson)).content.decode()
    for english in ("Lesson one", "Smile back when your baby smiles.", "Which is true?",
                    "Right one", "Not quite.", "First point\nSecond point"):  # fmt: skip
        assert english in html
    assert 'id="english_title" lang="en-GB"' in html
    assert 'lang="es"' in html and 'name="question_1_feedback_2"' in html
    assert 'name="example_toddler"' not in html  # the English has no toddler example
    assert "missing" in html
    assert "correct" not in html.lower().replace("correct the error", "")


# Saving --------------------------------------------------------------------------------------


def test_saving_keeps_the_spanish_beside_the_english_with_a_version_and_it_is_up_to_date(
    staff_client, staff, lesson, parent
):
    english_before = {name: getattr(lesson, name) for name in LessonVersion.TEXT_FIELDS}
    english_versions = lesson.versions.filter(language="").count()
    response = staff_client.post(edit_url(lesson), spanish(lesson))
    assert response.status_code == 302
    assert response["Location"] == edit_url(lesson)
    lesson.refresh_from_db()
    translated = lesson.translation("es")
    assert translated["title"] == "Lección uno"
    assert translated["key_points"] == "Primera idea\nSegunda idea\nTercera idea"
    assert translated["body"] == "## Un encabezado\n\nUnas palabras *cálidas* sobre los niños."
    assert "<h2>Un encabezado</h2>" in translated["body_html"]
    assert "<em>cálidas</em>" in translated["body_html"]
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == CURRENT
    question = Question.objects.get(lesson=lesson)
    assert question.translation("es") == {"text": "¿Qué es cierto?"}
    choices = list(question.choices.all())
    assert [c.translation("es") for c in choices] == [
        {"text": "La correcta", "feedback": "Sí."},
        {"text": "La otra", "feedback": "No del todo."},
    ]
    assert [c.is_correct for c in choices] == [True, False]
    version = lesson.versions.get(language="es")
    assert (version.title, version.created_by, version.note) == (
        "Lección uno",
        staff,
        "Primera traducción",
    )
    # The English is as it was.
    assert {name: getattr(lesson, name) for name in LessonVersion.TEXT_FIELDS} == english_before
    assert lesson.versions.filter(language="").count() == english_versions
    assert (question.text, choices[0].text) == ("Which is true?", "Right one")
    # The page says so, and a parent reading Spanish reads it.
    html = staff_client.get(response["Location"]).content.decode()
    assert "Saved the Español of “Lesson one”." in html and "up to date" in html
    parent.language = "es"
    parent.save(update_fields=["language"])
    page = logged_in(parent).get(reverse("courses:lesson", args=["circle", "one"]))
    page = page.content.decode()
    assert "Lección uno" in page and "Unas palabras" in page and "La otra" in page


def test_saving_again_unchanged_adds_no_version(staff_client, lesson):
    staff_client.post(edit_url(lesson), spanish(lesson))
    response = staff_client.post(edit_url(lesson), spanish(lesson), follow=True)
    assert "already says exactly this" in response.content.decode()
    assert lesson.versions.filter(language="es").count() == 1


def test_an_out_of_date_translation_is_up_to_date_once_saved_against_the_new_english(
    staff_client, lesson
):
    staff_client.post(edit_url(lesson), spanish(lesson))
    lesson.refresh_from_db()
    lesson.practice = "Try two small things this week."
    lesson.save()
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == OUT_OF_DATE
    html = staff_client.get(edit_url(lesson)).content.decode()
    assert "may be out of date" in html and "Try two small things" in html
    staff_client.post(
        edit_url(lesson), spanish(lesson, practice="Prueba dos cosas pequeñas esta semana.")
    )
    lesson.refresh_from_db()
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == CURRENT
    assert lesson.versions.filter(language="es").count() == 2


def english_changes(html):
    """The translation page's "What changed in the English" section."""
    start = html.index("What changed in the English")
    return html[start : html.index("</section>", start)]


def test_an_out_of_date_translation_shows_what_changed_in_the_english(staff_client, lesson):
    staff_client.post(edit_url(lesson), spanish(lesson))
    html = staff_client.get(edit_url(lesson)).content.decode()
    assert "What changed in the English" not in html  # up to date: nothing to show
    lesson.refresh_from_db()
    lesson.practice = "Try two small things this week."
    lesson.save()
    section = english_changes(staff_client.get(edit_url(lesson)).content.decode())
    assert '<del class="diff-removed">one</del>' in section
    assert '<ins class="diff-added">things</ins>' in section
    assert "Lesson text" not in section  # only the fields that changed
    # The Spanish saved again against the new English is up to date, and the changes go.
    staff_client.post(
        edit_url(lesson), spanish(lesson, practice="Prueba dos cosas pequeñas esta semana.")
    )
    assert "What changed in the English" not in staff_client.get(edit_url(lesson)).content.decode()


def test_english_changes_made_before_the_translation_are_not_shown(staff_client, lesson):
    lesson.practice = "Try two small things this week."
    lesson.save()
    staff_client.post(edit_url(lesson), spanish(lesson))
    lesson.refresh_from_db()
    lesson.summary = "A new summary."
    lesson.save()
    section = english_changes(staff_client.get(edit_url(lesson)).content.decode())
    assert "A new summary" in section and "two small things" not in section


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"key_points": "Sola idea"}, "The English has 3 key points"),
        ({"question_1_choice_2": ""}, "This field is required."),
        ({"example_baby": ""}, "This field is required."),
        ({"title": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_mistake_is_named_and_nothing_typed_is_lost_or_saved(
    staff_client, lesson, changes, message
):
    data = spanish(lesson, **changes)
    response = staff_client.post(edit_url(lesson), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Please correct the error below" in html
    for name in ("summary", "practice", "question_1_feedback_2", "note"):
        assert data[name] in html  # what the translator typed is still there
    lesson.refresh_from_db()
    assert lesson.translation("es") == {}
    assert not lesson.versions.filter(language="es").exists()
    assert not any(c.translations for c in Choice.objects.all())


def test_an_english_change_while_translating_is_shown_before_anything_is_saved(
    staff_client, lesson
):
    data = spanish(lesson)
    lesson.summary = "What this lesson is really about."
    lesson.save()
    response = staff_client.post(edit_url(lesson), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed the English while you were translating" in html
    assert "What this lesson is really about." in html and data["practice"] in html
    assert f'value="{seen(lesson)}"' in html
    lesson.refresh_from_db()
    assert lesson.translation("es") == {}
    # A mistake as well: both are said.
    html = staff_client.post(edit_url(lesson), {**data, "title": ""}).content.decode()
    assert "Someone changed the English" in html and "This field is required." in html
    # Saving again, having checked, saves.
    assert (
        staff_client.post(edit_url(lesson), {**data, "english_seen": seen(lesson)}).status_code
        == 302
    )


def test_the_page_reads_the_same_number_of_queries_however_many_questions(staff_client, lesson):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(edit_url(lesson)).status_code == 200
        return len(queries)

    one = count()
    for position in (2, 3, 4):
        question = QuestionFactory(lesson=lesson, position=position)
        ChoiceFactory.create_batch(3, question=question)
    assert count() == one


def test_saving_writes_the_same_number_of_queries_however_many_questions(staff_client, lesson):
    def saved(data):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.post(edit_url(lesson), data).status_code == 302
        return len(queries)

    one = saved(spanish(lesson))
    for position in (2, 3):
        question = QuestionFactory(lesson=lesson, position=position)
        ChoiceFactory.create_batch(2, question=question)
    data = spanish(lesson, title="Lección uno, otra vez")
    for number in (2, 3):
        data[f"question_{number}"] = f"Pregunta {number}"
        for slot in (1, 2):
            data[f"question_{number}_choice_{slot}"] = f"Opción {slot}"
            data[f"question_{number}_feedback_{slot}"] = "Porque sí."
    assert saved(data) == one


# Preview, versions and restore ----------------------------------------------------------------


def test_the_preview_shows_the_lesson_as_a_parent_reading_spanish_sees_it(staff_client, lesson):
    staff_client.post(edit_url(lesson), spanish(lesson), follow=True)
    html = staff_client.get(preview_url(lesson)).content.decode()
    assert '<html lang="es"' in html
    assert "Lección uno" in html and "<h2>Un encabezado</h2>" in html and "Primera idea" in html
    assert "Vista previa." in html  # the interface is in Spanish too
    assert "Lesson one" not in html and "Some <em>warm</em> words" not in html
    assert f'href="{edit_url(lesson)}"' in html  # "Edit this lesson" goes to the Spanish
    two = reverse("courses:lesson-preview", args=["circle", "two"])
    assert f'href="{two}?language=es"' in html  # next stays in Spanish
    english = staff_client.get(preview_url(lesson, "")).content.decode()
    assert "Lesson one" in english and "Lección uno" not in english


def test_a_preview_in_a_language_without_the_translation_shows_the_english_noted(
    staff_client, lesson
):
    html = staff_client.get(preview_url(lesson)).content.decode()
    assert "Esta lección aún no está en tu idioma" in html
    assert '<h1 lang="en-GB">Lesson one</h1>' in html


def test_the_versions_page_lists_one_language_at_a_time(staff_client, lesson):
    staff_client.post(edit_url(lesson), spanish(lesson))
    staff_client.post(edit_url(lesson), spanish(lesson, title="Lección primera", note=""))
    html = staff_client.get(versions_url(lesson, "es")).content.decode()
    assert '<del class="diff-removed">uno</del>' in html
    assert '<ins class="diff-added">primera</ins>' in html
    assert "Translation edited in the admin" in html and "Primera traducción" in html
    assert 'aria-current="page">Español</a>' in html
    assert 'lang="es"' in html
    english = staff_client.get(versions_url(lesson)).content.decode()
    assert "Lección" not in english
    assert f'href="{versions_url(lesson, "es")}"' in english


def test_restoring_a_spanish_version_puts_back_only_the_spanish(staff_client, staff, lesson):
    staff_client.post(edit_url(lesson), spanish(lesson))
    staff_client.post(edit_url(lesson), spanish(lesson, title="Lección primera"))
    older = lesson_history(lesson, "es")[1].version
    url = reverse("admin:courses_lesson_restore", args=[lesson.pk, older.pk])
    response = staff_client.post(url)
    assert response["Location"] == versions_url(lesson, "es")
    lesson.refresh_from_db()
    assert lesson.translation("es")["title"] == "Lección uno"
    assert lesson.title == "Lesson one"
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == CURRENT
    assert lesson.versions.filter(language="es").first().created_by == staff


# Modules and the course -----------------------------------------------------------------------


def test_a_module_s_title_and_summary_are_saved_in_spanish(staff_client, lesson):
    module = Module.objects.get(slug="first")
    module.summary = "Where it starts."
    module.save()
    html = staff_client.get(edit_url(module)).content.decode()
    assert "First module" in html and "Where it starts." in html
    data = {
        "english_seen": english_fingerprint(module_english(module)),
        "title": "Primer módulo",
        "summary": "",
    }
    response = staff_client.post(edit_url(module), data)
    assert "This field is required." in response.content.decode()
    data["summary"] = "Donde empieza."
    assert staff_client.post(edit_url(module), data).status_code == 302
    module.refresh_from_db()
    assert module.translation("es")["title"] == "Primer módulo"
    assert translation_status(module, "es", module_english(module)) == CURRENT
    assert module.title == "First module"


def test_the_course_description_is_rendered_and_its_glossary_text_kept(staff_client, course):
    course.translations = {"es": {"glossary_intro": "Palabras del curso."}}
    course.save()
    assert translation_status(course, "es", course_english(course)) == OUT_OF_DATE
    data = {
        "english_seen": english_fingerprint(course_english(course)),
        "title": "El círculo",
        "summary": "Un curso para pruebas.",
        "description": "Sobre este **curso**.",
    }
    assert staff_client.post(edit_url(course), data).status_code == 302
    course = Course.objects.get(pk=course.pk)
    translated = course.translation("es")
    assert translated["description_html"].strip() == "<p>Sobre este <strong>curso</strong>.</p>"
    assert translated["glossary_intro"] == "Palabras del curso."
    assert translation_status(course, "es", course_english(course)) == CURRENT
    assert course.description == "About this **course**."


def test_a_lesson_without_any_translation_is_missing(lesson):
    assert translation_status(lesson, "es", lesson_english(lesson, [])) == MISSING


# Markup ---------------------------------------------------------------------------------------


def english_changed_page(staff_client, lesson):
    """The lesson's Spanish page after an English edit (then the English back as it was)."""
    lesson.refresh_from_db()
    practice = lesson.practice
    lesson.practice = "Try two small things this week."
    lesson.save()
    html = staff_client.get(edit_url(lesson)).content.decode()
    assert "What changed in the English" in html
    lesson.practice = practice
    lesson.save()
    return html


@pytest.mark.html
def test_the_translation_pages_are_valid_html(staff_client, lesson):
    staff_client.post(edit_url(lesson), spanish(lesson))
    staff_client.post(edit_url(lesson), spanish(lesson, title="Lección primera"))
    documents = {
        "lesson": staff_client.get(edit_url(lesson)).content.decode(),
        "lesson, the English changed since": english_changed_page(staff_client, lesson),
        "lesson with errors": staff_client.post(
            edit_url(lesson), spanish(lesson, title="")
        ).content.decode(),
        "module": staff_client.get(edit_url(lesson.module)).content.decode(),
        "course": staff_client.get(edit_url(lesson.module.course)).content.decode(),
        "versions in Spanish": staff_client.get(versions_url(lesson, "es")).content.decode(),
        "preview in Spanish": staff_client.get(preview_url(lesson)).content.decode(),
    }
    assert validate(documents) == []


def test_every_shipped_spanish_lesson_opens_and_saves_unchanged(staff_client):
    """The admin's rules are the loader's: the Spanish we ship passes them as it is."""
    course_load(path=CONTENT_DIR / "circle-of-security")
    lessons = list(Lesson.objects.all())
    assert lessons
    for lesson in lessons:
        assert lesson_status(lesson, "es", lesson_questions(lesson)) == CURRENT, lesson.slug
        form = LessonTranslationForm(
            lesson=lesson, questions=lesson_questions(lesson), language="es"
        )
        data = {name: form.initial.get(name, "") for name in form.fields}
        bound = LessonTranslationForm(
            data, lesson=lesson, questions=lesson_questions(lesson), language="es"
        )
        assert bound.is_valid(), (lesson.slug, bound.errors)
    versions = lesson.versions.filter(language="es").count()
    response = staff_client.post(
        edit_url(lesson), {**data, "english_seen": seen(lesson)}, follow=True
    )
    assert "already says exactly this" in response.content.decode()
    assert lesson.versions.filter(language="es").count() == versions
