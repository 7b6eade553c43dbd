"""
The worker's own memory caches keep objects as they are (circle/memory_cache.py), so what they
hold must never change once cached: every page that reads the content cache leaves it exactly
as it was built, in both languages, for parents, a facilitator and staff.
"""

import pickle

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone, translation

from circle.memory_cache import SharedObjectCache
from courses.checks import question_answer
from courses.models import Lesson
from tests.conftest import logged_in
from tests.factories import (
    GlossaryTermFactory,
    LessonProgressFactory,
    PracticeNoteFactory,
    ReflectionFactory,
    add_questions,
)


def test_the_same_object_comes_back_and_the_oldest_used_goes_first():
    cache = SharedObjectCache("test-shared-objects", {"OPTIONS": {"MAX_ENTRIES": 3}})
    cache.clear()
    held = ["a list", "the cache keeps"]
    cache.set("held", held)
    assert cache.get("held") is held
    assert cache.add("held", "another") is False
    assert cache.add("fresh", 1) is True
    cache.set("third", 3)
    cache.get("held")  # used again: "fresh" is now the oldest used
    cache.set("fourth", 4)  # full: drops a third of it, oldest used first
    assert cache.get("fresh") is None
    assert cache.get("held") is held
    assert cache.get_many(["held", "missing"]) == {"held": held}
    with pytest.raises(NotImplementedError):
        cache.incr("held")


def test_the_sites_worker_caches_keep_objects_unpickled():
    assert isinstance(caches["content"], SharedObjectCache)
    assert isinstance(caches["fragments"], SharedObjectCache)


@pytest.fixture
def everything_read(course, group, parent, second_parent, facilitator, staff):
    """Content of every kind the content cache holds, and parents who have done things."""
    one = Lesson.objects.get(slug="one")
    one.body = "Your child needs a safe haven when they are upset."
    one.example_toddler = "Your toddler runs off, looks back, and you wave."
    one.save()
    GlossaryTermFactory(course=course, term="Safe haven", forms="safe haven")
    questions = add_questions(one, 2)
    now = timezone.now()
    LessonProgressFactory(user=parent, lesson=one, started_at=now, completed_at=now)
    question_answer(user=parent, question=questions[0], choice=questions[0].choices.first())
    ReflectionFactory(user=parent, lesson=one, text="Mine alone.")
    PracticeNoteFactory(user=parent, lesson=one, tried="Waited a moment.")
    parent.set_child_age("toddler")
    lesson = ["circle", "one"]
    return [
        (parent, reverse("courses:dashboard")),
        (parent, reverse("courses:catalogue")),
        (parent, reverse("courses:course", args=["circle"])),
        (parent, reverse("courses:lesson", args=lesson)),
        (parent, reverse("courses:lesson", args=["circle", "two"])),
        (parent, reverse("courses:glossary", args=["circle"])),
        (parent, reverse("courses:module-handout", args=["circle", "first"])),
        (parent, reverse("courses:journal")),
        (second_parent, reverse("courses:lesson", args=lesson)),
        (second_parent, reverse("courses:course", args=["circle"])),
        (facilitator, reverse("courses:facilitator-report", args=[group.pk])),
        (staff, reverse("courses:lesson-preview", args=lesson)),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "es"])
def test_no_page_changes_what_the_content_cache_holds(everything_read, monkeypatch, language):
    as_cached = {}
    keep = SharedObjectCache._set

    def record(cache, key, value, timeout):
        if cache is caches["content"]:
            as_cached[key] = pickle.dumps(value)
        keep(cache, key, value, timeout)

    monkeypatch.setattr(SharedObjectCache, "_set", record)
    with translation.override(language):
        for _ in range(2):  # built on the first pass, only read on the second
            for person, path in everything_read:
                assert logged_in(person).get(path).status_code == 200, path
    held = caches["content"]._cache
    assert len(as_cached) > 5
    kinds = {key.split(":")[2] for key in as_cached}  # Django's prefix, then the kind
    assert {"lessons", "glossary", "body", "questions"} <= kinds
    for key, pickled in as_cached.items():
        assert pickle.dumps(held[key]) == pickled, f"{key} changed after it was cached"
