"""
The shared fragments (circle/fragments.py) change nothing anyone sees: every page of several
parents in different states, and a facilitator's report, is the same HTML whether it was
rendered whole or put together from fragments that other people's pages filled first. Only
each response's own CSRF token, CSP nonce and note-form key differ, as they do between any two
requests.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse
from django.utils import timezone, translation

from courses.checks import question_answer
from courses.models import Lesson, Module
from tests.conftest import logged_in
from tests.factories import (
    AssignmentFactory,
    LessonProgressFactory,
    MembershipFactory,
    PracticeNoteFactory,
    ReflectionFactory,
    UserFactory,
    add_questions,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
PER_RESPONSE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    # The practice-note form's own key, new on every page (a double send saves one note).
    (re.compile(r'name="key" value="[0-9a-f-]{36}"'), 'name="key"'),
]


def normalised(html):
    for pattern, replacement in PER_RESPONSE:
        html = pattern.sub(replacement, html)
    return html


@pytest.fixture
def people(course, group, facilitator, parent, second_parent):
    """Parents in different states, the second module locked for the group's members."""
    one, two, three = (Lesson.objects.get(slug=slug) for slug in ["one", "two", "three"])
    questions = add_questions(one, 2)
    one.example_toddler = "Your toddler runs off, looks back, and you wave."
    one.example_school_age = "Your eight-year-old tells you about a hard day."
    one.save()
    today = timezone.localdate()
    AssignmentFactory(group=group, module=Module.objects.get(slug="first"), due_on=today)
    AssignmentFactory(
        group=group, module=Module.objects.get(slug="second"), opens_on=today + timedelta(days=3)
    )
    # The parent (in the group): one lesson done, one question wrong, an age, words of theirs.
    parent.set_child_age("toddler")
    LessonProgressFactory(user=parent, lesson=one, started_at=NOW, completed_at=NOW)
    LessonProgressFactory(user=parent, lesson=two, started_at=NOW)
    wrong = questions[0].choices.get(text="Wrong")
    question_answer(user=parent, question=questions[0], choice=wrong)
    ReflectionFactory(user=parent, lesson=one, text="What I noticed, mine alone.")
    PracticeNoteFactory(user=parent, lesson=one, tried="Waited a moment before helping.")
    # The second parent (in the group too): nothing yet.
    MembershipFactory(group=group, user=second_parent)
    # A third, in no group: everything done, every question right, another age.
    third = UserFactory(display_name="Sam")
    third.set_child_age("school_age")
    for lesson in (one, two, three):
        LessonProgressFactory(user=third, lesson=lesson, started_at=NOW, completed_at=NOW)
    for question in questions:
        question_answer(user=third, question=question, choice=question.choices.get(text="Right"))
    # And four who have not started, each with their own order of every question's choices.
    newcomers = [UserFactory() for _ in range(4)]
    return [parent, second_parent, third, *newcomers], facilitator, group


def pages_of(parents, facilitator, group):
    paths = [
        reverse("courses:lesson", args=["circle", "one"]),
        reverse("courses:lesson", args=["circle", "two"]),
        reverse("courses:course", args=["circle"]),
        reverse("courses:dashboard"),
    ]
    found = {}
    for person in parents:
        browser = logged_in(person)
        for path in paths:
            response = browser.get(path)
            if response.status_code == 200:
                found[person.email, path] = normalised(response.content.decode())
    report = reverse("courses:facilitator-report", args=[group.pk])
    found[facilitator.email, report] = normalised(
        logged_in(facilitator).get(report).content.decode()
    )
    return found


@pytest.mark.parametrize("language", ["en-gb", "es"])
def test_pages_are_the_same_with_and_without_shared_fragments(people, settings, language):
    parents, facilitator, group = people
    with translation.override(language):
        for person in [*parents, facilitator]:
            person.language = language
            person.save(update_fields=["language"])
        shared = settings.CACHES
        settings.CACHES = {
            **shared,  # nothing kept: every fragment rendered in place
            "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
        assert isinstance(caches["fragments"], DummyCache)
        expected = pages_of(parents, facilitator, group)
        settings.CACHES = shared  # the real, shared fragments again
        assert isinstance(caches["fragments"], LocMemCache)
        caches["fragments"].clear()
        pages_of(list(reversed(parents)), facilitator, group)  # others fill them first
        assert len(caches["fragments"]._cache) > 20
        served = pages_of(parents, facilitator, group)
    assert len(expected) >= 25
    assert served.keys() == expected.keys()
    for key, html in expected.items():
        assert served[key] == html, f"{key}: differs when served from shared fragments"
