"""
The site menu is a <details> disclosure: on a phone it opens without JavaScript, and every link
is in the page as the server sends it. (tests/e2e/test_look_and_feel.py opens it in a browser.)
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class MenuReader(HTMLParser):
    """The <summary> text, and the links and buttons inside <details class="site-menu">."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # open <details> elements, counted from the site menu's own
        self.in_menu = False
        self.current = None
        self.summary = ""
        self.controls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details" and "site-menu" in (attrs.get("class") or "").split():
            self.in_menu, self.depth = True, 0
        if not self.in_menu:
            return
        if tag == "details":
            self.depth += 1
        if tag in ("a", "button", "summary"):
            self.current = [tag, attrs, ""]

    def handle_data(self, data):
        if self.current is not None:
            self.current[2] += data

    def handle_endtag(self, tag):
        if not self.in_menu:
            return
        if self.current is not None and tag == self.current[0]:
            name, attrs, text = self.current
            if name == "summary":
                self.summary = text.strip()
            else:
                self.controls.append((name, text.strip(), attrs.get("href")))
            self.current = None
        if tag == "details":
            self.depth -= 1
            if self.depth == 0:
                self.in_menu = False


def read_menu(html):
    reader = MenuReader()
    reader.feed(html)
    return reader


def test_a_parents_menu_holds_every_link_in_the_page_without_javascript(parent_client):
    html = parent_client.get(reverse("courses:dashboard")).content.decode()
    menu = read_menu(html)

    assert menu.summary == "Menu"
    expected = [
        ("a", "My dashboard"),
        ("a", "My journal"),
        ("a", "My groups"),
        ("a", "Courses"),
        ("a", "About"),
        ("a", "Account"),
        ("a", "My data"),
        ("button", "Log out"),
    ]
    # In this order (other links may join them, e.g. Reminders).
    found = [(kind, name) for kind, name, _ in menu.controls]
    assert [control for control in found if control in expected] == expected
    hrefs = dict((name, href) for _, name, href in menu.controls)
    assert hrefs["My journal"] == reverse("courses:journal")
    assert hrefs["My data"] == reverse("accounts:my-data")
    assert f'action="{reverse("account_logout")}"' in html


def test_a_visitors_menu_offers_log_in_and_sign_up(client):
    menu = read_menu(client.get("/").content.decode())
    names = [name for _, name, _ in menu.controls]
    # The language switcher's buttons follow them in the menu.
    assert names[names.index("Log in") :][:2] == ["Log in", "Sign up"]


def test_no_page_needs_bootstraps_javascript_for_its_menu(parent_client, course):
    lesson = reverse("courses:lesson", args=["circle", "one"])
    for url in ["/", reverse("courses:dashboard"), lesson]:
        html = parent_client.get(url).content.decode()
        assert "data-bs-toggle" not in html
        assert "bootstrap.bundle" not in html
        assert 'class="collapse' not in html


def test_the_menu_is_shown_as_a_row_from_md_up_and_never_lost_where_details_cannot_be_styled():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    wide = css[css.index("@media (min-width: 768px)") :]
    wide = wide[: wide.index("\n}\n")]
    # The "Menu" button is hidden only where the closed <details> can be shown.
    assert "@supports selector(::details-content)" in wide
    assert ".site-menu > summary { display: none; }" in wide
    assert "content-visibility: visible" in wide
