"""
Pages run a fixed number of queries, whatever the size of the course: the same budget holds
with 3 lessons and with ten times as many, and with progress on every lesson.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Lesson, LessonProgress
from tests.factories import (
    AssignmentFactory,
    CourseFactory,
    GlossaryTermFactory,
    LessonFactory,
    MembershipFactory,
    ModuleFactory,
    ParentGroupFactory,
)

pytestmark = pytest.mark.django_db

BUDGET = 8  # DESIGN.md: lesson page, course page and dashboard


@pytest.fixture(autouse=True, params=["en-gb", "es"])
def page_language(request, client, parent):
    """
    Every budget holds in both languages: in Spanish as the parent's saved choice (read with
    the user, no query of its own) and as a visitor's browser asks for it. The site's default
    stays English, so Spanish pages read the Spanish content (or mark the English).
    """
    parent.language = "" if request.param == "en-gb" else request.param
    parent.save(update_fields=["language"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = request.param
    return request.param


def test_the_pages_measured_are_in_the_language_asked_for(page_language, client, parent_client):
    lang = {"en-gb": 'lang="en-GB"', "es": 'lang="es"'}[page_language]
    assert lang in client.get("/").content.decode()
    assert lang in parent_client.get(reverse("courses:dashboard")).content.decode()
    build_course(1)
    html = client.get(reverse("courses:course", args=["big"])).content.decode()
    # In Spanish the translated lessons are read in Spanish and the others marked English.
    assert ("Lección 0" in html) == (page_language == "es")
    assert ('lang="en-GB">' in html.split("<body", 1)[1]) == (page_language == "es")


def build_course(lessons_per_module, modules=3, parent=None, glossary=0):
    course = CourseFactory(slug="big")
    for m in range(modules):
        module = ModuleFactory(course=course, position=m)
        if m % 2 == 0:
            module.set_translation("es", {"title": f"Módulo {m}"})
            module.save(update_fields=["translations"])
        for position in range(lessons_per_module):
            number = m * lessons_per_module + position  # each lesson is first to use its term
            lesson = LessonFactory(
                module=module,
                position=position,
                body=f"Words about term {number} and term {number + 1}.",
                example_baby="A baby example.",
                example_toddler="A toddler example.",
                example_school_age="A school-age example.",
            )
            # Every other lesson in Spanish too: the Spanish pages read translated and English
            # lessons alike, with the same budget.
            if number % 2 == 0:
                lesson.set_translation(
                    "es",
                    {"title": f"Lección {number}", "body": f"Palabras sobre término {number}."},
                )
                lesson.save(update_fields=["translations"])
    for number in range(glossary):
        term = GlossaryTermFactory(course=course, forms=f"term {number}")
        term.set_translation("es", {"term": f"término {number}", "forms": f"término {number}"})
        term.save(update_fields=["translations"])
    if parent is not None:
        now = timezone.now()
        LessonProgress.objects.bulk_create(
            LessonProgress(user=parent, lesson=lesson, started_at=now, last_seen_at=now)
            for lesson in Lesson.objects.filter(module__course=course)
        )
    return course


def middle_lesson(course):
    lessons = list(Lesson.objects.filter(module__course=course).in_course_order())
    return lessons[len(lessons) // 2]


@pytest.mark.parametrize("lessons_per_module", [1, 10])
class TestQueriesDoNotGrow:
    def test_lesson_page(
        self, parent_client, parent, lessons_per_module, django_assert_max_num_queries
    ):
        course = build_course(lessons_per_module, parent=parent)
        url = middle_lesson(course).get_absolute_url()  # outside the count: not the page's
        with django_assert_max_num_queries(BUDGET):
            response = parent_client.get(url)
        assert response.status_code == 200

    def test_lesson_page_with_a_glossary_and_a_chosen_age(
        self, parent_client, parent, lessons_per_module, django_assert_max_num_queries
    ):
        # The glossary is read with the course's lessons, the age with the user: no query more.
        course = build_course(lessons_per_module, parent=parent, glossary=3 * lessons_per_module)
        parent.set_child_age("toddler")
        url = middle_lesson(course).get_absolute_url()
        with django_assert_max_num_queries(BUDGET):
            response = parent_client.get(url)
        assert 'href="/courses/big/glossary/#term-' in response.content.decode()

    def test_glossary_page(self, client, lessons_per_module, django_assert_max_num_queries):
        build_course(lessons_per_module, glossary=3 * lessons_per_module)
        with django_assert_max_num_queries(BUDGET):
            response = client.get(reverse("courses:glossary", args=["big"]))
        assert len(response.context["glossary"].entries) == 3 * lessons_per_module

    def test_module_handout(
        self, parent_client, parent, lessons_per_module, django_assert_max_num_queries
    ):
        course = build_course(lessons_per_module, parent=parent)
        module = course.modules.first()
        with django_assert_max_num_queries(BUDGET):
            response = parent_client.get(
                reverse("courses:module-handout", args=[course.slug, module.slug])
            )
        assert len(response.context["lessons"]) == lessons_per_module

    def test_course_page(
        self, parent_client, parent, lessons_per_module, django_assert_max_num_queries
    ):
        course = build_course(lessons_per_module, parent=parent)
        with django_assert_max_num_queries(BUDGET):
            response = parent_client.get(reverse("courses:course", args=[course.slug]))
        assert response.context["outline"].total == 3 * lessons_per_module

    def test_dashboard(
        self, parent_client, parent, lessons_per_module, django_assert_max_num_queries
    ):
        course = build_course(lessons_per_module, parent=parent)
        # In a group whose plan names every module (read in the page's language).
        group = ParentGroupFactory(course=course)
        MembershipFactory(group=group, user=parent)
        for module in course.modules.all():
            AssignmentFactory(group=group, module=module, opens_on=timezone.localdate())
        with django_assert_max_num_queries(BUDGET):
            response = parent_client.get(reverse("courses:dashboard"))
        assert len(response.context["plans"][0].notices) == 3

    def test_course_page_for_visitor(
        self, client, lessons_per_module, django_assert_max_num_queries
    ):
        course = build_course(lessons_per_module)
        with django_assert_max_num_queries(BUDGET):
            assert client.get(reverse("courses:course", args=[course.slug])).status_code == 200

    def test_mark_complete(
        self, parent_client, parent, lessons_per_module, django_assert_max_num_queries
    ):
        course = build_course(lessons_per_module, parent=parent)
        lesson = middle_lesson(course)
        url = reverse("courses:lesson-complete", args=[course.slug, lesson.slug])
        with django_assert_max_num_queries(BUDGET):
            assert parent_client.post(url, {"complete": "yes"}).status_code == 302


def test_query_count_is_the_same_at_ten_times_the_lessons(parent_client):
    """Not just under budget: exactly equal, so nothing scales with the number of lessons."""
    counts = []
    for size, slug in [(2, "small"), (20, "large")]:
        course = CourseFactory(slug=slug)
        for m in range(3):
            module = ModuleFactory(course=course, position=m)
            for position in range(size):
                LessonFactory(module=module, position=position, body=f"About term {position}.")
        for number in range(size):
            GlossaryTermFactory(course=course, forms=f"term {number}")
        lesson = middle_lesson(course)
        parent_client.get(lesson.get_absolute_url())  # the first visit creates progress
        per_page = []
        for url in [
            lesson.get_absolute_url(),
            reverse("courses:course", args=[course.slug]),
        ]:
            with CaptureQueriesContext(connection) as captured:
                parent_client.get(url)
            per_page.append(len(captured))
        counts.append(per_page)
    assert counts[0] == counts[1]


def test_a_visitors_course_page_reads_the_course_and_no_ones_progress(
    client, course, django_assert_num_queries
):
    url = reverse("courses:course", args=[course.slug])
    client.get(url)  # the content cache filled
    with django_assert_num_queries(1):  # the course row; no session, no progress
        assert client.get(url).status_code == 200
