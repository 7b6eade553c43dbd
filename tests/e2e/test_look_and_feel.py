"""
Late at night on a phone (issue 11): the menu works with JavaScript off, focus is easy to see,
pages follow a dark device (and a remembered choice), and a lesson prints only its reading.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.models import Course, Lesson
from tests.e2e.keyboard import tab_to
from tests.factories import (
    CertificateFactory,
    LessonProgressFactory,
    MembershipFactory,
    ParentGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def first_lesson():
    course = Course.objects.get(slug="circle-of-security")
    return Lesson.objects.filter(module__course=course).order_by("module__position", "position")[0]


def luminance(css_colour):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(float(n)) for n in re.findall(r"[\d.]+", css_colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def page_background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def is_dark(page):
    return luminance(page_background(page)) < 0.05


def choose(visitor, name):
    """Press Automatic, Light or Dark in the footer; the same page comes back."""
    page = visitor.page
    before = page.url
    page.get_by_role("button", name=name, exact=True).click()
    visitor.check()
    assert page.url == before


def test_without_javascript_a_parent_on_a_phone_reaches_everything_through_the_menu(
    visit, real_course
):
    UserFactory(email="night@example.com", display_name="Noor")
    parent = visit(width=360, height=740, java_script_enabled=False)
    page = parent.page
    # axe needs timers, which never fire with JavaScript off: these pages are checked by axe in
    # the other journeys; here the HTML the server sent is still validated at the end.
    parent.check = lambda: page.wait_for_load_state("load")
    parent.log_in("night@example.com")
    assert page.get_by_role("heading", name="Hello, Noor").is_visible()
    nav = page.get_by_role("navigation", name="Main")
    menu = nav.locator("summary", has_text="Menu")
    journal = nav.get_by_role("link", name="My journal", exact=True)
    assert menu.is_visible() and not journal.is_visible()  # folded away at 360 px

    # With the keyboard: Tab to "Menu", Enter opens it, Tab on to the link.
    tab_to(page, r"^Menu$")
    page.keyboard.press("Enter")
    assert journal.is_visible()
    tab_to(page, r"^My journal$")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parent.check()
    assert page.get_by_role("heading", name="My journal", level=1).is_visible()

    menu.click()
    nav.get_by_role("link", name="My data", exact=True).click()
    parent.check()
    assert "/my-data/" in page.url
    assert page.get_by_role("heading", level=1).first.is_visible()

    menu.click()
    nav.get_by_role("button", name="Log out", exact=True).click()
    parent.check()
    menu.click()
    assert nav.get_by_role("link", name="Log in", exact=True).is_visible()
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    parent.assert_clean()


def focus_ring(page):
    """The focused element's outline, and the colour of what is around it."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            let around = el.parentElement;
            const clear = /^rgba\\(.*, 0\\)$|transparent/;
            while (around && clear.test(getComputedStyle(around).backgroundColor)) {
                around = around.parentElement;
            }
            return {
                name: (el.innerText || el.getAttribute("aria-label") || el.id || el.tagName).trim(),
                visible: el.matches(":focus-visible"),
                style: style.outlineStyle,
                width: parseFloat(style.outlineWidth),
                offset: parseFloat(style.outlineOffset),
                colour: style.outlineColor,
                around: around ? getComputedStyle(around).backgroundColor : "rgb(255, 255, 255)",
            };
        }"""
    )


def assert_clear_ring(ring):
    assert ring["visible"], ring
    assert ring["style"] == "solid" and ring["width"] >= 2 and ring["offset"] >= 0, ring
    assert contrast(ring["colour"], ring["around"]) >= 3, ring


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_a_clear_ring_on_links_radios_text_boxes_and_buttons(
    visit, real_course, scheme
):
    UserFactory(email="keys@example.com")
    parent = visit(color_scheme=scheme)
    page = parent.page
    parent.log_in("keys@example.com")
    parent.goto(first_lesson().get_absolute_url())

    tab_to(page, r"^My dashboard$")
    assert_clear_ring(focus_ring(page))
    # Further controls are focused directly: after a key press, focus stays keyboard focus.
    for control in [
        page.get_by_role("radio").first,
        page.get_by_label("Your reflection"),
        page.get_by_role("button", name="Save my reflection"),
        page.get_by_role("button", name="Mark this lesson as done"),
        page.locator("summary", has_text="Add a practice note"),
    ]:
        control.focus()
        assert_clear_ring(focus_ring(page))

    parent.goto("/dashboard/")
    page.keyboard.press("Tab")
    page.locator(".circle-part").first.focus()
    assert_clear_ring(focus_ring(page))
    parent.assert_clean()


def test_at_night_pages_are_dark_pass_axe_and_a_choice_is_remembered(visit, real_course):
    lesson = first_lesson()
    noor = UserFactory(email="night@example.com", display_name="Noor")
    alex = UserFactory(email="fac@example.com", role=User.Role.FACILITATOR)
    group = ParentGroupFactory(course=lesson.module.course, facilitators=[alex])
    MembershipFactory(group=group, user=noor)
    now = timezone.now()
    LessonProgressFactory(user=noor, lesson=lesson, started_at=now, completed_at=now)

    # A dark device: every page is dark, and axe (colour contrast included) finds nothing.
    parent = visit(color_scheme="dark")
    page = parent.page
    parent.log_in("night@example.com")
    assert is_dark(page)
    parent.goto(lesson.get_absolute_url())
    assert is_dark(page)

    facilitator = visit(width=360, height=740, color_scheme="dark")
    facilitator.log_in("fac@example.com")
    facilitator.goto(reverse("courses:facilitator-report", args=[group.pk]))
    assert is_dark(facilitator.page)
    facilitator.assert_clean()

    # The parent prefers light: it wins over the device, on this page and the next.
    choose(parent, "Light")
    assert not is_dark(page)
    assert page.locator("html").get_attribute("data-theme") == "light"
    parent.goto("/dashboard/")
    assert not is_dark(page)
    assert page.get_by_role("button", name="Light", exact=True).get_attribute("aria-pressed") == (
        "true"
    )
    choose(parent, "Automatic")
    assert is_dark(page)
    parent.assert_clean()

    # On a light device, Dark is remembered from page to page too.
    day = visit(width=360, height=740, color_scheme="light")
    day.log_in("night@example.com")
    assert not is_dark(day.page)
    choose(day, "Dark")
    assert is_dark(day.page)
    day.goto(lesson.get_absolute_url())
    assert is_dark(day.page)
    day.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_printed_lesson_has_its_reading_and_none_of_its_forms(visit, real_course, scheme):
    UserFactory(email="print@example.com")
    parent = visit(color_scheme=scheme)
    page = parent.page
    parent.log_in("print@example.com")
    if scheme == "dark":
        choose(parent, "Dark")
    lesson = first_lesson()
    parent.goto(lesson.get_absolute_url())
    assert page.locator("form").first.is_visible()

    page.emulate_media(media="print")

    assert page.get_by_role("heading", name=lesson.title, level=1).is_visible()
    assert page.locator(".lesson-body").is_visible()
    assert page.get_by_role("heading", name="Key points").is_visible()
    assert page.get_by_role("heading", name="Try this week").is_visible()
    forms = page.locator("form")
    assert forms.count() > 3
    assert not any(forms.nth(i).is_visible() for i in range(forms.count()))
    for hidden in [
        page.get_by_role("heading", name="Something to think about"),
        page.get_by_role("heading", name="Check your understanding"),
        page.get_by_role("heading", name="My practice notes"),
        page.get_by_role("heading", name="Your progress"),
        page.get_by_role("navigation", name="Main"),
        page.get_by_role("navigation", name="Breadcrumb"),
        page.get_by_role("navigation", name="Lessons"),
        page.locator("footer"),
        page.locator(".lesson-meta"),
    ]:
        assert not hidden.is_visible()
    # Paper is light whatever the screen was: dark words on a white page.
    assert luminance(page_background(page)) > 0.9
    assert luminance(page.evaluate("getComputedStyle(document.body).color")) < 0.05
    parent.assert_clean()


def test_a_certificate_still_prints_alone_on_white_after_choosing_dark(visit, real_course):
    noor = UserFactory(email="done@example.com")
    course = Course.objects.get(slug="circle-of-security")
    CertificateFactory(user=noor, course=course, name="Noor Ahmed")
    parent = visit(color_scheme="dark")
    page = parent.page
    parent.log_in("done@example.com")
    parent.goto(reverse("courses:certificate", args=[course.slug]))
    assert is_dark(page)

    page.emulate_media(media="print")

    certificate = page.locator(".certificate")
    assert certificate.is_visible() and "Noor Ahmed" in certificate.inner_text()
    assert luminance(certificate.evaluate("e => getComputedStyle(e).backgroundColor")) > 0.9
    for hidden in [
        page.get_by_role("heading", name="Your certificate"),
        page.get_by_role("button", name="Save the name"),
        page.get_by_role("navigation", name="Main"),
        page.locator("footer"),
    ]:
        assert not hidden.is_visible()
    parent.assert_clean()
