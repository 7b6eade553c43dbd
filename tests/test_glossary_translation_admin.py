"""
Admins edit a course's glossary in each language in the admin, beside the English, as a
glossary.<language>.md file gives it (courses/admin/glossary_translation.py): checked like the
file, kept with the fingerprint of the English it translates, shown to parents reading that
language, and never touching the English.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.admin.translation_forms import GlossaryTranslationForm
from courses.glossary import GlossaryTerm
from courses.loader import CONTENT_DIR, course_load
from courses.loader_translations import glossary_english
from courses.models import Course, Lesson
from courses.translation import CURRENT, MISSING, OUT_OF_DATE, english_fingerprint
from courses.translation_edit import glossary_translation_status
from tests.conftest import logged_in
from tests.factories import GlossaryTermFactory, UserFactory
from tests.html_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary(course):
    """Two terms and an introduction; lesson one uses the first."""
    course.glossary_intro = "Words the course uses."
    course.save()
    first = GlossaryTermFactory(
        course=course,
        slug="safe-haven",
        term="Safe haven",
        forms="safe haven\nsafe havens",
        definition="Where a child comes back to when upset.",
        position=1,
    )
    second = GlossaryTermFactory(
        course=course,
        slug="repair",
        term="Repair",
        forms="repair",
        definition="Making things right after a rupture.",
        position=2,
    )
    lesson = Lesson.objects.get(slug="one")
    lesson.body = "Be a safe haven for your child."
    lesson.set_translation("es", {"body": "Sé un refugio seguro para tu hijo."})
    lesson.save()
    return course, first, second


def edit_url(course, language="es"):
    return reverse("admin:courses_course_glossary_translation", args=[course.pk, language])


def terms_of(course):
    return list(course.glossary_terms.order_by("position", "id"))


def seen(course):
    return english_fingerprint(glossary_english(course, terms_of(course)))


def spanish(course, first, second, **changes):
    """The glossary's translation form, filled in Spanish, as a browser posts it."""
    data = {
        "english_seen": seen(course),
        "glossary_intro": "Palabras que usa el curso.",
        f"term_{first.pk}": "Refugio seguro",
        f"forms_{first.pk}": "Refugio Seguro\r\nrefugios  seguros",
        f"definition_{first.pk}": "Adonde vuelve un niño cuando está mal.",
        f"term_{second.pk}": "Reparar",
        f"forms_{second.pk}": "reparar",
        f"definition_{second.pk}": "Arreglar las cosas después de una ruptura.",
    }
    data.update(changes)
    return data


# Who may open it -----------------------------------------------------------------------------


def test_anonymous_people_parents_and_facilitators_are_sent_to_the_admin_login(
    client, parent, facilitator, glossary
):
    course, first, second = glossary
    for browser in (client, logged_in(parent), logged_in(facilitator)):
        for response in (
            browser.get(edit_url(course)),
            browser.post(edit_url(course), spanish(*glossary)),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
    assert not any(term.translations for term in terms_of(course))


def test_staff_who_may_not_change_courses_get_403(glossary):
    course = glossary[0]
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename="view_course"))
    browser = logged_in(viewer)
    assert browser.get(edit_url(course)).status_code == 403
    assert browser.post(edit_url(course), spanish(*glossary)).status_code == 403
    assert not any(term.translations for term in terms_of(course))


def test_an_unknown_course_or_language_is_404(staff_client, glossary):
    course = glossary[0]
    assert staff_client.get(edit_url(Course(pk=99999))).status_code == 404
    for language in ("fr", "en-gb", "xx"):
        assert staff_client.get(edit_url(course, language)).status_code == 404


# Finding and reading it ------------------------------------------------------------------------


def test_the_course_page_links_to_the_glossary_in_each_language(staff_client, glossary):
    course = glossary[0]
    page = staff_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    html = page.content.decode()
    assert "Español: edit the glossary&#x27;s translation" in html
    assert edit_url(course) in html
    # A course without a glossary has nothing of it to translate.
    bare = Course.objects.create(slug="bare", title="No glossary here")
    page = staff_client.get(reverse("admin:courses_course_change", args=[bare.pk]))
    html = page.content.decode()
    assert "edit the glossary" not in html and "Español: edit translation" in html


def test_the_form_shows_the_english_beside_every_text(staff_client, glossary):
    course, first, second = glossary
    page = staff_client.get(edit_url(course))
    html = page.content.decode()
    assert page.status_code == 200
    for english in (
        "Words the course uses.",
        "Safe haven",
        "safe haven\nsafe havens",
        "Where a child comes back to when upset.",
        "Making things right after a rupture.",
    ):
        assert english in html
    assert f'name="definition_{second.pk}"' in html and 'lang="es"' in html
    assert glossary_translation_status(course, "es", terms_of(course)) == MISSING


def test_the_page_reads_the_same_number_of_queries_however_many_terms(staff_client, glossary):
    course = glossary[0]
    staff_client.get(edit_url(course))
    with CaptureQueriesContext(connection) as few:
        staff_client.get(edit_url(course))
    for number in range(5):
        GlossaryTermFactory(course=course, forms=f"extra word {number}")
    with CaptureQueriesContext(connection) as more:
        staff_client.get(edit_url(course))
    assert len(more) == len(few)


# Saving it -------------------------------------------------------------------------------------


