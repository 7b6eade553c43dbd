"""
A reminder names the module in its reader's language, end to end: the real course, the
hourly sweep, and the email's text and HTML parts. A Spanish parent reads the module's Spanish
title; an English parent in the same group reads the English.
"""

import pytest
from django.core import mail

from courses.loader import CONTENT_DIR, course_load
from courses.models import Module
from tests.factories import AssignmentFactory, MembershipFactory, ParentGroupFactory, UserFactory
from tests.test_reminders import DAY, MONDAY, sweep

SPANISH = "La parte de arriba del círculo: la exploración"
ENGLISH = "The top of the circle: Exploration"


@pytest.fixture
def group(transactional_db):
    course_load(path=CONTENT_DIR / "circle-of-security")
    modules = list(Module.objects.filter(course__slug="circle-of-security").order_by("position"))
    course = modules[0].course
    group = ParentGroupFactory(name="Grupo del martes", course=course)
    AssignmentFactory(group=group, module=modules[0], opens_on=MONDAY - 14 * DAY)
    AssignmentFactory(group=group, module=modules[1], opens_on=MONDAY)
    for email, language in (("lucia@example.com", "es"), ("ann@example.com", "en-gb")):
        MembershipFactory(group=group, user=UserFactory(email=email, language=language))
    return group


def module_opens_email(address):
    [email] = [email for email in mail.outbox if email.to == [address]]
    return email.subject, email.body, email.alternatives[0][0]


def test_the_module_opens_email_names_the_module_in_each_parent_s_language(group):
    sweep()
    subject, text, html = module_opens_email("lucia@example.com")
    assert subject.endswith("El módulo 2 está abierto para ti"), subject
    assert SPANISH in text and SPANISH in html and ENGLISH not in text + html
    subject, text, html = module_opens_email("ann@example.com")
    assert subject.endswith("Module 2 is open for you")
    assert ENGLISH in text and ENGLISH in html and SPANISH not in text + html


def test_the_suggested_soon_email_writes_the_day_as_each_language_does(group):
    """Two days before module 2's suggested day (Wednesday 6 March 2030), neither has started."""
    module = Module.objects.get(course__slug="circle-of-security", position=2)
    group.assignments.filter(module=module).update(due_on=MONDAY + 2 * DAY)
    sweep()
    bodies = {
        email.to[0]: email.body
        for email in mail.outbox
        if email.subject.endswith(("when you are ready", "cuando quieras"))
    }
    assert "Wednesday 6 March" in bodies["ann@example.com"]
    assert "miércoles 6 de marzo" in bodies["lucia@example.com"]
