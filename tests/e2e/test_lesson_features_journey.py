"""
Issue 14 in the browser, on a small phone (360 px): a parent picks "toddler" and meets that
example first on the next lesson too, follows a glossary link, listens to a lesson (the speech
is stubbed: headless Chromium may have no voices) and opens and prints the module's handout.
"""

import re

import pytest

from accounts.models import User
from courses.models import Module
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Stands in for the browser's voice: what Listen asks it to say is kept in window.spoken.
SPEECH_STUB = """
window.spoken = [];
window.printed = 0;
window.print = function () { window.printed += 1; };
if (window.speechSynthesis) {
  const synth = window.speechSynthesis;
  synth.speak = (utterance) => window.spoken.push({text: utterance.text, lang: utterance.lang});
  synth.cancel = () => { window.cancelled = (window.cancelled || 0) + 1; };
  synth.pause = () => { window.paused = true; };
  synth.resume = () => { window.paused = false; };
}
"""
NO_SPEECH = "delete window.speechSynthesis; delete Window.prototype.speechSynthesis;"


def example_headings(page):
    return [
        text.replace("your child's age", "").strip()
        for text in page.locator("#age-examples .age-example h3").all_inner_texts()
    ]


def test_a_parent_picks_an_age_follows_the_glossary_listens_and_prints_a_handout(
    visit, real_course
):
    UserFactory(email="robin@example.com", display_name="Robin")
    parent = visit(width=360, height=740)
    page = parent.page
    page.add_init_script(SPEECH_STUB)
    parent.log_in("robin@example.com")

    parent.goto("/courses/circle-of-security/going-out-to-explore/")
    assert example_headings(page)[0] == "A baby"
    page.get_by_label("A toddler or preschooler").check()
    page.get_by_role("button", name="Save my child's age").click()
    parent.check()
    assert page.url.endswith("/going-out-to-explore/#age-examples")
    assert example_headings(page) == [
        "A toddler or preschooler",
        "A baby",
        "A school-age child",
    ]
    assert page.locator(".age-example.is-chosen .age-chosen-badge").is_visible()
    assert User.objects.get(email="robin@example.com").child_age == "toddler"

    page.get_by_role("link", name=re.compile("^Next: ")).click()
    parent.check()
    assert "support-my-exploration" in page.url
    assert example_headings(page)[0] == "A toddler or preschooler"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    circle = page.get_by_role("img", name="Where this lesson sits on the circle")
    assert circle.is_visible()
    assert "top of the circle" in page.locator("#lesson-circle-desc").text_content()

    # Listen: the control appears where the browser can speak; pressing it hands the lesson,
    # title first, to the browser's own speech in the page's language.
    title = page.get_by_role("heading", level=1).inner_text()
    listen = page.get_by_role("button", name="Listen")
    assert listen.is_visible()
    listen.click()
    spoken = page.evaluate("window.spoken")
    assert spoken[0] == {"text": title, "lang": "en-GB"}
    assert any("Key points" in piece["text"] for piece in spoken)
    assert any("Try this week" in piece["text"] for piece in spoken)
    assert all(len(piece["text"]) <= 220 for piece in spoken)
    assert page.get_by_role("status").filter(has_text="Reading the lesson aloud").is_visible()
    page.get_by_role("button", name="Pause").click()
    assert page.evaluate("window.paused") is True
    assert page.get_by_role("status").filter(has_text="Paused.").is_visible()
    page.get_by_role("button", name="Resume").click()
    assert page.evaluate("window.paused") is False
    page.get_by_role("button", name="Stop").click()
    assert page.get_by_role("button", name="Listen").is_visible()
    assert not page.get_by_role("button", name="Stop").is_visible()
    parent.check()

    # The first glossary word of the lesson leads to its entry on the glossary page.
    term = page.locator(".lesson-body a[href*='/glossary/#term-']").first
    anchor = term.get_attribute("href").split("#")[1]
    term.click()
    parent.check()
    assert page.url.endswith(f"/courses/circle-of-security/glossary/#{anchor}")
    assert page.locator(f"#{anchor}").is_visible()
    assert page.locator(f"#{anchor} dd").inner_text().strip()

    page.go_back()
    page.get_by_role("link", name=re.compile("^Handout to print")).click()
    parent.check()
    module = Module.objects.get(slug="exploration")
    assert page.get_by_role("heading", level=1).inner_text() == module.title
    assert page.locator(".handout-lesson").count() == 2
    page.get_by_role("button", name="Print this handout").click()
    assert page.evaluate("window.printed") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    parent.assert_clean()


def test_listen_is_hidden_where_the_browser_cannot_speak(visit, real_course):
    UserFactory(email="quiet@example.com")
    parent = visit(width=360, height=740)
    parent.page.add_init_script(NO_SPEECH)
    parent.log_in("quiet@example.com")
    parent.goto("/courses/circle-of-security/being-with/")
    assert parent.page.evaluate("typeof window.speechSynthesis") == "undefined"
    assert parent.page.locator("[data-listen]").count() == 1
    assert not parent.page.get_by_role("button", name="Listen").is_visible()
    parent.assert_clean()


def test_every_handout_prints_on_one_or_two_pages(visit, real_course):
    UserFactory(email="printer@example.com")
    parent = visit()
    parent.log_in("printer@example.com")
    page = parent.page
    parent.goto("/courses/circle-of-security/")
    links = page.get_by_role("link", name=re.compile("^Handout to print")).all()
    urls = [link.get_attribute("href") for link in links]
    assert len(urls) == 7
    for url in urls:
        parent.goto(url)
        for paper in ["A4", "Letter"]:
            pdf = page.pdf(format=paper)
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            assert 1 <= pages <= 2, (url, paper, pages)
    parent.assert_clean()


# A device with one voice on it and one online, whose speech then fails (as an online voice
# does offline): Listen picks the device's voice and, when speech fails, says so.
FAILING_SPEECH = """
if (window.speechSynthesis) {
  // Plain utterances: a real one accepts only the browser's own voice objects.
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  const synth = window.speechSynthesis;
  synth.getVoices = () => [
    {name: "Online", lang: "en-GB", localService: false},
    {name: "On this device", lang: "en-GB", localService: true},
  ];
  synth.cancel = () => {};
  synth.speak = (utterance) => {
    window.voiceUsed = utterance.voice ? utterance.voice.name : null;
    setTimeout(() => utterance.onerror({error: "network"}), 10);
  };
}
"""


def test_listen_uses_a_voice_on_the_device_and_says_when_it_cannot_speak(visit, real_course):
    UserFactory(email="offline@example.com")
    parent = visit(width=360, height=740)
    parent.page.add_init_script(FAILING_SPEECH)
    parent.log_in("offline@example.com")
    parent.goto("/courses/circle-of-security/being-with/")
    page = parent.page
    page.get_by_role("button", name="Listen").click()
    status = page.get_by_role("status").filter(has_text="could not read this aloud")
    status.wait_for()
    assert page.evaluate("window.voiceUsed") == "On this device"
    assert page.get_by_role("button", name="Listen").is_visible()  # ready to try again
    assert not page.get_by_role("button", name="Stop").is_visible()
    parent.assert_clean()
