"""
Light pages: one stylesheet (Bootstrap and the site's rules joined by circle/static_bundle.py)
and at most two scripts, found the same way in development, tests and collectstatic. No page
loads Bootstrap's JavaScript: the menu is a <details> and works without it.
"""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from circle.static_bundle import BundleFinder

pytestmark = pytest.mark.django_db


def test_a_lesson_page_loads_one_stylesheet_and_at_most_two_scripts(parent_client, course):
    html = parent_client.get(reverse("courses:lesson", args=["circle", "one"])).content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert stylesheets == ["/static/css/circle.css"]
    assert len(scripts) <= 2
    assert not any("bootstrap" in script for script in scripts)


def test_the_joined_stylesheet_holds_bootstrap_then_the_site_rules():
    bundle = Path(finders.find("css/circle.css")).read_text(encoding="utf-8")
    bootstrap = bundle.index("Bootstrap  v5")
    site = bundle.index("The site's own styles")
    assert bundle.startswith('@charset "UTF-8";')  # must stay first to count
    assert bootstrap < site
    # Maps are named relative to the original files; a stale one would break collectstatic.
    assert "sourceMappingURL" not in bundle


def test_the_bundle_follows_an_edit_to_a_source(settings, tmp_path):
    source_dir = tmp_path / "static"
    (source_dir / "css").mkdir(parents=True)
    (source_dir / "css" / "a.css").write_text("a { color: red; }\n/*# sourceMappingURL=a.map */\n")
    (source_dir / "css" / "b.css").write_text("b { color: blue; }")
    settings.STATICFILES_DIRS = [source_dir]
    settings.STATIC_BUNDLES = {"css/ab.css": ["css/a.css", "css/b.css"]}
    settings.STATIC_BUNDLE_ROOT = str(tmp_path / "bundles")
    finder = BundleFinder()
    assert finder.check() == []

    first = Path(finder.find("css/ab.css")).read_text()
    (source_dir / "css" / "b.css").write_text("b { color: green; }")
    second = Path(finder.find("css/ab.css")).read_text()

    assert first == "a { color: red; }\nb { color: blue; }\n"
    assert second == "a { color: red; }\nb { color: green; }\n"
    assert finder.find("css/a.css") == []  # not a bundle: the other finders answer
    assert [name for name, _ in finder.list(None)] == ["css/ab.css"]


def test_a_missing_file_is_not_found_by_any_finder():
    assert finders.find("css/nowhere.css") is None


def test_a_bundle_naming_a_missing_file_fails_the_checks(settings, tmp_path):
    settings.STATIC_BUNDLES = {"css/x.css": ["css/nowhere.css", "css/x.css"]}
    settings.STATIC_BUNDLE_ROOT = str(tmp_path)
    messages = [error.msg for error in BundleFinder().check()]
    assert messages == [
        "Static bundle css/x.css: css/nowhere.css is not a static file.",
        "Static bundle css/x.css includes the bundle css/x.css.",
    ]


# What a phone downloads for a lesson page, compressed as production sends it (whitenoise
# gzips static files at level 9; the page itself is gzipped on the way). DESIGN.md's budget.
LESSON_PAGE_BUDGET = 150 * 1024


def test_the_longest_real_lesson_page_stays_under_150_kb_compressed(client, parent):
    from courses.loader import CONTENT_DIR, course_load
    from courses.models import Lesson

    course_load(path=CONTENT_DIR / "circle-of-security")
    lesson = max(Lesson.objects.all(), key=lambda lesson: len(lesson.body_html))
    client.force_login(parent)
    html = client.get(lesson.get_absolute_url()).content
    assets = re.findall(rb'<(?:link rel="stylesheet" href|script src)="/static/([^"]+)"', html)
    sizes = {"page": len(gzip.compress(html, 6))}
    for name in assets:
        body = Path(finders.find(name.decode())).read_bytes()
        sizes[name.decode()] = len(gzip.compress(body, 9))
    assert sum(sizes.values()) < LESSON_PAGE_BUDGET, sizes
