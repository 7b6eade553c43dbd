"""
A parent's private reflection and practice notes can be read by no one else, by any address
of the site: every named URL is tried, GET and POST, as a second parent and as a facilitator,
with the private records' ids (and the lesson's, and the certificate's code) filled in.
Staff do not see reflections or notes in the admin either (see courses/admin.py for why).
"""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from courses.models import Lesson
from tests.factories import CertificateFactory, PracticeNoteFactory, ReflectionFactory

pytestmark = pytest.mark.django_db

PRIVATE_REFLECTION = "Private reflection nobody else may read"
PRIVATE_NOTE = "Private practice note nobody else may read"
PRIVATE_HAPPENED = "What happened, also private"


def named_urls(patterns=None, namespace=""):
    """(name, parameter names) for every named URL of the project."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = entry.pattern
            params = set(getattr(pattern, "converters", {})) or set(pattern.regex.groupindex)
            yield f"{namespace}{entry.name}", params


@pytest.fixture
def private_records(parent, course):
    lesson = Lesson.objects.get(slug="one")
    reflection = ReflectionFactory(user=parent, lesson=lesson, text=PRIVATE_REFLECTION)
    note = PracticeNoteFactory(
        user=parent, lesson=lesson, tried=PRIVATE_NOTE, happened=PRIVATE_HAPPENED
    )
    certificate = CertificateFactory(user=parent, course=course, code="ABCD-EFGH-JKMN-PQRS")
    return reflection, note, certificate


def addresses(reflection, note, certificate):
    values = {
        "course_slug": ["circle"],
        "lesson_slug": ["one"],
        "pk": [reflection.pk, note.pk],
        "code": [certificate.code],
    }
    for name, params in named_urls():
        if name.startswith("admin:"):
            continue  # the admin is covered below
        choices = [{}]
        for param in params:
            options = values.get(param, ["x"])
            choices = [{**c, param: option} for c in choices for option in options]
        for kwargs in choices:
            try:
                yield reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue


@pytest.mark.parametrize("outsider", ["second_parent", "facilitator"])
def test_no_address_shows_a_private_reflection_or_note_to_anyone_else(
    client, private_records, outsider, request
):
    client.force_login(request.getfixturevalue(outsider))
    tried = 0
    for url in set(addresses(*private_records)):
        for response in (client.get(url), client.post(url, {"shared": "yes"})):
            body = response.content.decode(errors="replace")
            assert PRIVATE_REFLECTION not in body, url
            assert PRIVATE_NOTE not in body and PRIVATE_HAPPENED not in body, url
        tried += 1
    assert tried > 20  # the crawl really covered the site
    reflection, note, _ = private_records
    reflection.refresh_from_db()
    assert not reflection.shared  # nobody else could share it either
    assert reflection.text == PRIVATE_REFLECTION


def test_a_shared_reflection_is_still_not_on_any_page_of_another_parent(
    client, private_records, second_parent
):
    reflection = private_records[0]
    reflection.shared = True
    reflection.save()
    client.force_login(second_parent)
    for url in set(addresses(*private_records)):
        assert PRIVATE_REFLECTION not in client.get(url).content.decode(errors="replace"), url


def test_staff_do_not_see_reflections_or_notes_in_the_admin(staff_client, private_records):
    for name in ("reflection", "practicenote", "questionattempt"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:courses_{name}_changelist")
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert "Reflections" not in index and "Practice notes" not in index
    for url in (
        reverse("admin:accounts_user_change", args=[private_records[0].user_id]),
        reverse("admin:courses_lesson_change", args=[private_records[0].lesson_id]),
        reverse("admin:courses_lesson_changelist"),
        reverse("admin:courses_certificate_changelist"),
    ):
        body = staff_client.get(url).content.decode()
        assert PRIVATE_REFLECTION not in body and PRIVATE_NOTE not in body, url


def test_staff_see_how_many_parents_reflected_per_lesson(staff_client, private_records):
    html = staff_client.get(reverse("admin:courses_lesson_changelist")).content.decode()
    assert "parents reflected" in html.lower()
    assert '<td class="field-reflected">1</td>' in html