def test_saving_keeps_the_spanish_beside_the_english_and_parents_read_it(
    staff_client, glossary, parent
):
    course, first, second = glossary
    version = Course.objects.get(pk=course.pk).content_version
    response = staff_client.post(edit_url(course), spanish(*glossary), follow=True)
    assert response.redirect_chain[-1][0] == edit_url(course)
    assert "Saved the Español of “Glossary of The circle”." in response.content.decode()
    first.refresh_from_db()
    # The forms as lessons match them: lower case, single spaces, one per line.
    assert first.translation("es") == {
        "term": "Refugio seguro",
        "forms": "refugio seguro\nrefugios seguros",
        "definition": "Adonde vuelve un niño cuando está mal.",
    }
    assert first.term == "Safe haven" and first.forms == "safe haven\nsafe havens"
    course = Course.objects.get(pk=course.pk)
    assert course.translation("es")["glossary_intro"] == "Palabras que usa el curso."
    assert course.glossary_intro == "Words the course uses."
    assert course.content_version > version
    assert glossary_translation_status(course, "es", terms_of(course)) == CURRENT
    # A parent reading Spanish sees it on the glossary page and linked from the lesson.
    parent.language = "es"
    parent.save(update_fields=["language"])
    browser = logged_in(parent)
    page = browser.get(reverse("courses:glossary", args=["circle"])).content.decode()
    assert "Refugio seguro" in page and "Adonde vuelve un niño cuando está mal." in page
    assert "Palabras que usa el curso." in page
    lesson = browser.get(reverse("courses:lesson", args=["circle", "one"])).content.decode()
    assert "glossary/#term-safe-haven" in lesson and ">refugio seguro</a>" in lesson


def test_saving_again_unchanged_changes_nothing(staff_client, glossary):
    course = glossary[0]
    staff_client.post(edit_url(course), spanish(*glossary))
    version = Course.objects.get(pk=course.pk).content_version
    response = staff_client.post(edit_url(course), spanish(*glossary), follow=True)
    assert "already says exactly this" in response.content.decode()
    assert Course.objects.get(pk=course.pk).content_version == version


def test_an_english_edit_makes_it_out_of_date_until_saved_again(staff_client, glossary):
    course, first, second = glossary
    staff_client.post(edit_url(course), spanish(*glossary))
    first.definition = "Where a child comes back to when things are hard."
    first.save()

    def status():
        saved = Course.objects.get(pk=course.pk)
        return glossary_translation_status(saved, "es", terms_of(saved))

    assert status() == OUT_OF_DATE
    assert "may be out of date" in staff_client.get(edit_url(course)).content.decode()
    assert staff_client.post(edit_url(course), spanish(*glossary)).status_code == 302
    assert status() == CURRENT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"definition": ""}, "This field is required."),
        ({"forms": "   \r\n "}, "This field is required."),
        # A word in a lesson links to one entry only.
        # (said on the later term, named by its word as typed here).
        ({"forms": "reparar\r\nrefugio"}, "“reparar” is already a form of “Refugio seguro”."),
    ],
)
def test_a_mistake_is_named_and_nothing_typed_is_lost_or_saved(
    staff_client, glossary, changes, message
):
    course, first, second = glossary
    data = spanish(*glossary, **{f"{name}_{first.pk}": value for name, value in changes.items()})
    response = staff_client.post(edit_url(course), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Please correct the error" in html
    assert data[f"definition_{second.pk}"] in html and data["glossary_intro"] in html
    assert not any(term.translations for term in terms_of(course))
    assert "glossary_intro" not in Course.objects.get(pk=course.pk).translation("es")


def test_an_english_change_while_translating_is_shown_before_anything_is_saved(
    staff_client, glossary
):
    course, first, second = glossary
    data = spanish(*glossary)
    second.definition = "Putting things right after a rupture."
    second.save()
    html = staff_client.post(edit_url(course), data).content.decode()
    assert "Someone changed the English while you were translating" in html
    assert "Putting things right after a rupture." in html
    assert not any(term.translations for term in terms_of(course))
    data["english_seen"] = seen(course)
    assert staff_client.post(edit_url(course), data).status_code == 302


@pytest.mark.html
def test_the_glossary_translation_page_is_valid_html(staff_client, glossary):
    course, first, second = glossary
    staff_client.post(edit_url(course), spanish(*glossary))
    documents = {
        "glossary in Spanish": staff_client.get(edit_url(course)).content.decode(),
        "glossary with errors": staff_client.post(
            edit_url(course), spanish(*glossary, **{f"term_{first.pk}": ""})
        ).content.decode(),
    }
    assert validate(documents) == []


def test_the_shipped_spanish_glossary_opens_and_saves_unchanged(staff_client):
    """The admin's rules are the loader's: the Spanish glossary we ship passes them as it is."""
    course_load(path=CONTENT_DIR / "circle-of-security")
    course = Course.objects.get(slug="circle-of-security")
    terms = terms_of(course)
    assert len(terms) > 10
    assert glossary_translation_status(course, "es", terms) == CURRENT
    form = GlossaryTranslationForm(obj=course, language="es", terms=terms)
    data = {name: form.initial.get(name, "") for name in form.fields}
    assert GlossaryTranslationForm(data, obj=course, language="es", terms=terms).is_valid()
    before = {term.pk: term.translations for term in GlossaryTerm.objects.filter(course=course)}
    response = staff_client.post(
        edit_url(course), {**data, "english_seen": seen(course)}, follow=True
    )
    assert "already says exactly this" in response.content.decode()
    after = {term.pk: term.translations for term in GlossaryTerm.objects.filter(course=course)}
    assert after == before
