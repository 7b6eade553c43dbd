"""
Content in two languages (courses/translation.py): translations loaded from NAME.es.md beside
the English and checked like it, shown in the page's language with the English (noted and
marked lang="en-GB") where there is none, kept through export and import, and never touching
what a parent did.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.language import in_language
from courses.exporter import course_files
from courses.loader import CONTENT_DIR, course_load
from courses.loader_translations import lesson_questions, lesson_status
from courses.models import Lesson, LessonProgress, Question, Reflection
from courses.translation import CURRENT, MISSING, OUT_OF_DATE, git_blob_hash
from outcomes.models import Checkin, SessionGuide
from tests.conftest import logged_in
from tests.factories import ParentGroupFactory

pytestmark = pytest.mark.django_db

LESSON = """---
slug: first-steps
title: First steps
circle_place: exploration
minutes: 5
summary: A first lesson.
key_points:
  - One point.
  - Two points.
practice: Try one thing.
questions:
  - text: Which is right?
    choices:
      - text: This one
        correct: true
        feedback: Yes, well done.
      - text: That one
        feedback: Not quite.
---
The English body.
"""

SPANISH = """---
translated_from: {source}
title: Primeros pasos
summary: Una primera lección.
key_points:
  - Una idea.
  - Dos ideas.
practice: Prueba una cosa.
questions:
  - text: ¿Cuál es la correcta?
    choices:
      - text: Esta
        feedback: Sí, muy bien.
      - text: Aquella
        feedback: No del todo.
