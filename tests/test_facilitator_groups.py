"""Facilitators: the role, creating and running groups (code, members, name, archive)."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Membership, ParentGroup, User
from courses.models import Assignment, LessonProgress
from tests.conftest import logged_in
from tests.factories import (
    AssignmentFactory,
    LessonProgressFactory,
    ParentGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def detail(group):
    return reverse("accounts:facilitator-group", args=[group.pk])


class TestTheRole:
    def test_command_makes_and_unmakes_a_facilitator(self, parent, capsys):
        call_command("make_facilitator", "PARENT@example.com")
        parent.refresh_from_db()
        assert parent.is_facilitator
        assert "is now a facilitator" in capsys.readouterr().out
        call_command("make_facilitator", "parent@example.com")
        assert "already a facilitator" in capsys.readouterr().out
        call_command("make_facilitator", "parent@example.com", "--remove")
        parent.refresh_from_db()
        assert not parent.is_facilitator

    def test_command_explains_an_unknown_address(self, db):
        with pytest.raises(CommandError, match="No account uses nobody@example.com"):
            call_command("make_facilitator", "nobody@example.com")

    def test_admin_action_makes_facilitators(self, staff_client, parent, second_parent):
        staff_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "make_facilitators", "_selected_action": [parent.pk, second_parent.pk]},
        )
        assert User.objects.filter(role=User.Role.FACILITATOR).count() == 2
        staff_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "remove_facilitators", "_selected_action": [parent.pk]},
        )
        parent.refresh_from_db()
        assert not parent.is_facilitator

    def test_admin_shows_groups_with_members(self, staff_client, group):
        response = staff_client.get(reverse("admin:accounts_parentgroup_change", args=[group.pk]))
        assert response.status_code == 200
        assert "Pat" in response.content.decode()  # the member, by name

    def test_nav_offers_my_groups_to_the_right_page(self, facilitator_client, parent_client):
        facilitator_html = facilitator_client.get(reverse("courses:dashboard")).content.decode()
        assert f'href="{reverse("accounts:facilitator-groups")}"' in facilitator_html
        parent_html = parent_client.get(reverse("courses:dashboard")).content.decode()
        assert f'href="{reverse("accounts:groups")}"' in parent_html
        assert reverse("accounts:facilitator-groups") not in parent_html


class TestCreatingAGroup:
    def test_facilitator_creates_a_group_and_gets_link_and_code(
        self, facilitator_client, facilitator, course
    ):
        response = facilitator_client.post(
            reverse("accounts:facilitator-group-new"),
            {"name": "  Tuesday evening group ", "course": course.pk},
            follow=True,
        )
        group = ParentGroup.objects.get()
        assert group.name == "Tuesday evening group"
        assert list(group.facilitators.all()) == [facilitator]
        assert len(group.join_code) == 8
        html = response.content.decode()
        assert group.join_code_display in html
        assert f"http://testserver/groups/join/{group.join_code_display}/" in html

    def test_in_spanish_the_course_choice_is_named_in_spanish(self, facilitator, course):
        course.set_translation("es", {"title": "El círculo"})
        course.save()
        facilitator.language = "es"
        facilitator.save(update_fields=["language"])
        html = logged_in(facilitator).get(reverse("accounts:facilitator-group-new")).content
        assert f'<option value="{course.pk}">El círculo</option>' in html.decode()
        assert b"The circle" not in html

    def test_missing_name_is_asked_for_and_nothing_created(self, facilitator_client, course):
        response = facilitator_client.post(
            reverse("accounts:facilitator-group-new"), {"name": "", "course": course.pk}
        )
        assert "This field is required" in response.content.decode()
        assert not ParentGroup.objects.exists()

    def test_unpublished_course_cannot_be_chosen(self, facilitator_client, course):
        course.is_published = False
        course.save()
        response = facilitator_client.post(
            reverse("accounts:facilitator-group-new"), {"name": "A", "course": course.pk}
        )
        assert "Select a valid choice" in response.content.decode()
        assert not ParentGroup.objects.exists()


class TestMyGroupsList:
    def test_facilitator_sees_only_their_own_groups(
        self, facilitator_client, group, second_facilitator
    ):
        ParentGroupFactory(name="Not yours", course=group.course, facilitators=[second_facilitator])
        html = facilitator_client.get(reverse("accounts:facilitator-groups")).content.decode()
        assert "Tuesday evening group" in html
        assert "1 parent" in html
        assert "Not yours" not in html

    def test_a_group_can_have_two_facilitators(self, facilitator_client, group, second_facilitator):
        response = facilitator_client.post(
            reverse("accounts:facilitator-cofacilitator", args=[group.pk]),
            {"cofacilitator-email": second_facilitator.email.upper()},
        )
        assert response.status_code == 302
        html = logged_in(second_facilitator).get(reverse("accounts:facilitator-groups"))
        assert "Tuesday evening group" in html.content.decode()

    def test_only_facilitators_can_be_added_as_co_facilitators(
        self, facilitator_client, group, second_parent
    ):
        response = facilitator_client.post(
            reverse("accounts:facilitator-cofacilitator", args=[group.pk]),
            {"cofacilitator-email": second_parent.email},
        )
        assert response.status_code == 400
        assert "needs an account here with the facilitator role" in response.content.decode()
        assert group.facilitators.count() == 1

    def test_the_form_does_not_tell_whether_an_address_has_an_account(
        self, facilitator_client, group, second_parent
    ):
        """ "No account" and "an account that is not a facilitator's" get the same answer."""
        url = reverse("accounts:facilitator-cofacilitator", args=[group.pk])
        answers = []
        for email in (second_parent.email, "nobody@example.com"):
            response = facilitator_client.post(url, {"cofacilitator-email": email})
            assert response.status_code == 400
            answers.append(response.context["cofacilitator_form"].errors["email"])
        assert answers[0] == answers[1]
        assert "needs an account here with the facilitator role" in answers[0][0]


class TestRunningAGroup:
    def test_detail_lists_members_with_a_way_to_remove(self, facilitator_client, group, parent):
        html = facilitator_client.get(detail(group)).content.decode()
        assert "parent@example.com" in html
        assert reverse("accounts:facilitator-member-remove", args=[group.pk, parent.pk]) in html
        assert 'data-copy-target="join-link"' in html
        assert "ABCD-EFGH" in html

    def test_rename(self, facilitator_client, group):
        facilitator_client.post(
            reverse("accounts:facilitator-group-name", args=[group.pk]), {"name": "Thursdays"}
        )
        group.refresh_from_db()
        assert group.name == "Thursdays"

    def test_blank_name_is_refused_and_name_kept(self, facilitator_client, group):
        response = facilitator_client.post(
            reverse("accounts:facilitator-group-name", args=[group.pk]), {"name": "   "}
        )
        assert response.status_code == 400
        assert "This field is required" in response.content.decode()
        group.refresh_from_db()
        assert group.name == "Tuesday evening group"

    def test_turn_code_off_then_make_a_new_one(self, facilitator_client, group):
        url = reverse("accounts:facilitator-group-code", args=[group.pk])
        facilitator_client.post(url, {"action": "off"})
        group.refresh_from_db()
        assert group.join_code is None
        assert "Joining by code is off" in facilitator_client.get(detail(group)).content.decode()
        facilitator_client.post(url, {"action": "replace"})
        group.refresh_from_db()
        assert group.join_code and group.join_code != "ABCDEFGH"

    def test_unknown_code_action_changes_nothing(self, facilitator_client, group):
        response = facilitator_client.post(
            reverse("accounts:facilitator-group-code", args=[group.pk]),
            {"action": "explode"},
            follow=True,
        )
        assert "Something went wrong" in response.content.decode()
        group.refresh_from_db()
        assert group.join_code == "ABCDEFGH"

    def test_remove_a_parent_keeps_their_progress(self, facilitator_client, group, parent):
        LessonProgressFactory(user=parent, lesson=group.course.modules.first().lessons.first())
        url = reverse("accounts:facilitator-member-remove", args=[group.pk, parent.pk])
        confirm = facilitator_client.get(url).content.decode()
        assert "Remove Pat from Tuesday evening group?" in confirm
        facilitator_client.post(url)
        assert not Membership.objects.filter(group=group, user=parent).exists()
        assert LessonProgress.objects.filter(user=parent).exists()
        assert facilitator_client.post(url).status_code == 404  # gone, so not found

    def test_archive_hides_the_group_from_parents_and_deletes_nothing(
        self, facilitator_client, group, parent, parent_client
    ):
        AssignmentFactory(group=group, module=group.course.modules.first())
        assert (
            "Tuesday evening group"
            in parent_client.get(reverse("courses:dashboard")).content.decode()
        )
        url = reverse("accounts:facilitator-group-archive", args=[group.pk])
        facilitator_client.post(url, {"action": "archive"})
        group.refresh_from_db()
        assert group.is_archived and group.join_code is None
        assert (
            "Tuesday evening group"
            not in parent_client.get(reverse("courses:dashboard")).content.decode()
        )
        assert Membership.objects.filter(group=group, user=parent).exists()
        assert Assignment.objects.filter(group=group).exists()
        # The facilitator still has it, under "Archived groups", with its report.
        html = facilitator_client.get(reverse("accounts:facilitator-groups")).content.decode()
        assert "Archived groups" in html
        report = reverse("courses:facilitator-report", args=[group.pk])
        assert facilitator_client.get(report).status_code == 200
        facilitator_client.post(url, {"action": "restore"})
        group.refresh_from_db()
        assert not group.is_archived

    def test_archived_group_takes_no_invitations_or_new_codes(self, facilitator_client, group):
        facilitator_client.post(
            reverse("accounts:facilitator-group-archive", args=[group.pk]), {"action": "archive"}
        )
        response = facilitator_client.post(
            reverse("accounts:facilitator-invite", args=[group.pk]),
            {"invite-email": "a@example.com"},
            follow=True,
        )
        assert "Restore it first" in response.content.decode()
        assert mail.outbox == []
        response = facilitator_client.post(
            reverse("accounts:facilitator-group-code", args=[group.pk]),
            {"action": "replace"},
            follow=True,
        )
        assert "Restore it first" in response.content.decode()
        group.refresh_from_db()
        assert group.join_code is None

    def test_members_of_a_group_do_not_see_each_other_through_parent_pages(
        self, group, parent, second_parent
    ):
        """The parent's side never lists other members: only the group and its facilitators."""
        other = UserFactory(email="someone.private@example.com")
        Membership.objects.create(group=group, user=other)
        html = logged_in(parent).get(reverse("accounts:groups")).content.decode()
        assert "someone.private@example.com" not in html
