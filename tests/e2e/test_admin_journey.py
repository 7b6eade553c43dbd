"""
Journey 3: an admin edits a draft lesson in the admin, previews it as a parent would see it,
publishes it, and a parent then reads the new words.
"""

import re

import pytest

from courses.glossary import GlossaryTerm
from courses.models import Lesson
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_edits_previews_and_publishes_a_lesson(visit, real_course):
    UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    UserFactory(email="sam@example.com", display_name="Sam")
    draft = Lesson.objects.get(slug="good-enough-together")
    draft.is_published = False
    draft.save()

    admin = visit()
    page = admin.page
    admin.log_in("admin@example.com", at="/admin/")
    page.get_by_role("link", name="Lessons").first.click()
    admin.check()
    page.get_by_role("link", name=draft.title).click()
    admin.check()
    body = page.get_by_label("Body")
    body.fill(body.input_value() + "\n\nA new closing line written today.")
    page.get_by_role("button", name="Save and continue editing").click()
    admin.check()

    page.get_by_role("link", name="Preview as a parent").click()
    admin.check()
    assert page.get_by_text(re.compile("Preview: not published", re.I)).first.is_visible()
    assert page.get_by_text("A new closing line written today.").is_visible()

    parent = visit()
    parent.log_in("sam@example.com")
    parent.goto_expecting_404(draft.get_absolute_url())  # not published yet

    page.go_back()
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save", exact=True).click()
    admin.check()

    parent.goto(draft.get_absolute_url())
    assert parent.page.get_by_text("A new closing line written today.").is_visible()
    admin.assert_clean()
    parent.assert_clean()


def test_an_admin_corrects_a_word_of_the_spanish_glossary(visit, real_course):
    UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    UserFactory(email="ana@example.com", display_name="Ana", language="es")
    term = GlossaryTerm.objects.order_by("position", "id").first()
    course = term.course

    admin = visit()
    page = admin.page
    admin.log_in("admin@example.com", at="/admin/")
    # The second "Courses": the first heads the app's section.
    page.get_by_role("link", name="Courses", exact=True).nth(1).click()
    admin.check()
    page.get_by_role("link", name=course.title).click()
    admin.check()
    page.get_by_role("link", name="Español: edit the glossary's translation").click()
    admin.check()
    # Each term is a group named by its English word, with the English beside each field.
    definition = page.get_by_role("group", name=term.term).get_by_label("Definition")
    definition.fill("Una definición nueva, escrita hoy.")
    page.get_by_role("button", name="Save").click()
    admin.check()
    assert page.get_by_text(re.compile("Saved the Español of")).is_visible()

    parent = visit()
    parent.log_in("ana@example.com")
    parent.goto(f"/courses/{course.slug}/glossary/")
    assert parent.page.get_by_text("Una definición nueva, escrita hoy.").is_visible()
    admin.assert_clean()
    parent.assert_clean()