---
El texto en español.
"""


@pytest.fixture
def folder(tmp_path):
    """A small course, in Spanish too: two lessons, the first with its Spanish beside it."""
    root = tmp_path / "small"
    (root / "01-start").mkdir(parents=True)
    (root / "course.md").write_text("---\nslug: small\ntitle: Small course\n---\nAbout it.\n")
    (root / "course.es.md").write_text(
        "---\ntranslated_from: x\ntitle: Curso pequeño\n---\nSobre él.\n"
    )
    (root / "01-start" / "module.md").write_text("---\nslug: start\ntitle: Starting\n---\n")
    (root / "01-start" / "module.es.md").write_text(
        "---\ntranslated_from: x\ntitle: Empezar\n---\n"
    )
    english = root / "01-start" / "01-first-steps.md"
    english.write_text(LESSON)
    (root / "01-start" / "01-first-steps.es.md").write_text(
        SPANISH.format(source=git_blob_hash(english.read_bytes()))
    )
    (root / "01-start" / "02-second.md").write_text(
        LESSON.replace("first-steps", "second").replace("First steps", "Second step")
    )
    return root


def spanish_file(folder):
    return folder / "01-start" / "01-first-steps.es.md"


# Loading --------------------------------------------------------------------------------------


def test_a_translation_loads_beside_the_english_with_its_questions_and_is_up_to_date(folder):
    report = course_load(path=folder)
    lesson = Lesson.objects.get(slug="first-steps")
    spanish = lesson.translation("es")
    assert spanish["title"] == "Primeros pasos"
    assert spanish["body_html"].strip() == "<p>El texto en español.</p>"  # rendered once, here
    assert spanish["key_points"] == "Una idea.\nDos ideas."
    question = Question.objects.get(lesson=lesson)
    assert question.translation("es") == {"text": "¿Cuál es la correcta?"}
    choices = list(question.choices.all())
    assert choices[0].translation("es")["feedback"] == "Sí, muy bien."
    assert choices[0].is_correct  # the right answer comes from the English only
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == CURRENT
    second = Lesson.objects.get(slug="second")
    assert lesson_status(second, "es", lesson_questions(second)) == MISSING
    assert not Lesson.objects.filter(slug__endswith=".es").exists()
    assert lesson.versions.filter(language="es").count() == 1
    assert "lesson first-steps" in report.created
    assert not course_load(path=folder).has_changes  # loading again changes nothing


def test_a_translation_of_an_older_english_or_an_english_edit_makes_it_out_of_date(folder):
    course_load(path=folder)
    lesson = Lesson.objects.get(slug="first-steps")
    lesson.body = "The English body, changed in the admin."
    lesson.save()
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == OUT_OF_DATE
    spanish_file(folder).write_text(SPANISH.format(source="0123abc"))
    course_load(path=folder)
    lesson.refresh_from_db()
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == OUT_OF_DATE


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace("translated_from: ", "old_hash: "), "translated_from"),
        (lambda text: text.replace("title: Primeros", "slug: x\ntitle: Primeros"), "'slug'"),
        (
            lambda text: text.replace("feedback: Sí", "correct: true\n        feedback: Sí"),
            "correct",
        ),
        (lambda text: text.replace("  - Dos ideas.\n", ""), "key_points has 1 items"),
        (
            lambda text: text.replace(
                "      - text: Aquella\n        feedback: No del todo.\n", ""
            ),
            "1 choices; the English has 2",
        ),
        (lambda text: text.replace("questions:", "minutes: 3\nquestions:"), "'minutes'"),
        (lambda text: text.replace("title: Primeros pasos\n", ""), "missing title"),
        (lambda text: text.replace("---\nEl texto", "title: [broken\n---\nEl texto"), "front"),
    ],
)
def test_a_bad_translation_is_refused_naming_its_file_and_nothing_is_loaded(
    folder, change, message
):
    path = spanish_file(folder)
    path.write_text(change(path.read_text()))
    with pytest.raises(ValidationError) as error:
        course_load(path=folder)
    assert "01-first-steps.es.md" in str(error.value)
    assert message in str(error.value)
    assert not Lesson.objects.exists()


def test_a_translation_missing_the_translated_from_line_is_refused(folder):
    path = spanish_file(folder)
    path.write_text(
        "\n".join(line for line in path.read_text().split("\n")[1:] if "trans" not in line)
    )
    path.write_text("---\n" + path.read_text())
    with pytest.raises(ValidationError, match="translated_from"):
        course_load(path=folder)


def test_the_real_check_in_and_guides_load_their_spanish():
    course_load(path=CONTENT_DIR / "circle-of-security")
    checkin = Checkin.objects.get()
    spanish = checkin.translation("es")
    assert spanish["title"] == "Tu cuestionario como madre o padre"
    assert spanish["statements"]["trust-myself"][1].startswith("Cuando mi hijo o hija")
    assert spanish["source"]["english"]  # it translates the English as it is
    assert all(guide.translation("es")["agenda"] for guide in SessionGuide.objects.all())


# Export and import ----------------------------------------------------------------------------


def test_export_writes_every_language_and_loads_back_unchanged(folder, tmp_path):
    course_load(path=folder)
    course = Lesson.objects.get(slug="first-steps").module.course
    files = dict(course_files(course=course))
    spanish = files["01-start/01-first-steps.es.md"]
    english = files["01-start/01-first-steps.md"]
    assert f"translated_from: {git_blob_hash(english)}" in spanish
    assert "Primeros pasos" in spanish and "correct:" not in spanish and "slug:" not in spanish
    assert "01-start/module.es.md" in files and "01-start/02-second.es.md" not in files
    out = tmp_path / "exported"
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    assert not course_load(path=out).has_changes
    lesson = Lesson.objects.get(slug="first-steps")
    assert lesson_status(lesson, "es", lesson_questions(lesson)) == CURRENT


# Display --------------------------------------------------------------------------------------


def lesson_url(slug):
    return reverse("courses:lesson", args=["small", slug])


@pytest.fixture
def spanish_parent(parent):
    parent.language = "es"
    parent.save(update_fields=["language"])
    return parent


def test_a_spanish_parent_reads_the_lesson_in_spanish(folder, spanish_parent):
    course_load(path=folder)
    html = logged_in(spanish_parent).get(lesson_url("first-steps")).content.decode()
    for text in ("Primeros pasos", "El texto en español", "Dos ideas.", "Prueba una cosa.",
                 "¿Cuál es la correcta?", "Aquella"):  # fmt: skip
        assert text in html
    assert "The English body" not in html and "aún no está en" not in html
    # Only the link to the next lesson, which has no translation, is English (and marked).
    assert html.count('lang="en-GB"') == 1 and '<span lang="en-GB">Second step</span>' in html


def test_a_lesson_without_a_translation_is_shown_in_english_with_a_note(folder, spanish_parent):
    course_load(path=folder)
    html = logged_in(spanish_parent).get(lesson_url("second")).content.decode()
    assert "Esta lección aún no está en tu idioma; aquí la tienes en inglés." in html
    assert '<h1 lang="en-GB">Second step</h1>' in html
    assert '<div class="lesson-body" lang="en-GB">' in html
    assert '<html lang="es"' in html  # the interface stays Spanish


def test_an_english_parent_reads_english_without_a_note(folder, parent):
    course_load(path=folder)
    html = logged_in(parent).get(lesson_url("first-steps")).content.decode()
    assert "First steps" in html and "Primeros pasos" not in html
    assert 'lang="en-GB"' not in html.split("<body", 1)[1]


def test_the_course_page_and_outline_name_lessons_and_modules_in_spanish(folder, spanish_parent):
    course_load(path=folder)
    html = logged_in(spanish_parent).get(reverse("courses:course", args=["small"])).content.decode()
    assert "Primeros pasos" in html and "Empezar" in html
    assert 'lang="en-GB">Second step</a>' in html  # the untranslated one, marked


def test_switching_language_halfway_keeps_progress_and_reflections(folder, spanish_parent):
    course_load(path=folder)
    client = logged_in(spanish_parent)
    client.post(
        reverse("courses:lesson-complete", args=["small", "first-steps"]), {"complete": "yes"}
    )
    Reflection.objects.create(
        user=spanish_parent, lesson=Lesson.objects.get(slug="first-steps"), text="Mis palabras"
    )
    spanish_parent.language = "en-gb"
    spanish_parent.save(update_fields=["language"])
    html = logged_in(spanish_parent).get(lesson_url("first-steps")).content.decode()
    assert "First steps" in html and "Mis palabras" in html
    assert LessonProgress.objects.get(user=spanish_parent).completed_at is not None


# The check-in and the session guides ----------------------------------------------------------


def test_the_check_in_is_answered_in_spanish(spanish_parent):
    course_load(path=CONTENT_DIR / "circle-of-security")
    url = reverse("outcomes:checkin-answer", args=["circle-of-security", "start"])
    html = logged_in(spanish_parent).get(url).content.decode()
    assert "Tu cuestionario como madre o padre" in html
    assert "puedo mantener la calma" in html and "No se parece nada a mí" in html
    assert 'lang="en-GB"' not in html.split("<body", 1)[1]


def test_a_check_in_statement_edited_in_english_is_shown_in_english_marked(spanish_parent):
    course_load(path=CONTENT_DIR / "circle-of-security")
    statement = Checkin.objects.get().statements.get(key="breath-first")
    statement.text = "In a hard moment, I can take a slow breath first."
    statement.save()
    url = reverse("outcomes:checkin-answer", args=["circle-of-security", "start"])
    html = logged_in(spanish_parent).get(url).content.decode()
    assert 'lang="en-GB">2. In a hard moment' in html or "In a hard moment" in html
    assert "puedo mantener la calma" in html


def test_the_session_guide_is_in_the_facilitator_s_language(facilitator, parent):
    course_load(path=CONTENT_DIR / "circle-of-security")
    guide = SessionGuide.objects.order_by("module__position").first()
    group = ParentGroupFactory(course=guide.module.course, facilitators=[facilitator])
    facilitator.language = "es"
    facilitator.save(update_fields=["language"])
    url = reverse("outcomes:session-guide", args=[group.pk, guide.module.pk])
    html = logged_in(facilitator).get(url).content.decode()
    assert "Da la bienvenida a cada persona" in html
    facilitator.language = "en-gb"
    facilitator.save(update_fields=["language"])
    html = logged_in(facilitator).get(url).content.decode()
    assert "Da la bienvenida" not in html


def test_text_for_email_follows_the_recipient_s_language(folder):
    course_load(path=folder)
    module = Lesson.objects.get(slug="first-steps").module
    with in_language("es"):
        assert module.tr("title") == "Empezar"
    with in_language("en-gb"):
        assert module.tr("title") == "Starting"


# Admin ----------------------------------------------------------------------------------------


def test_staff_see_per_language_which_lessons_lack_a_translation_or_may_be_out_of_date(
    folder, staff_client
):
    course_load(path=folder)
    html = staff_client.get(reverse("admin:courses_lesson_changelist")).content.decode()
    assert "Español: up to date" in html and "Español: missing" in html
    lesson = Lesson.objects.get(slug="first-steps")
    lesson.practice = "Try one new thing."
    lesson.save()
    html = staff_client.get(reverse("admin:courses_lesson_changelist")).content.decode()
    assert "Español: may be out of date" in html


def test_versions_keep_languages_apart_and_a_spanish_restore_never_touches_the_english(folder):
    from courses.authoring import lesson_history, lesson_version_restore

    course_load(path=folder)
    lesson = Lesson.objects.get(slug="first-steps")
    lesson.set_translation("es", {**lesson.translation("es"), "title": "Primeros pasos, otra vez"})
    lesson.save(update_fields=["translations"])
    spanish = lesson_history(lesson, "es")
    assert [entry.version.title for entry in spanish] == [
        "Primeros pasos, otra vez",
        "Primeros pasos",
    ]
    assert [entry.version.title for entry in lesson_history(lesson)] == ["First steps"]
    assert lesson_version_restore(version=spanish[1].version, user=None)
    lesson.refresh_from_db()
    assert lesson.title == "First steps"
    assert lesson.translation("es")["title"] == "Primeros pasos"


def test_markdown_is_rendered_when_a_translation_is_set_not_on_every_save(course, monkeypatch):
    """Reordering a lesson saves no translation; setting one renders only its own Markdown."""
    import courses.translation

    lesson = Lesson.objects.get(slug="one")
    lesson.set_translation("es", {"title": "Uno", "body": "Hola *mundo*"})
    lesson.set_translation("fr", {"title": "Un", "body": "Bonjour"})
    lesson.save()
    assert lesson.translation("es")["body_html"].strip() == "<p>Hola <em>mundo</em></p>"
    rendered = []
    real = courses.translation.render_markdown
    monkeypatch.setattr(
        courses.translation, "render_markdown", lambda text: rendered.append(text) or real(text)
    )
    lesson.position = 5
    lesson.save(update_fields=["position"])
    lesson.save()
    assert rendered == []
    lesson.set_translation("es", {"title": "Uno", "body": "Hola otra vez"})
    assert rendered == ["Hola otra vez"]
    lesson.save()
    lesson.refresh_from_db()
    assert lesson.translation("es")["body_html"].strip() == "<p>Hola otra vez</p>"
    assert lesson.translation("fr")["body_html"].strip() == "<p>Bonjour</p>"
