"""
Journey in Spanish: a parent whose browser speaks Spanish signs up, confirms from a Spanish
email, reads and finishes a lesson, all in Spanish and clean for axe and the HTML checker; then
switches to English with the footer's switcher. The switcher also works with JavaScript off.
"""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_spanish_speaking_parent_learns_in_spanish_and_can_switch(visit, real_course):
    parent = visit(locale="es-ES")
    page = parent.page
    parent.goto("/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name="Regístrate, es gratis").click()
    parent.check()
    page.get_by_label(re.compile(r"^\s*Correo electrónico")).fill("nueva@example.com")
    page.get_by_label("Tu nombre (opcional)").fill("Lucía")
    page.get_by_label(re.compile(r"^\s*Contraseña\*?\s*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Contraseña \(otra vez\)")).fill(PASSWORD)
    page.get_by_role("button", name="Crear mi cuenta").click()
    parent.check()
    assert page.get_by_role("heading", name="Revisa tu correo").is_visible()

    message = mail.outbox[-1]
    assert message.subject.startswith("[Curso del Círculo] Te damos la bienvenida")
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    parent.check()
    page.get_by_role("button", name="Confirmar").click()
    parent.check()
    assert page.get_by_role("heading", name="Hola, Lucía").is_visible()
    assert User.objects.get(email="nueva@example.com").language == "es"

    parent.goto("/courses/circle-of-security/")
    assert page.get_by_text("0 de 17 lecciones hechas").first.is_visible()
    page.get_by_role("link", name=re.compile("^Empezar:")).click()
    parent.check()
    page.get_by_role("button", name="Marcar esta lección como hecha").click()
    parent.check()
    assert page.get_by_text("Lección marcada como hecha").is_visible()
    assert page.get_by_text(re.compile(r"✓ Hecha el \d+ de [a-z]+ de \d{4}")).is_visible()

    # The footer's switcher: English from now on, on this account too.
    page.locator("footer").get_by_role("button", name="English").click()
    parent.check()
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.get_by_role("button", name="Mark as not done yet").is_visible()
    assert User.objects.get(email="nueva@example.com").language == "en-gb"
    parent.assert_clean()


def test_the_switcher_works_with_javascript_off(visit, db):
    visitor = visit(java_script_enabled=False)
    page = visitor.page
    page.goto(visitor.base + "/about/")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    page.locator("footer").get_by_role("button", name="Español").click()
    assert page.url.endswith("/about/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Sobre este sitio").is_visible()
    page.locator("header").get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="About this site").is_visible()
    assert not visitor.problems
