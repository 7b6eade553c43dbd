"""
Browser tests: Playwright drives Debian's Chromium against a live server.

Every page a journey visits is checked as it goes: axe-core (WCAG 2.2 A and AA) finds no
violations, the console shows no CSP violation or error, and the HTML the server sent is kept
so the journey can validate it with the Nu HTML Checker at the end.
"""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from courses.loader import CONTENT_DIR, course_load
from tests.factories import PASSWORD
from tests.html_validator import validate

# Playwright runs an event loop in this thread; Django's ORM must be allowed to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Django's own admin is checked for console errors and CSP violations like every page, but not
# by axe or the HTML checker: its markup is Django's, and issue 6 names the site's pages.
NOT_OURS = "/admin/"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is needed at {CHROMIUM} (apt-get install chromium; make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Visitor:
    """One person's browser: a page, with the checks every visited page must pass."""

    axe = Axe()

    def __init__(self, context, live_server_url):
        self.context = context
        self.base = live_server_url
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.problems = []
        self.documents = {}
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("response", self._response)

    def _console(self, message):
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type} on {self.page.url}: {message.text}")

    def _response(self, response):
        request = response.request
        is_page = request.resource_type == "document" and request.method == "GET"
        is_html = "text/html" in response.headers.get("content-type", "")
        if is_page and is_html and response.status == 200 and NOT_OURS not in response.url:
            # What the server sent, not the browser's re-serialised DOM.
            self.documents.setdefault(response.url.split("#")[0], response.text())

    def log_in(self, email, password=PASSWORD, at="/accounts/login/"):
        """Log in through a login page (the site's, or the admin's), finding fields by label."""
        self.goto(at)
        self.page.get_by_label(re.compile(r"^\s*Email")).fill(email)
        self.page.get_by_label(re.compile(r"^\s*Password")).fill(password)
        self.page.get_by_role("button", name="Log in", exact=True).click()
        self.check()

    def goto(self, path):
        response = self.page.goto(path if path.startswith("http") else self.base + path)
        self.check()
        return response

    def goto_expecting_404(self, path):
        """Open a page that must not exist for this person; its 404 is the point, not a fault."""
        before = len(self.problems)
        response = self.page.goto(self.base + path)
        assert response.status == 404
        self.problems[before:] = [p for p in self.problems[before:] if "status of 404" not in p]

    def check(self):
        """axe-core on the page as it is now; keeps any violation for the end of the test."""
        self.page.wait_for_load_state("load")
        if NOT_OURS in self.page.url:
            return
        results = self.axe.run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.problems.append(f"axe {violation['id']} on {self.page.url}: {targets}")

    def assert_clean(self):
        errors = validate(self.documents) if self.documents else []
        assert not self.problems, "\n".join(self.problems)
        assert not errors, "\n".join(errors)


@pytest.fixture
def visit(browser, live_server):
    """Factory of Visitors: call it once per person (each gets its own browser context)."""
    contexts = []

    def open_browser(width=1280, height=900, **options):
        """`options` go to Playwright's new_context (color_scheme, java_script_enabled...)."""
        # Without motion: axe measures what a control looks like, never a colour half-way
        # through a hover transition (a button swapped in under the pointer was read mid-way).
        options.setdefault("reduced_motion", "reduce")
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        return Visitor(context, live_server.url)

    yield open_browser
    for context in contexts:
        context.close()


@pytest.fixture
def real_course():
    """The course parents really meet, loaded from courses/content."""
    course_load(path=CONTENT_DIR / "circle-of-security")
