"""
The lesson page's weight budget (DESIGN.md): under 150 KB transferred, compressed, with its one
stylesheet and its scripts, all from this site. Measured on the real course's heaviest lesson,
with every extra a lesson has (examples, glossary links, the circle, Listen). The benchmark
(bench/run.py) measures the same over HTTP with the production server.
"""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from courses.loader import CONTENT_DIR, course_load
from courses.models import Lesson
from tests.factories import add_questions

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 150 * 1024


def compressed(data):
    return len(gzip.compress(data, 6))


def test_the_heaviest_lesson_page_stays_under_150_kb(parent_client, parent):
    course_load(path=CONTENT_DIR / "circle-of-security")
    parent.set_child_age("toddler")
    lessons = list(Lesson.objects.select_related("module__course"))
    heaviest = max(lessons, key=lambda lesson: len(lesson.body) + len(lesson.practice))
    add_questions(heaviest, 3)  # beside its own three, as a heavier page than any today
    html = parent_client.get(heaviest.get_absolute_url()).content
    assert b'class="lesson-circle-picture"' in html and b'id="age-examples"' in html

    assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(
        rb'<script src="([^"]+)"', html
    )
    assert all(url.startswith(b"/static/") for url in assets), assets  # nothing third-party
    sizes = {"html": compressed(html)}
    for url in assets:
        path = finders.find(url.decode().removeprefix("/static/"))
        sizes[url.decode()] = compressed(Path(path).read_bytes())
    assert b"/static/js/listen.js" in b" ".join(assets)
    assert sum(sizes.values()) < BUDGET_BYTES, sizes
