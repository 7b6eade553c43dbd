"""
The course glossary: its page, and each term linked from its first appearance in the course
(the first published lesson, in order, that uses it in running text), computed per course and
content version in the content cache, never in headings, links or code.
"""

import re
import shutil

import frontmatter
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from courses.content_cache import course_glossary, lesson_body_html
from courses.glossary import GlossaryEntry, GlossaryTerm, glossary_link
from courses.loader import CONTENT_DIR, course_load
from courses.models import Course, Lesson
from tests.factories import GlossaryTermFactory

pytestmark = pytest.mark.django_db

GLOSSARY_URL = "/courses/circle/glossary/"


def entry(slug, *forms):
    return GlossaryEntry(slug=slug, term=slug.title(), definition="Means.", forms=forms)


def link(entries, *bodies):
    """Link the bodies (in course order) and return (first use, {index: HTML})."""
    return glossary_link(
        entries=entries, lessons=list(enumerate(bodies, start=1)), url="/courses/c/glossary/"
    )


def links_in(html):
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)


class TestLinkingRules:
    def test_a_term_links_from_its_first_appearance_only(self):
        first_use, bodies = link(
            [entry("shark-music", "shark music")],
            "A lesson with no such words.",
            "Shark music again. And shark music once more.",
            "Shark music in a later lesson.",
        )
        assert first_use == {"shark-music": 2}
        assert list(bodies) == [2]
        assert links_in(bodies[2]) == [("/courses/c/glossary/#term-shark-music", "Shark music")]

    def test_a_term_in_a_heading_a_link_or_code_is_linked_at_its_next_place_in_running_text(
        self,
    ):
        body = (
            "## Shark music\n\n"
            "[shark music](https://example.org/)\n\n"
            "`shark music` and\n\n"
            "```\nshark music\n```\n\n"
            "> Here *shark music* plays.\n\n"
            "And here it plays again: shark music."
        )
        _, bodies = link([entry("shark-music", "shark music")], body)
        html = bodies[1]
        assert "<h2>Shark music</h2>" in html
        assert '<a href="https://example.org/" rel="noopener noreferrer">shark music</a>' in html
        assert "<code>shark music</code>" in html
        assert "<pre><code>shark music\n</code></pre>" in html
        assert links_in(html) == [
            ("https://example.org/", "shark music"),
            ("/courses/c/glossary/#term-shark-music", "shark music"),
        ]
        assert "<em><a href" in html  # the emphasised mention in the quote is the first one
        assert html.endswith("plays again: shark music.</p>\n")

    def test_a_lesson_that_uses_a_term_only_in_headings_leaves_it_to_the_next_lesson(self):
        first_use, bodies = link(
            [entry("repair", "repair")], "## Repair\n\nNothing else.", "Time to repair."
        )
        assert first_use == {"repair": 2}
        assert list(bodies) == [2]

    def test_matching_is_whole_word_and_ignores_case(self):
        first_use, bodies = link(
            [entry("repair", "repair", "repairs"), entry("miscue", "miscue")],
            "She repaired the miscues in it.",  # neither form stands as a whole word
            "REPAIRS come later, and a Miscue too.",
        )
        assert first_use == {"repair": 2, "miscue": 2}
        assert [text for _, text in links_in(bodies[2])] == ["REPAIRS", "Miscue"]

    def test_the_longest_form_at_a_place_wins(self):
        _, bodies = link(
            [entry("secure-attachment", "attachment", "secure attachment")],
            "A secure attachment grows.",
        )
        assert [text for _, text in links_in(bodies[1])] == ["secure attachment"]

    def test_curly_apostrophes_and_line_breaks_still_match(self):
        first_use, bodies = link(
            [entry("childs-play", "child's play"), entry("secure-base", "secure base")],
            "It is child\u2019s play,\nand a secure\nbase.",
        )
        assert first_use == {"childs-play": 1, "secure-base": 1}
        assert [text for _, text in links_in(bodies[1])] == ["child\u2019s play", "secure\nbase"]

    def test_linked_bodies_are_still_sanitised(self):
        body = (
            "Shark music <script>alert(1)</script> [x](javascript:alert(2)) "
            '<a href="#" onclick="alert(3)">shark</a>'
        )
        _, bodies = link([entry("shark-music", "shark music")], body)
        html = bodies[1]
        assert not re.search(r"<script|href=\"javascript:|<a [^>]*onclick", html)
        assert links_in(html) == [("/courses/c/glossary/#term-shark-music", "Shark music")]

    def test_no_terms_means_no_links(self):
        assert link([], "Shark music.") == ({}, {})


