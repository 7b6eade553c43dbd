"""
What each lesson carries beside its words (issue 14): examples for a baby, a toddler and a
school-age child (the parent's chosen age first, remembered on their account), its needs on the
circle drawn as an accessible picture, and the Listen control. Validated by the loader and the
admin, kept in the lesson's versions.
"""

import re
import shutil

import frontmatter
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from courses.authoring import lesson_history, lesson_version_restore
from courses.loader import CONTENT_DIR, course_load
from courses.models import Lesson
from tests.factories import lesson_change_data

pytestmark = pytest.mark.django_db

EXAMPLES = {
    "example_baby": "Your baby cries when you leave the room, and you come back and say hello.",
    "example_toddler": "Your toddler runs off at the park, looks back, and you wave and smile.",
    "example_school_age": "Your eight-year-old tells you about a hard day, and you listen.",
}


def lesson_url(slug="one"):
    return reverse("courses:lesson", args=["circle", slug])


def page(client, slug="one"):
    response = client.get(lesson_url(slug))
    assert response.status_code == 200
    return response.content.decode()


def section(html, element_id):
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


def example_order(html):
    """The ages of the examples as the page shows them, in order."""
    found = re.findall(
        r'<h3 class="h6 mb-1">(A [^<]+?)(?: <span|</h3>)', section(html, "age-examples")
    )
    return found


@pytest.fixture
def examples(course):
    for slug in ["one", "two"]:
        lesson = Lesson.objects.get(slug=slug)
        for name, text in EXAMPLES.items():
            setattr(lesson, name, text)
        lesson.save()
    return course


