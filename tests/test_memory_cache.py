"""
The worker's own memory caches keep objects as they are (circle/memory_cache.py), so what they
hold must never change once cached: every page that reads the content cache leaves it exactly
as it was built, in both languages, for parents, a facilitator and staff.
"""

import pickle
import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
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
    for count in (cache.incr, cache.decr):
        with pytest.raises(NotImplementedError, match=r"^Shared objects are not counters\.$"):
            count("held")


def test_an_entry_given_a_time_to_live_is_gone_after_it_and_frees_its_place(monkeypatch):
    """
    As in any Django cache, an entry set or added with a timeout is served until then, the very
    object given, and not after; reading it then frees its place. The site's entries have no
    timeout (TIMEOUT None); a caller that names one must not get an entry that never goes.
    """
    cache = SharedObjectCache("test-shared-objects-expiry", {"OPTIONS": {"MAX_ENTRIES": 10}})
    cache.clear()
    held, added = ["set for a minute"], ["added for a minute"]
    cache.set("set", held, timeout=60)
    assert cache.add("added", added, timeout=60) is True
    assert cache.get("set") is held
    assert cache.get("added") is added
    later = time.time() + 61
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    assert cache.get("set") is None
    assert cache.get("added", "gone") == "gone"
    assert not cache._cache  # read after their time, both entries are dropped from memory
    assert cache.add("added", held) is True  # and the key takes a new value
    assert cache.get("added") is held


def test_each_version_of_a_key_is_its_own_entry():
    """
    A version named by the caller (Django's own `incr_version` names one) keeps its entry apart
    from the key's other versions, as in any Django cache: never another version's object.
    """
    cache = SharedObjectCache("test-shared-objects-versions", {"OPTIONS": {"MAX_ENTRIES": 10}})
    cache.clear()
    first, second = ["version one"], ["version two"]
    cache.set("key", first)
    cache.set("key", second, version=2)
    assert cache.get("key") is first
    assert cache.get("key", version=2) is second
    assert cache.add("key", ["another"], version=2) is False
    assert cache.add("key", first, version=3) is True
    assert cache.get("key", version=3) is first
    assert cache.get("key", "none", version=4) == "none"


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