@pytest.fixture
def glossary(course):
    """Two terms: shark music (in lessons one and two) and repair (only in lesson three)."""
    Lesson.objects.filter(slug="one").update(body="## Shark music\n\nWhen shark music plays...")
    Lesson.objects.filter(slug="two").update(body="Shark music, again.")
    for slug in ["one", "two"]:
        Lesson.objects.get(slug=slug).save()  # body_html follows the body
    three = Lesson.objects.get(slug="three")
    three.body = "After a rupture comes repair."
    three.save()
    GlossaryTermFactory(
        course=course,
        slug="shark-music",
        term="Shark music",
        forms="shark music",
        definition="An uneasy feeling from the past.",
        position=1,
    )
    GlossaryTermFactory(
        course=course,
        slug="repair",
        term="Repair",
        forms="repair\nrepairs",
        definition="Coming back after a rupture.",
        position=2,
    )
    return course


def lesson_page(client, slug):
    response = client.get(reverse("courses:lesson", args=["circle", slug]))
    assert response.status_code == 200
    return response.content.decode()


def body_links(html):
    start = html.index('class="lesson-body"')
    return links_in(html[start : html.index("</div>", start)])


class TestLessonPages:
    def test_a_lesson_links_the_terms_it_is_the_first_to_use(self, parent_client, glossary):
        assert body_links(lesson_page(parent_client, "one")) == [
            (f"{GLOSSARY_URL}#term-shark-music", "shark music")
        ]
        assert body_links(lesson_page(parent_client, "two")) == []
        assert body_links(lesson_page(parent_client, "three")) == [
            (f"{GLOSSARY_URL}#term-repair", "repair")
        ]

    def test_the_first_appearance_moves_when_the_first_lesson_is_unpublished(
        self, parent_client, glossary
    ):
        Lesson.objects.filter(slug="one").update(is_published=False)
        assert body_links(lesson_page(parent_client, "two")) == [
            (f"{GLOSSARY_URL}#term-shark-music", "Shark music")
        ]

    def test_an_edited_term_links_at_once(self, parent_client, glossary):
        lesson_page(parent_client, "three")  # the course's links are now cached
        term = GlossaryTerm.objects.get(slug="repair")
        term.forms = "rupture"
        term.save()
        assert body_links(lesson_page(parent_client, "three")) == [
            (f"{GLOSSARY_URL}#term-repair", "rupture")
        ]

    def test_glossary_writes_raise_the_content_version(self, glossary):
        def version():
            return Course.objects.get(slug="circle").content_version

        for write in [
            lambda: GlossaryTerm.objects.get(slug="repair").save(),
            lambda: GlossaryTerm.objects.filter(slug="repair").update(term="Mending"),
            lambda: GlossaryTermFactory(course=glossary),
            lambda: GlossaryTerm.objects.filter(slug="repair").delete(),
        ]:
            before = version()
            write()
            assert version() > before

    def test_the_links_are_worked_out_once_per_course_and_version(
        self, parent_client, glossary, django_assert_num_queries
    ):
        lesson = Lesson.objects.select_related("module__course").get(slug="three")
        with django_assert_num_queries(1):  # the lessons, their bodies and the course's terms
            assert "#term-repair" in lesson_body_html(lesson)
        with django_assert_num_queries(0):
            assert "#term-repair" in lesson_body_html(lesson)
            assert [e.slug for e in course_glossary(lesson.module.course).entries] == [
                "shark-music",
                "repair",
            ]

    def test_a_course_without_a_glossary_costs_no_query_for_it(
        self, course, django_assert_num_queries
    ):
        lesson = Lesson.objects.select_related("module__course").get(slug="one")
        with django_assert_num_queries(1):  # the lessons, which say there are no terms
            assert lesson_body_html(lesson) == lesson.body_html
        assert not course_glossary(lesson.module.course)

    def test_the_lesson_page_links_to_the_glossary_when_the_course_has_one(
        self, parent_client, course
    ):
        assert GLOSSARY_URL not in lesson_page(parent_client, "one")
        GlossaryTermFactory(course=course)
        assert f'href="{GLOSSARY_URL}"' in lesson_page(parent_client, "one")

    def test_the_preview_links_terms_as_parents_will_meet_them(self, staff_client, glossary):
        draft = Lesson.objects.get(slug="hidden")
        draft.body = "Only the draft says miscue."
        draft.save()
        GlossaryTermFactory(course=glossary, slug="miscue", forms="miscue")
        html = staff_client.get(reverse("courses:lesson-preview", args=["circle", "hidden"]))
        assert body_links(html.content.decode()) == [(f"{GLOSSARY_URL}#term-miscue", "miscue")]
        one = staff_client.get(reverse("courses:lesson-preview", args=["circle", "one"]))
        assert body_links(one.content.decode()) == [
            (f"{GLOSSARY_URL}#term-shark-music", "shark music")
        ]


