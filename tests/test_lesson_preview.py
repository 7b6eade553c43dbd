"""Staff preview any lesson as parents see it; nobody else can; lesson HTML is always inert."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Lesson, LessonProgress
from tests.factories import LessonFactory, ModuleFactory, UserFactory

pytestmark = pytest.mark.django_db

DANGEROUS_BODY = (
    "Hello\n\n<script>alert(1)</script>\n\n"
    '<img src=x onerror="alert(2)">\n\n'
    '<a href="#" onclick="alert(3)">click</a>\n\n'
    "[link](javascript:alert(4))\n\n"
    '<p style="color:red" onmouseover="alert(5)">styled</p>'
)


def preview_url(slug, course="circle"):
    return reverse("courses:lesson-preview", args=[course, slug])


def lesson_url(slug, course="circle"):
    return reverse("courses:lesson", args=[course, slug])


def assert_no_live_handlers(html):
    """Real tags (not escaped text) carry no event handler, style or javascript: URL."""
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    assert tags  # there is real markup to check
    for tag in tags:
        assert not re.search(r"\son\w+\s*=", tag, re.IGNORECASE), tag
        assert "style=" not in tag and "javascript:" not in tag, tag
        assert not tag.lower().startswith(("<script", "<img", "<iframe")), tag


def body_of(html):
    start = html.index('class="lesson-body"')
    return html[start : html.index("</div>", start)]


class TestPreviewForStaff:
    def test_staff_previews_an_unpublished_lesson_with_a_banner(self, staff_client, course):
        response = staff_client.get(preview_url("hidden"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Preview: not published." in html
        assert "the lesson is not published" in html
        assert "Draft lesson" in html
        assert "<h2>A heading</h2>" in html  # the body, rendered as for parents

    def test_banner_names_every_reason_parents_cannot_see_it(self, staff_client, course):
        lesson = Lesson.objects.get(slug="three")
        lesson.module.is_published = False
        lesson.module.save()
        Lesson.objects.filter(pk=lesson.pk).update(archived_at=timezone.now())
        html = staff_client.get(preview_url("three")).content.decode()
        assert "the lesson is archived, its module is not published" in html

    def test_a_published_lesson_says_parents_see_it(self, staff_client, course):
        html = staff_client.get(preview_url("one")).content.decode()
        assert "This lesson is published; this is what parents see." in html
        assert "not published" not in html

    def test_preview_uses_the_parent_template_and_numbering(self, staff_client, course):
        response = staff_client.get(preview_url("hidden"))
        assert "courses/lesson.html" in [template.name for template in response.templates]
        # Parents see three published lessons; the draft would be the fourth.
        assert (response.context["position"], response.context["count"]) == (4, 4)
        assert response.context["previous"][0] == "three"
        html = response.content.decode()
        assert preview_url("three") in html  # navigation stays in preview

    def test_previewing_records_no_progress(self, staff_client, staff, course):
        staff_client.get(preview_url("one"))
        staff_client.get(preview_url("hidden"))
        assert not LessonProgress.objects.filter(user=staff).exists()
        html = staff_client.get(preview_url("one")).content.decode()
        assert reverse("courses:lesson-complete", args=["circle", "one"]) not in html

    def test_preview_has_a_link_back_to_the_editor(self, staff_client, course):
        lesson = Lesson.objects.get(slug="hidden")
        html = staff_client.get(preview_url("hidden")).content.decode()
        assert reverse("admin:courses_lesson_change", args=[lesson.pk]) in html

    def test_preview_under_the_wrong_course_is_not_found(self, staff_client, course):
        other = ModuleFactory(slug="elsewhere").course
        assert staff_client.get(preview_url("hidden", course=other.slug)).status_code == 404
        assert staff_client.get(preview_url("no-such-lesson")).status_code == 404

    def test_preview_queries_are_within_budget(
        self, staff_client, course, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(8) as small:
            staff_client.get(preview_url("hidden"))
        module = Lesson.objects.get(slug="hidden").module
        for _ in range(15):
            LessonFactory(module=module)
        with django_assert_max_num_queries(len(small.captured_queries)):
            staff_client.get(preview_url("hidden"))


class TestPreviewForOthers:
    def test_visitor_is_sent_to_log_in(self, client, course):
        response = client.get(preview_url("hidden"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    @pytest.mark.parametrize("slug", ["hidden", "one"])
    def test_parent_gets_not_found(self, parent_client, course, slug):
        assert parent_client.get(preview_url(slug)).status_code == 404

    def test_facilitator_gets_not_found(self, client, facilitator, course):
        client.force_login(facilitator)
        assert client.get(preview_url("hidden")).status_code == 404

    def test_inactive_staff_gets_not_found(self, client, course):
        former = UserFactory(is_staff=True, is_active=False)
        client.force_login(former)
        response = client.get(preview_url("hidden"))
        assert response.status_code in (302, 404)
        assert "Draft lesson" not in response.content.decode()

    def test_parent_gets_not_found_for_the_unpublished_lesson_itself(self, parent_client, course):
        assert parent_client.get(lesson_url("hidden")).status_code == 404


class TestArchivedLessons:
    def test_archived_lesson_disappears_for_parents_but_progress_stays(
        self, parent_client, parent, course
    ):
        parent_client.get(lesson_url("two"))
        Lesson.objects.filter(slug="two").update(archived_at=timezone.now())
        assert parent_client.get(lesson_url("two")).status_code == 404
        outline = parent_client.get(reverse("courses:course", args=["circle"])).context["outline"]
        assert [entry.lesson.slug for entry in outline.lessons] == ["one", "three"]
        assert LessonProgress.objects.filter(user=parent, lesson__slug="two").exists()

    def test_published_excludes_archived(self, course):
        Lesson.objects.filter(slug="one").update(archived_at=timezone.now())
        assert set(Lesson.objects.published().values_list("slug", flat=True)) == {"two", "three"}


class TestSanitising:
    @pytest.fixture
    def dangerous(self, course):
        lesson = Lesson.objects.get(slug="one")
        lesson.body = DANGEROUS_BODY
        lesson.save()
        return lesson

    @pytest.mark.parametrize("who", ["parent", "staff"])
    def test_script_and_event_handlers_are_inert(self, client, request, dangerous, who):
        client.force_login(request.getfixturevalue(who))
        url = lesson_url("one") if who == "parent" else preview_url("one")
        body = body_of(client.get(url).content.decode())
        assert "<script" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown as text
        assert "<img" not in body
        assert 'href="javascript:' not in body
        assert "&lt;a href=" in body  # the link with onclick shows as text, not as a link
        assert_no_live_handlers(body)
        assert "Hello" in body

    def test_no_rendered_tag_carries_an_event_handler_or_style(self, dangerous):
        assert_no_live_handlers(dangerous.body_html)

    def test_markdown_links_and_html_attributes_are_cleaned(self, course):
        lesson = Lesson.objects.get(slug="one")
        lesson.body = '[ok](https://example.org "t") [bad](javascript:alert(1))'
        lesson.save()
        assert 'href="https://example.org"' in lesson.body_html
        assert "javascript" not in lesson.body_html.split("[bad]")[0]
        assert_no_live_handlers(lesson.body_html)

    def test_raw_html_in_other_fields_is_escaped_in_preview(self, staff_client, course):
        Lesson.objects.filter(slug="hidden").update(
            practice="<script>alert(1)</script>",
            reflection_prompt='<b onclick="x()">bold</b>',
            key_points="<img src=x onerror=alert(1)>",
        )
        html = staff_client.get(preview_url("hidden")).content.decode()
        assert "<script>alert(1)" not in html
        assert "<b onclick" not in html
        assert "<img src=x" not in html


def test_a_preview_in_another_language_names_the_next_lesson_in_it(staff_client, course):
    two = Lesson.objects.get(slug="two")
    two.set_translation("es", {"title": "Lección dos"})
    two.save()
    html = staff_client.get(preview_url("one") + "?language=es").content.decode()
    assert "Lección dos" in html
    assert "Lesson two" not in html