class TestAgeExamples:
    def test_every_age_shows_in_order_until_the_parent_picks_one(self, parent_client, examples):
        html = page(parent_client)
        assert example_order(html) == [
            "A baby",
            "A toddler or preschooler",
            "A school-age child",
        ]
        assert "age-chosen-badge" not in html
        assert '<details class="age-picker" open>' in html
        assert EXAMPLES["example_toddler"] in html

    def test_the_chosen_age_comes_first_and_is_marked(self, parent_client, parent, examples):
        parent.set_child_age("toddler")
        html = page(parent_client)
        assert example_order(html) == [
            "A toddler or preschooler",
            "A baby",
            "A school-age child",
        ]
        ages = section(html, "age-examples")
        assert ages.count("age-chosen-badge") == 1
        assert re.search(
            r'<div class="age-example is-chosen">\s*<h3 class="h6 mb-1">A toddler or preschooler '
            r'<span class="age-chosen-badge">your child\'s age</span>',
            ages,
        )
        assert re.search(r'<input[^>]*value="toddler"[^>]*checked', ages)

    def test_picking_an_age_on_a_lesson_is_remembered_for_the_next_lesson(
        self, parent_client, parent, examples
    ):
        response = parent_client.post(
            reverse("accounts:child-age"),
            {"child_age": "toddler", "next": lesson_url() + "#age-examples"},
        )
        assert response.status_code == 302
        assert response["Location"] == lesson_url() + "#age-examples"
        parent.refresh_from_db()
        assert parent.child_age == "toddler"
        html = page(parent_client, "two")
        assert example_order(html)[0] == "A toddler or preschooler"
        assert "Saved. Lessons show the example for a toddler or preschooler first." in html

    def test_show_every_age_alike_forgets_the_age(self, parent_client, parent, examples):
        parent.set_child_age("baby")
        parent_client.post(reverse("accounts:child-age"), {"child_age": "all"})
        parent.refresh_from_db()
        assert parent.child_age == ""
        assert example_order(page(parent_client))[0] == "A baby"

    def test_a_next_address_on_another_site_is_not_followed(self, parent_client, parent):
        response = parent_client.post(
            reverse("accounts:child-age"),
            {"child_age": "school_age", "next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("accounts:account")
        parent.refresh_from_db()
        assert parent.child_age == "school_age"

    @pytest.mark.parametrize("sent", [{}, {"child_age": "teen"}, {"child_age": "<b>"}])
    def test_a_missing_or_unknown_age_is_refused_kindly_and_changes_nothing(
        self, parent_client, parent, sent
    ):
        parent.set_child_age("baby")
        response = parent_client.post(reverse("accounts:child-age"), sent)
        assert response.status_code == 400
        html = response.content.decode()
        assert "child-age-errors" in html
        assert "Please pick an age" in html or "Select a valid choice" in html
        parent.refresh_from_db()
        assert parent.child_age == "baby"

    def test_visitors_are_sent_to_log_in(self, client):
        response = client.post(reverse("accounts:child-age"), {"child_age": "baby"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_the_account_page_shows_and_changes_the_age(self, parent_client, parent):
        parent.set_child_age("school_age")
        html = parent_client.get(reverse("accounts:account")).content.decode()
        assert "Your child&#x27;s age" in html
        assert re.search(r'<input[^>]*value="school_age"[^>]*checked', html)
        assert 'name="next" value="/account/#child-age"' in html
        response = parent_client.post(
            reverse("accounts:child-age"), {"child_age": "baby", "next": "/account/#child-age"}
        )
        assert response["Location"] == "/account/#child-age"
        assert User.objects.get(pk=parent.pk).child_age == "baby"

    def test_a_lesson_without_examples_has_no_age_section(self, parent_client, course):
        assert 'id="age-examples"' not in page(parent_client)

    def test_examples_are_plain_text(self, parent_client, course):
        Lesson.objects.filter(slug="one").update(example_baby="<script>alert(1)</script> *not em*")
        html = page(parent_client)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; *not em*" in html

    def test_the_chosen_age_costs_no_query(self, parent_client, parent, examples):
        page(parent_client)  # warm the content cache and create progress
        counts = []
        for age in ["", "toddler"]:
            parent.set_child_age(age)
            with CaptureQueriesContext(connection) as captured:
                page(parent_client)
            counts.append(len(captured))
        assert counts[0] == counts[1]

    def test_my_data_holds_the_childs_age(self, parent_client, parent):
        parent.set_child_age("toddler")
        response = parent_client.post(reverse("accounts:my-data-download"))
        assert b'"child_age": "toddler"' in response.content

    def test_the_preview_shows_the_examples_as_parents_will(self, staff_client, staff, examples):
        staff.set_child_age("school_age")
        response = staff_client.get(reverse("courses:lesson-preview", args=["circle", "one"]))
        assert example_order(response.content.decode())[0] == "A school-age child"


class TestVersionsAndAdmin:
    def test_a_changed_example_is_a_new_version_shown_in_the_diff_and_restorable(
        self, staff, examples
    ):
        lesson = Lesson.objects.get(slug="one")
        before = lesson.versions.count()
        original = lesson.versions.first()
        lesson.example_toddler = "A different toddler story, with a park and a swing."
        lesson.save(edited_by=staff, version_note="Edited in a test")
        assert lesson.versions.count() == before + 1
        newest = lesson_history(lesson)[0]
        assert [change.label for change in newest.changes] == [
            "Example for a toddler or preschooler"
        ]
        assert lesson_version_restore(version=original, user=staff)
        lesson.refresh_from_db()
        assert lesson.example_toddler == EXAMPLES["example_toddler"]

    def test_the_versions_page_shows_an_example_change(self, staff_client, staff, examples):
        lesson = Lesson.objects.get(slug="one")
        lesson.example_baby = "A new baby example."
        lesson.save(edited_by=staff)
        html = staff_client.get(
            reverse("admin:courses_lesson_versions", args=[lesson.pk])
        ).content.decode()
        assert "Example for a baby" in html
        assert re.search(r'<ins class="diff-added">[^<]*new', html)

    def test_staff_edit_the_examples_and_needs_in_the_lesson_form(self, staff_client, course):
        lesson = Lesson.objects.get(slug="one")
        url = reverse("admin:courses_lesson_change", args=[lesson.pk])
        form = staff_client.get(url).content.decode()
        assert 'name="example_toddler"' in form
        assert re.search(r'type="checkbox" name="circle_needs" value="help_me"', form)
        data = lesson_change_data(
            lesson,
            example_toddler="Your toddler climbs the steps and looks back at you.",
            circle_needs=["help_me", "watch_over_me"],
        )
        response = staff_client.post(url, data)
        assert response.status_code == 302
        lesson.refresh_from_db()
        assert lesson.circle_needs == ["watch_over_me", "help_me"]  # the circle's own order
        assert lesson.versions.first().example_toddler.startswith("Your toddler climbs")

    def test_the_lesson_form_refuses_a_need_from_the_other_half(self, staff_client, course):
        lesson = Lesson.objects.get(slug="one")  # about exploration
        url = reverse("admin:courses_lesson_change", args=[lesson.pk])
        response = staff_client.post(url, lesson_change_data(lesson, circle_needs=["comfort_me"]))
        assert response.status_code == 200
        assert "Comfort me is not on this lesson&#x27;s half of the circle" in (
            response.content.decode()
        )
        assert Lesson.objects.get(slug="one").circle_needs == []


class TestModelRules:
    @pytest.mark.parametrize(
        "place, needs, problem",
        [
            ("exploration", ["comfort_me"], "is not on this lesson's half"),
            ("safe_haven", ["help_me"], "is not on this lesson's half"),
            ("hands", ["comfort_me"], "A lesson on the hands has no needs"),
            ("whole", ["hug_me"], "Unknown need on the circle: hug_me"),
            ("whole", ["help_me", "help_me"], "named once"),
            ("whole", "help_me", "must be a list"),
        ],
    )
    def test_needs_must_fit_the_vocabulary_and_the_lesson_s_half(
        self, course, place, needs, problem
    ):
        lesson = Lesson.objects.get(slug="one")
        lesson.circle_place, lesson.circle_needs = place, needs
        with pytest.raises(ValidationError, match=problem):
            lesson.full_clean()

    @pytest.mark.parametrize(
        "place, needs",
        [
            ("exploration", ["delight_in_me", "enjoy_with_me"]),
            ("safe_haven", ["delight_in_me", "protect_me"]),
            ("whole", ["help_me", "comfort_me"]),
            ("hands", []),
        ],
    )
    def test_needs_from_the_lesson_s_own_half_are_fine(self, course, place, needs):
        lesson = Lesson.objects.get(slug="one")
        lesson.circle_place, lesson.circle_needs = place, needs
        lesson.full_clean()


# The circle in each lesson -----------------------------------------------------------------


def circle_svg(html):
    start = html.index('<svg class="lesson-circle-picture"')
    return html[start : html.index("</svg>", start) + 6]


@pytest.mark.parametrize(
    "place, needs, description",
    [
        (
            "safe_haven",
            ["comfort_me", "organise_my_feelings"],
            "This lesson is about the bottom of the circle, where your child comes back to you: "
            "comfort me, organise my feelings.",
        ),
        (
            "exploration",
            ["watch_over_me", "delight_in_me"],
            "This lesson is about the top of the circle, where your child goes out to explore: "
            "watch over me, delight in me.",
        ),
        ("hands", [], "This lesson is about the hands on the circle: you, holding both halves."),
        ("whole", [], "This lesson is about the whole circle."),
    ],
)
def test_the_circle_says_in_words_where_the_lesson_sits(
    parent_client, course, place, needs, description
):
    Lesson.objects.filter(slug="one").update(circle_place=place, circle_needs=needs)
    svg = circle_svg(page(parent_client))
    assert 'role="img"' in svg
    assert 'aria-labelledby="lesson-circle-title lesson-circle-desc"' in svg
    assert '<title id="lesson-circle-title">Where this lesson sits on the circle</title>' in svg
    assert f'<desc id="lesson-circle-desc">{description}</desc>' in svg


def test_the_circle_lights_the_lesson_s_half_and_needs_only(parent_client, course):
    Lesson.objects.filter(slug="one").update(
        circle_place="safe_haven", circle_needs=["delight_in_me", "comfort_me"]
    )
    svg = circle_svg(page(parent_client))
    assert "lesson-circle-bottom is-here" in svg
    assert "lesson-circle-top is-here" not in svg and "lesson-circle-hands is-here" not in svg
    lit = re.findall(r'<text class="lesson-circle-need is-here"[^>]*>([^<]+)</text>', svg)
    assert lit == ["Comfort me", "Delight in me"]  # delight in me lights on the bottom only
    assert "style=" not in svg and "fill=" not in svg  # colours come from the stylesheet


def test_a_whole_circle_lesson_lights_both_halves_and_the_hands(parent_client, course):
    Lesson.objects.filter(slug="one").update(circle_place="whole", circle_needs=["delight_in_me"])
    svg = circle_svg(page(parent_client))
    for part in ["lesson-circle-top", "lesson-circle-bottom", "lesson-circle-hands"]:
        assert f"{part} is-here" in svg
    lit = re.findall(r'<text class="lesson-circle-need is-here"[^>]*>([^<]+)</text>', svg)
    assert lit == ["Delight in me", "Delight in me"]


# Listen ------------------------------------------------------------------------------------


def test_the_listen_control_is_hidden_until_the_script_finds_speech(parent_client, course):
    html = page(parent_client)
    control = re.search(r"<div class=\"listen-controls\"[^>]*>", html).group(0)
    assert control.endswith(" hidden>")
    assert 'data-listen-parts="article.reading h1, .lesson-body, .key-points, .practice"' in control
    assert re.search(r'<script src="/static/js/listen\.js" nonce="[^"]+" defer></script>', html)
    status = re.search(r'<span class="listen-status[^"]*" role="status"[^>]*>', html)
    assert status and "aria-live" not in status.group(0)  # role=status is polite already


def test_the_listen_script_is_small_and_runs_nothing_unsafe():
    script = (CONTENT_DIR.parent.parent / "static" / "js" / "listen.js").read_text()
    assert len(script.encode()) < 6000
    assert not re.search(r"\beval\(|new Function|innerHTML|setAttribute\(\"on", script)
    assert "document.documentElement.lang" in script
    assert "speechSynthesis" in script


# The loader --------------------------------------------------------------------------------


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "circle-of-security"
    shutil.copytree(CONTENT_DIR / "circle-of-security", target)
    return target


HANDS = "04-being-the-hands/01-the-hands.md"
BEING_WITH = "03-safe-haven/03-being-with.md"


def edit_lesson(folder, name, change):
    path = folder / name
    post = frontmatter.load(path)
    change(post.metadata)
    path.write_text(frontmatter.dumps(post), encoding="utf-8")


@pytest.mark.parametrize(
    "name, change, message",
    [
        (
            BEING_WITH,
            lambda meta: meta["age_examples"].update(teen="A teenager story."),
            r"03-safe-haven/03-being-with\.md: age_examples has an unknown age 'teen'",
        ),
        (
            BEING_WITH,
            lambda meta: meta.update(age_examples=["a list", "of stories"]),
            r"03-safe-haven/03-being-with\.md: age_examples must map baby, toddler, school_age",
        ),
        (
            BEING_WITH,
            lambda meta: meta["age_examples"].update(baby=["not", "text"]),
            r"03-safe-haven/03-being-with\.md: age_examples: the example for 'baby' must be text",
        ),
        (
            BEING_WITH,
            lambda meta: meta.update(circle_needs=["comfort_me", "hug_me"]),
            r"03-safe-haven/03-being-with\.md: circle_needs: Unknown need on the circle: hug_me",
        ),
        (
            BEING_WITH,
            lambda meta: meta.update(circle_needs=["help_me"]),
            r"03-safe-haven/03-being-with\.md: circle_needs: Help me is not on this lesson",
        ),
        (
            HANDS,
            lambda meta: meta.update(circle_needs=["comfort_me"]),
            r"04-being-the-hands/01-the-hands\.md: circle_needs: A lesson on the hands",
        ),
        (
            BEING_WITH,
            lambda meta: meta.update(circle_needs="comfort_me"),
            r"03-safe-haven/03-being-with\.md: circle_needs: The needs on the circle must be a",
        ),
    ],
)
def test_a_lesson_file_with_a_bad_new_field_is_refused_by_name(content, name, change, message):
    edit_lesson(content, name, change)
    with pytest.raises(ValidationError, match=message):
        course_load(path=content)
    assert not Lesson.objects.exists()


def test_a_lesson_may_not_take_the_address_of_a_course_page(content, course):
    edit_lesson(content, BEING_WITH, lambda meta: meta.update(slug="glossary"))
    with pytest.raises(ValidationError, match=r"03-being-with\.md: 'glossary' is the address"):
        course_load(path=content)
    lesson = Lesson.objects.get(slug="one")
    lesson.slug = "certificate"
    with pytest.raises(ValidationError, match="'certificate' is the address of a course page"):
        lesson.full_clean()


def test_the_real_course_loads_its_examples_and_needs(content):
    course_load(path=content)
    lesson = Lesson.objects.get(slug="being-with")
    assert lesson.circle_needs == ["comfort_me", "organise_my_feelings"]
    assert lesson.example_baby.startswith("Your four-month-old has been crying")
    assert lesson.example_toddler.startswith("Your two-year-old sobs")
    assert lesson.example_school_age.startswith("Your ten-year-old says nobody")
    assert lesson.versions.filter(language="").first().example_toddler == lesson.example_toddler
    assert not Lesson.objects.filter(example_baby="").exists()


def test_an_edited_example_is_reported_by_a_dry_run(content):
    course_load(path=content)
    edit_lesson(
        content, BEING_WITH, lambda meta: meta["age_examples"].update(baby="A new baby story.")
    )
    report = course_load(path=content, dry_run=True)
    item = next(item for item in report.items if item.slug == "being-with")
    # The Spanish was translated from the old English: it is now out of date, and said so.
    assert (item.status, item.fields) == ("updated", ["example for a baby", "translation (es)"])
    assert Lesson.objects.get(slug="being-with").example_baby.startswith("Your four-month-old")