class TestGlossaryPage:
    def test_anyone_sees_every_term_with_its_anchor_and_where_it_is_first_met(
        self, client, glossary
    ):
        response = client.get(GLOSSARY_URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert '<div class="glossary-entry" id="term-shark-music">' in html
        assert '<div class="glossary-entry" id="term-repair">' in html
        assert html.index("Shark music") < html.index("Repair")
        assert "Coming back after a rupture." in html
        assert "First met in:" in html and "Lesson three" in html
        # Visitors see the lesson's name; lessons open to people who are signed in.
        assert reverse("courses:lesson", args=["circle", "three"]) not in html

    def test_a_parent_can_follow_a_term_to_the_lesson_that_first_uses_it(
        self, parent_client, glossary
    ):
        html = parent_client.get(GLOSSARY_URL).content.decode()
        assert f'href="{reverse("courses:lesson", args=["circle", "three"])}">Lesson three' in html

    def test_the_introduction_reads_as_paragraphs_and_stays_inert(self, client, glossary):
        glossary.glossary_intro = "Words that may be new,\nwrapped.\n\n<b>Second</b> paragraph."
        glossary.save()
        html = client.get(GLOSSARY_URL).content.decode()
        assert "<p>Words that may be new,\nwrapped.</p>" in html
        assert "<p>&lt;b&gt;Second&lt;/b&gt; paragraph.</p>" in html

    def test_a_course_with_no_terms_says_so(self, client, course):
        assert "has no glossary yet" in client.get(GLOSSARY_URL).content.decode()

    def test_an_unknown_or_unpublished_course_has_no_glossary(self, client, course):
        assert client.get("/courses/nope/glossary/").status_code == 404
        Course.objects.filter(slug="circle").update(is_published=False)
        assert client.get(GLOSSARY_URL).status_code == 404

    def test_the_course_page_links_to_its_glossary(self, client, glossary):
        html = client.get(reverse("courses:course", args=["circle"])).content.decode()
        assert f'href="{GLOSSARY_URL}"' in html

    def test_the_glossary_page_stays_within_a_few_queries(
        self, django_assert_max_num_queries, glossary
    ):
        with django_assert_max_num_queries(2):  # the course, and on a cold cache the lessons
            Client().get(GLOSSARY_URL)


# The loader --------------------------------------------------------------------------------


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "circle-of-security"
    shutil.copytree(CONTENT_DIR / "circle-of-security", target)
    return target


def edit_glossary(folder, change, name="glossary.md"):
    path = folder / name
    post = frontmatter.load(path)
    change(post.metadata["terms"])
    path.write_text(frontmatter.dumps(post), encoding="utf-8")


def without_forms(terms):
    terms[2]["forms"] = []


def duplicate_slug(terms):
    terms[3]["slug"] = terms[1]["slug"]


def form_of_two_terms(terms):
    terms[4]["forms"].append(terms[0]["forms"][0])


def bad_slug(terms):
    terms[0]["slug"] = "Not A Slug"


def unknown_field(terms):
    terms[0]["meaning"] = terms[0].pop("definition")


def no_definition(terms):
    terms[0]["definition"] = " "


@pytest.mark.parametrize(
    "change, message",
    [
        (without_forms, r"glossary\.md: term 3 \(safe-haven\) has no forms"),
        (duplicate_slug, r"glossary\.md: The slug 'exploration' is used by two terms"),
        (form_of_two_terms, r"glossary\.md: The form 'circle of security' belongs to both"),
        (bad_slug, r"glossary\.md: term 1 needs a slug of lower-case letters"),
        (unknown_field, r"glossary\.md: term 1 has an unknown field 'meaning'"),
        (no_definition, r"glossary\.md: term 1 \(circle-of-security\) has no definition"),
    ],
)
def test_a_glossary_mistake_is_refused_with_the_file_and_term_named(content, change, message):
    edit_glossary(content, change)
    with pytest.raises(ValidationError, match=message):
        course_load(path=content)
    assert not Course.objects.exists()


def test_a_glossary_without_its_list_of_terms_is_refused(content):
    (content / "glossary.md").write_text("---\ntitle: Words\n---\nHello\n")
    with pytest.raises(ValidationError, match=r"glossary\.md: missing terms"):
        course_load(path=content)


def test_the_real_glossary_loads_with_every_term_in_order(content):
    course_load(path=content)
    course = Course.objects.get()
    terms = list(course.glossary_terms.all())
    assert len(terms) == 21
    assert terms[0].slug == "circle-of-security"
    assert GlossaryTerm.objects.get(slug="miscue").form_list == ["miscue", "miscues"]
    assert course.glossary_intro.startswith("Words this course uses")


def test_a_term_left_out_of_the_file_is_removed_and_reported(content):
    course_load(path=content)
    edit_glossary(content, lambda terms: terms.pop())
    edit_glossary(content, lambda terms: terms.pop(), name="glossary.es.md")  # and its Spanish
    report = course_load(path=content)
    item = next(item for item in report.items if item.kind == "glossary")
    assert (item.status, item.fields) == (
        "updated",
        ["removed term self-compassion", "translation (es)"],
    )
    assert not GlossaryTerm.objects.filter(slug="self-compassion").exists()


def test_a_course_folder_without_a_glossary_leaves_the_glossary_alone(content):
    course_load(path=content)
    (content / "glossary.md").unlink()
    report = course_load(path=content)
    assert not report.has_changes
    assert GlossaryTerm.objects.count() == 21


# The admin ---------------------------------------------------------------------------------


def course_form(course, **extra):
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "description": course.description,
        "glossary_intro": course.glossary_intro,
        "position": course.position,
        "is_published": "on",
        "modules-TOTAL_FORMS": 0,
        "modules-INITIAL_FORMS": 0,
        "glossary_terms-TOTAL_FORMS": 0,
        "glossary_terms-INITIAL_FORMS": 0,
    }
    data.update(extra)
    return data


