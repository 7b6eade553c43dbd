"""Moving through a page with the keyboard alone, as a person without a mouse would."""

import re


def focused_text(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "";
            const text = el.getAttribute("aria-label") || el.innerText || el.value || el.id;
            return (text || "").trim();
        }"""
    )


def tab_to(page, pattern, limit=80):
    """Press Tab until the focused element's text matches `pattern`; fail if it never does."""
    wanted = re.compile(pattern)
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = focused_text(page)
        seen.append(text)
        if wanted.search(text):
            return text
    raise AssertionError(f"Could not reach {pattern!r} with Tab; focus went through {seen}")


def activate(page, pattern):
    """Tab to a link or button and press Enter, then wait for the next page."""
    tab_to(page, pattern)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill(page, label_pattern, text):
    """Tab to a field by its label and type into it."""
    wanted = re.compile(label_pattern)
    for _ in range(80):
        page.keyboard.press("Tab")
        label = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || !el.labels || !el.labels.length) return "";
                return el.labels[0].innerText.trim();
            }"""
        )
        if wanted.search(label):
            page.keyboard.type(text)
            return
    raise AssertionError(f"No field labelled {label_pattern!r} reachable with Tab")
