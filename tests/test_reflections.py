"""The reflection box on the lesson page, the journal, and sharing a reflection."""

from html import unescape

import pytest
from django.urls import reverse

from accounts.groups import group_archive
from courses.models import REFLECTION_MAX_LENGTH, Lesson, Reflection
from tests.factories import MembershipFactory, ParentGroupFactory, ReflectionFactory

pytestmark = pytest.mark.django_db


def save_url(slug="one"):
    return reverse("courses:reflection-save", args=["circle", slug])


def lesson_url(slug="one"):
    return reverse("courses:lesson", args=["circle", slug])


def share_url(reflection):
    return reverse("courses:reflection-share", args=[reflection.pk])


class TestWritingAReflection:
    def test_lesson_page_has_a_labelled_reflection_box_with_the_prompt(self, parent_client, course):
        html = parent_client.get(lesson_url()).content.decode()
        assert "What did you notice?" in html
        assert f'action="{save_url()}"' in html
        assert 'for="id_text"' in html and 'id="id_text"' in html
        assert "Save my reflection" in html

    def test_saving_works_as_a_plain_form_post_and_redirects_back(
        self, parent_client, parent, course
    ):
        response = parent_client.post(save_url(), {"text": "  I noticed I rush.  "})
        assert response.status_code == 302
        assert response["Location"] == lesson_url() + "#reflection"
        reflection = Reflection.objects.get(user=parent, lesson__slug="one")
        assert reflection.text == "I noticed I rush."
        assert reflection.shared is False  # private by default

    def test_saved_reflection_is_shown_in_the_box_for_editing(self, parent_client, course):
        parent_client.post(save_url(), {"text": "First thoughts"})
        html = parent_client.get(lesson_url()).content.decode()
        assert "First thoughts</textarea>" in html
        assert "Save changes" in html
        assert "Private" in html and "Only you can see it." in html

    def test_saving_twice_edits_the_same_reflection(self, parent_client, parent, course):
        parent_client.post(save_url(), {"text": "First thoughts"})
        parent_client.post(save_url(), {"text": "Second thoughts"})
        parent_client.post(save_url(), {"text": "Second thoughts"})  # a double submit
        assert Reflection.objects.filter(user=parent).count() == 1
        assert Reflection.objects.get(user=parent).text == "Second thoughts"

    def test_empty_reflection_is_refused_with_a_message(self, parent_client, parent, course):
        response = parent_client.post(save_url(), {"text": "   "})
        assert response.status_code == 200
        assert "Please write a few words before saving." in response.content.decode()
        assert not Reflection.objects.exists()

    def test_too_long_reflection_is_refused_and_the_text_is_kept(
        self, parent_client, parent, course
    ):
        long_text = "word " * (REFLECTION_MAX_LENGTH // 5) + "the end"
        response = parent_client.post(save_url(), {"text": long_text})
        html = response.content.decode()
        assert response.status_code == 200
        assert f"Please keep it under {REFLECTION_MAX_LENGTH:,} characters" in html
        assert "the end</textarea>" in html  # nothing lost: the words are back in the box
        assert not Reflection.objects.exists()

    def test_failed_edit_keeps_the_saved_version(self, parent_client, parent, course):
        parent_client.post(save_url(), {"text": "Kept"})
        parent_client.post(save_url(), {"text": ""})
        assert Reflection.objects.get(user=parent).text == "Kept"

    def test_the_database_refuses_an_empty_or_overlong_reflection(self, parent, course):
        from django.db import IntegrityError, transaction

        lesson = Lesson.objects.get(slug="one")
        with pytest.raises(IntegrityError), transaction.atomic():
            Reflection.objects.create(user=parent, lesson=lesson, text="")
        with pytest.raises(IntegrityError), transaction.atomic():
            Reflection.objects.create(
                user=parent, lesson=lesson, text="x" * (REFLECTION_MAX_LENGTH + 1)
            )

    def test_visitor_cannot_save(self, client, course):
        response = client.post(save_url(), {"text": "Hello"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not Reflection.objects.exists()

    def test_unpublished_lesson_cannot_be_reflected_on(self, parent_client, course):
        assert parent_client.post(save_url("hidden"), {"text": "Hi"}).status_code == 404
        assert not Reflection.objects.exists()

    def test_get_is_not_allowed(self, parent_client, course):
        assert parent_client.get(save_url()).status_code == 405

    def test_lesson_without_a_prompt_still_invites_a_reflection(self, parent_client, course):
        Lesson.objects.filter(slug="one").update(reflection_prompt="")
        html = parent_client.get(lesson_url()).content.decode()
        assert "What stood out for you in this lesson?" in html


class TestSharing:
    def test_parent_shares_and_unshares_one_reflection(self, parent_client, parent, course):
        reflection = ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
        other = ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="two"))
        response = parent_client.post(share_url(reflection), {"shared": "yes"})
        assert response.status_code == 302
        reflection.refresh_from_db()
        other.refresh_from_db()
        assert reflection.shared and not other.shared
        parent_client.post(share_url(reflection), {"shared": "no"})
        reflection.refresh_from_db()
        assert not reflection.shared

    def test_sharing_goes_back_to_the_page_it_came_from(self, parent_client, parent, course):
        reflection = ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
        back = lesson_url() + f"#reflection-{reflection.pk}"
        response = parent_client.post(share_url(reflection), {"shared": "yes", "next": back})
        assert response["Location"] == back

    def test_sharing_never_redirects_off_site(self, parent_client, parent, course):
        reflection = ReflectionFactory(user=parent)
        response = parent_client.post(
            share_url(reflection), {"shared": "yes", "next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("courses:journal")

    def test_tampered_value_changes_nothing(self, parent_client, parent, course):
        reflection = ReflectionFactory(user=parent)
        response = parent_client.post(share_url(reflection), {"shared": "maybe"}, follow=True)
        assert "Something went wrong" in response.content.decode()
        reflection.refresh_from_db()
        assert not reflection.shared

    def test_another_parent_cannot_share_it(self, client, parent, second_parent, course):
        reflection = ReflectionFactory(user=parent)
        client.force_login(second_parent)
        assert client.post(share_url(reflection), {"shared": "yes"}).status_code == 404
        reflection.refresh_from_db()
        assert not reflection.shared

    def test_facilitator_cannot_share_it(self, facilitator_client, parent, course):
        reflection = ReflectionFactory(user=parent)
        assert facilitator_client.post(share_url(reflection), {"shared": "yes"}).status_code == 404

    def test_visitor_is_sent_to_log_in(self, client, parent, course):
        reflection = ReflectionFactory(user=parent)
        response = client.post(share_url(reflection), {"shared": "yes"})
        assert response["Location"].startswith(reverse("account_login"))

    def test_editing_a_shared_reflection_keeps_it_shared(self, parent_client, parent, course):
        ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"), shared=True)
        parent_client.post(save_url(), {"text": "Updated"})
        assert Reflection.objects.get(user=parent).shared


NOBODY = "You are not in a group yet, so nobody else can see it."


def folded(response):
    return " ".join(unescape(response.content.decode()).split())


class TestWhoCanReadASharedReflection:
    """What the parent is told matches what the group report shows (tests/test_group_report)."""

    def test_a_parent_in_a_group_is_told_which_groups_facilitators_read_it(
        self, parent_client, parent, group, facilitator_client
    ):
        reflection = ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
        response = parent_client.post(share_url(reflection), {"shared": "yes"}, follow=True)
        expected = "The facilitators of Tuesday evening group can read it."
        assert f"Shared. {expected}" in folded(response)
        assert expected in folded(parent_client.get(lesson_url()))
        assert expected in folded(parent_client.get(reverse("courses:journal")))
        shared = reverse(
            "courses:facilitator-shared-reflections", args=[group.pk, reflection.lesson_id]
        )
        assert reflection.text in folded(facilitator_client.get(shared))

    def test_several_groups_are_named(self, parent_client, parent, group, course):
        online = ParentGroupFactory(name="Online cohort", course=course)
        MembershipFactory(user=parent, group=online)
        ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"), shared=True)
        html = folded(parent_client.get(lesson_url()))
        assert "The facilitators of Online cohort and Tuesday evening group can read it." in html

    def test_a_parent_with_no_group_is_told_nobody_else_can_see_it(
        self, parent_client, parent, course
    ):
        reflection = ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"))
        html = folded(parent_client.get(lesson_url()))
        assert "Share with the facilitators of a group I join" in html
        response = parent_client.post(share_url(reflection), {"shared": "yes"}, follow=True)
        assert f"Marked as shared. {NOBODY}" in folded(response)
        assert "If you join a group for this course, its facilitators" in folded(response)
        assert NOBODY in folded(parent_client.get(lesson_url()))
        assert NOBODY in folded(parent_client.get(reverse("courses:journal")))
        assert "facilitators of your groups can read it" not in folded(response)

    def test_a_group_for_another_course_or_an_archived_one_does_not_count(
        self, parent_client, parent, group
    ):
        MembershipFactory(user=parent, group=ParentGroupFactory(name="Other course group"))
        group_archive(group=group)
        ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"), shared=True)
        html = folded(parent_client.get(lesson_url()))
        assert NOBODY in html and "Other course group" not in html

    def test_lesson_page_stays_within_budget_with_a_shared_reflection_and_groups(
        self, parent_client, parent, group, django_assert_max_num_queries
    ):
        ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="one"), shared=True)
        with django_assert_max_num_queries(8):
            html = folded(parent_client.get(lesson_url()))
        assert "The facilitators of Tuesday evening group can read it." in html


class TestJournal:
    def test_journal_lists_reflections_newest_first_with_their_lessons(
        self, parent_client, parent, course
    ):
        one, two = Lesson.objects.filter(slug__in=["one", "two"]).order_by("slug")
        ReflectionFactory(user=parent, lesson=one, text="Older words")
        ReflectionFactory(user=parent, lesson=two, text="Newer words")
        response = parent_client.get(reverse("courses:journal"))
        html = response.content.decode()
        assert html.index("Newer words") < html.index("Older words")
        assert lesson_url("one") + "#reflection" in html
        assert lesson_url("two") + "#reflection" in html
        assert [r.text for r in response.context["reflections"]] == ["Newer words", "Older words"]

    def test_journal_shows_no_one_elses_reflections(
        self, parent_client, parent, second_parent, course
    ):
        ReflectionFactory(user=second_parent, text="Someone else's", shared=True)
        html = parent_client.get(reverse("courses:journal")).content.decode()
        assert "Someone else&#x27;s" not in html and "Someone else's" not in html
        assert "When you write a reflection on a lesson, it will appear here." in html

    def test_reflection_on_an_unpublished_lesson_is_kept_without_a_link(
        self, parent_client, parent, course
    ):
        ReflectionFactory(user=parent, lesson=Lesson.objects.get(slug="hidden"), text="Mine")
        html = parent_client.get(reverse("courses:journal")).content.decode()
        assert "Mine" in html
        assert lesson_url("hidden") not in html

    def test_journal_query_count_does_not_grow(
        self, parent_client, parent, course, django_assert_max_num_queries
    ):
        lesson = Lesson.objects.get(slug="one")
        ReflectionFactory(user=parent, lesson=lesson)
        with django_assert_max_num_queries(5):
            parent_client.get(reverse("courses:journal"))
        for index in range(20):
            ReflectionFactory(user=parent, lesson__slug=f"extra-{index}")
        with django_assert_max_num_queries(5):
            response = parent_client.get(reverse("courses:journal"))
        assert len(response.context["reflections"]) == 21

    def test_visitor_is_sent_to_log_in(self, client):
        response = client.get(reverse("courses:journal"))
        assert response["Location"].startswith(reverse("account_login"))


class TestDeleting:
    def test_parent_confirms_then_deletes_their_reflection(self, parent_client, parent, course):
        reflection = ReflectionFactory(user=parent, text="Let it go")
        url = reverse("courses:reflection-delete", args=[reflection.pk])
        confirm = parent_client.get(url).content.decode()
        assert "Let it go" in confirm and "Yes, delete it" in confirm
        assert Reflection.objects.exists()
        parent_client.post(url)
        assert not Reflection.objects.exists()

    def test_others_cannot_see_or_delete_it(self, client, parent, second_parent, facilitator):
        reflection = ReflectionFactory(user=parent)
        url = reverse("courses:reflection-delete", args=[reflection.pk])
        for outsider in (second_parent, facilitator):
            client.force_login(outsider)
            assert client.get(url).status_code == 404
            assert client.post(url).status_code == 404
        assert Reflection.objects.exists()