def new_terms(*terms):
    data = {"glossary_terms-TOTAL_FORMS": len(terms)}
    for number, (slug, forms) in enumerate(terms):
        data.update(
            {
                f"glossary_terms-{number}-term": slug.title(),
                f"glossary_terms-{number}-slug": slug,
                f"glossary_terms-{number}-position": number + 1,
                f"glossary_terms-{number}-forms": forms,
                f"glossary_terms-{number}-definition": "What it means.",
            }
        )
    return data


def test_staff_add_glossary_terms_on_the_course_page(staff_client, course):
    url = reverse("admin:courses_course_change", args=[course.pk])
    assert "Glossary terms" in staff_client.get(url).content.decode()
    response = staff_client.post(
        url, course_form(course, **new_terms(("miscue", "Miscue\r\n miscues \r\n\r\n")))
    )
    assert response.status_code == 302
    assert GlossaryTerm.objects.get(course=course, slug="miscue").forms == "miscue\nmiscues"


def test_the_admin_refuses_a_form_claimed_by_two_terms(staff_client, course):
    url = reverse("admin:courses_course_change", args=[course.pk])
    data = course_form(course, **new_terms(("repair", "repair"), ("mending", "mending\nrepair")))
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "The form &#x27;repair&#x27; belongs to both" in response.content.decode()
    assert not GlossaryTerm.objects.exists()


def test_the_admin_refuses_a_term_without_forms(staff_client, course):
    url = reverse("admin:courses_course_change", args=[course.pk])
    response = staff_client.post(url, course_form(course, **new_terms(("repair", " \r\n "))))
    assert response.status_code == 200
    assert not GlossaryTerm.objects.exists()


def test_the_real_course_links_being_with_from_its_own_lesson(parent_client, content):
    course_load(path=content)
    html = lesson_page_of(parent_client, "being-with")
    assert (
        "/courses/circle-of-security/glossary/#term-being-with",
        "Being with",
    ) in body_links(html)
    assert "<h2>What being with means</h2>" in html  # headings are never linked


def lesson_page_of(client, slug):
    lesson = Lesson.objects.get(slug=slug)
    return client.get(lesson.get_absolute_url()).content.decode()
