"""
Journey 2: a facilitator starts a group and shares its link; a parent (in a second browser)
joins through it; the facilitator plans a module with a date; the parent sees it on their
dashboard and does a lesson; the facilitator sees it in the report, reads the reflection the
parent shared on its lesson's page, and downloads the CSV.
"""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_facilitator_runs_a_group_and_follows_a_parent(visit, real_course):
    UserFactory(email="fac@example.com", display_name="Alex", role=User.Role.FACILITATOR)
    UserFactory(email="sam@example.com", display_name="Sam")
    due = timezone.localdate() + datetime.timedelta(days=10)

    facilitator = visit()
    fpage = facilitator.page
    facilitator.log_in("fac@example.com")
    fpage.get_by_role("link", name="My groups").click()
    facilitator.check()
    fpage.get_by_role("link", name="Start a new group").click()
    facilitator.check()
    fpage.get_by_label(re.compile(r"^\s*Group name")).fill("Tuesday evening group")
    fpage.get_by_role("button", name="Create the group").click()
    facilitator.check()
    join_link = fpage.locator("#join-link").inner_text().strip()
    assert "/groups/join/" in join_link

    parent = visit()
    ppage = parent.page
    parent.log_in("sam@example.com")
    ppage.goto(join_link)
    parent.check()
    ppage.get_by_role("button", name="Join the group").click()
    parent.check()
    assert ppage.get_by_text("Tuesday evening group").first.is_visible()

    fpage.get_by_role("link", name="Modules and dates").first.click()
    facilitator.check()
    # The whole plan is one form: a day for the first module, then one button.
    first_module = fpage.get_by_role("group", name=re.compile("^Module 1:"))
    # First the days the wrong way round: the summary at the top takes focus, names the module
    # and leads to the field to fix.
    first_module.get_by_label(re.compile("Opens on")).fill(
        (due + datetime.timedelta(days=1)).isoformat()
    )
    first_module.get_by_label(re.compile("Suggested by")).fill(due.isoformat())
    before = len(facilitator.problems)
    fpage.get_by_role("button", name="Save the plan").click()
    facilitator.check()
    # The 400 the refused form answers with is the point here, not a fault.
    facilitator.problems[before:] = [
        p for p in facilitator.problems[before:] if "status of 400" not in p
    ]
    assert fpage.evaluate("document.activeElement.id") == "plan-problems"
    fpage.get_by_role("link", name=re.compile("^Module 1: The suggested date cannot be")).click()
    fpage.wait_for_function("() => document.activeElement.id.endsWith('-due_on')")
    first_module.get_by_label(re.compile("Opens on")).fill("")
    fpage.get_by_role("button", name="Save the plan").click()
    facilitator.check()

    parent.goto("/dashboard/")
    plan = ppage.locator(".plan-when").first.inner_text()
    assert "suggested by" in plan and str(due.day) in plan
    ppage.get_by_role("link", name="Start the first lesson").click()
    parent.check()
    # One reflection shared with the facilitator, one kept private.
    ppage.get_by_label("Your reflection").fill("Shared: we had a lovely repair today.")
    ppage.get_by_role("button", name="Save my reflection").click()
    parent.check()
    ppage.get_by_role("button", name="Share with my group's facilitators").click()
    parent.check()
    assert ppage.get_by_text("Shared", exact=True).is_visible()
    ppage.get_by_role("button", name="Mark this lesson as done").click()
    parent.check()
    ppage.get_by_role("link", name=re.compile("^Next:")).click()
    parent.check()
    ppage.get_by_label("Your reflection").fill("PRIVATE-MARKER nobody else reads this.")
    ppage.get_by_role("button", name="Save my reflection").click()
    parent.check()

    facilitator.goto(fpage.url.replace("assignments/", "report/"))
    assert fpage.get_by_role("heading", name="Progress in Tuesday evening group").is_visible()
    row = fpage.get_by_role("row").filter(has_text="Sam")
    assert row.get_by_text("Done").first.is_visible()
    assert "PRIVATE-MARKER" not in fpage.content()
    # The report counts the shared reflection and links to the lesson's own page of them.
    assert fpage.get_by_text(re.compile("reflected on this lesson, 1 shared with you")).is_visible()
    report_url = fpage.url
    fpage.get_by_role("link", name="Read the 1 shared reflection").click()
    facilitator.check()
    assert fpage.get_by_role("heading", name=re.compile("Reflections shared on")).is_visible()
    assert fpage.get_by_text("Shared: we had a lovely repair today.").is_visible()
    assert fpage.get_by_text("Sam", exact=True).is_visible()
    assert "PRIVATE-MARKER" not in fpage.content()
    fpage.set_viewport_size({"width": 360, "height": 740})
    assert fpage.evaluate("document.documentElement.scrollWidth") <= 360
    fpage.set_viewport_size({"width": 1280, "height": 800})
    fpage.get_by_role("link", name="Back to the group's progress").click()
    facilitator.check()
    assert fpage.url == report_url
    with fpage.expect_download() as download:
        fpage.get_by_role("link", name=re.compile("Download as a spreadsheet")).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    sam = next(r for r in rows if "sam@example.com" in r)
    assert sam[3] == "1"  # lessons done, as on the page
    assert "Done" in sam  # the status words of the page and the outline (STATUS_LABELS)
    assert "PRIVATE-MARKER" not in text and "lovely repair" not in text
    # On a phone the wide table scrolls inside its box; the page itself does not.
    fpage.set_viewport_size({"width": 360, "height": 740})
    fpage.reload()
    assert fpage.evaluate("document.documentElement.scrollWidth") <= 360
    facilitator.assert_clean()
    parent.assert_clean()
