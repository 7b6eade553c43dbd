"""Parents joining a group by code or link, seeing their groups, and leaving one."""

import pytest
from django.urls import reverse

from accounts.groups import JOIN_CODE_ALPHABET, join_code_generate, join_code_normalise
from accounts.models import Membership
from accounts.ratelimit import JOIN_FAILURES_PER_USER
from tests.conftest import logged_in
from tests.factories import ParentGroupFactory

pytestmark = pytest.mark.django_db

JOIN = reverse("accounts:join")
GROUPS = reverse("accounts:groups")


def join_link(code):
    return reverse("accounts:join-link", args=[code])


class TestJoinCodes:
    def test_codes_are_eight_unambiguous_characters_and_vary(self):
        codes = {join_code_generate() for _ in range(200)}
        assert len(codes) == 200
        assert all(len(code) == 8 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)
        assert not set("01OIL") & set(JOIN_CODE_ALPHABET)

    def test_typed_codes_are_read_kindly(self):
        assert join_code_normalise(" abcd-efgh ") == "ABCDEFGH"
        assert join_code_normalise("ABCD EFGH") == "ABCDEFGH"


class TestJoiningByCode:
    def test_parent_joins_with_the_code_typed_any_way(self, group, second_parent):
        browser = logged_in(second_parent)
        response = browser.post(JOIN, {"code": "abcd-efgh"}, follow=True)
        assert Membership.objects.filter(group=group, user=second_parent).exists()
        html = response.content.decode()
        assert "Welcome to Tuesday evening group" in html
        assert "Tuesday evening group" in browser.get(GROUPS).content.decode()

    def test_joining_twice_keeps_one_membership(self, group, second_parent):
        browser = logged_in(second_parent)
        browser.post(JOIN, {"code": "ABCDEFGH"})
        browser.post(JOIN, {"code": "ABCDEFGH"})
        assert Membership.objects.filter(group=group, user=second_parent).count() == 1

    def test_wrong_code_says_so_clearly_and_keeps_what_was_typed(self, group, second_parent):
        response = logged_in(second_parent).post(JOIN, {"code": "WXYZ-WXYZ"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "We could not find a group with that code" in html
        assert 'value="WXYZ-WXYZ"' in html
        assert not Membership.objects.filter(user=second_parent).exists()

    def test_empty_code_is_asked_for(self, group, second_parent):
        response = logged_in(second_parent).post(JOIN, {"code": ""})
        assert "This field is required" in response.content.decode()

    def test_turned_off_code_no_longer_works(self, group, second_parent):
        group.join_code = None
        group.save()
        response = logged_in(second_parent).post(JOIN, {"code": "ABCDEFGH"})
        assert "may have been turned off or replaced" in response.content.decode()
        assert not Membership.objects.filter(user=second_parent).exists()

    def test_replaced_code_no_longer_works(self, group, second_parent, facilitator_client):
        facilitator_client.post(
            reverse("accounts:facilitator-group-code", args=[group.pk]), {"action": "replace"}
        )
        group.refresh_from_db()
        assert group.join_code != "ABCDEFGH"
        browser = logged_in(second_parent)
        browser.post(JOIN, {"code": "ABCDEFGH"})
        assert not Membership.objects.filter(user=second_parent).exists()
        browser.post(JOIN, {"code": group.join_code_display})
        assert Membership.objects.filter(user=second_parent, group=group).exists()

    def test_archived_group_cannot_be_joined(self, group, second_parent):
        group.archived_at = group.created_at
        group.save()
        logged_in(second_parent).post(JOIN, {"code": "ABCDEFGH"})
        assert not Membership.objects.filter(user=second_parent).exists()

    def test_wrong_codes_are_rate_limited_even_a_right_one_after(self, group, second_parent):
        browser = logged_in(second_parent)
        for _ in range(JOIN_FAILURES_PER_USER):
            assert browser.post(JOIN, {"code": "WXYZWXYZ"}).status_code == 200
        response = browser.post(JOIN, {"code": "ABCDEFGH"})
        assert response.status_code == 429
        assert "paused joining by code for a while" in response.content.decode()
        assert not Membership.objects.filter(user=second_parent).exists()
        # The join link is limited by the same counter.
        assert browser.get(join_link("ABCD-EFGH")).status_code == 429

    def test_the_limit_is_per_person_and_right_codes_do_not_count(self, group, second_parent):
        other = ParentGroupFactory(course=group.course)
        browser = logged_in(second_parent)
        for _ in range(JOIN_FAILURES_PER_USER * 2):
            browser.post(JOIN, {"code": other.join_code})  # right codes cost nothing
        assert browser.post(JOIN, {"code": "ABCDEFGH"}).status_code == 302
        assert Membership.objects.filter(user=second_parent).count() == 2

    @pytest.mark.parametrize("url", [JOIN, GROUPS], ids=["join page", "my groups"])
    def test_the_code_form_says_what_the_facilitator_will_see_before_the_button(
        self, group, second_parent, url
    ):
        html = logged_in(second_parent).get(url).content.decode()
        notice = html.find("your facilitator can see which lessons you have opened and finished")
        button = html.find("Join the group</button>")
        assert -1 < notice < button
        # The very words of the invitation and the link (one template, accounts/join_notice.html).
        link = logged_in(second_parent).get(join_link("ABCDEFGH")).content.decode()
        paragraph = html[html.rfind("<p", 0, notice) : html.find("</p>", notice)]
        assert paragraph in link

    def test_visitor_is_sent_to_log_in(self, client, group):
        response = client.post(JOIN, {"code": "ABCDEFGH"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


class TestJoiningByLink:
    def test_link_asks_before_joining(self, group, second_parent):
        browser = logged_in(second_parent)
        response = browser.get(join_link("ABCD-EFGH"))
        assert response.status_code == 200
        assert "Join Tuesday evening group?" in response.content.decode()
        assert not Membership.objects.filter(user=second_parent).exists()
        response = browser.post(join_link("ABCD-EFGH"))
        assert response.status_code == 302
        assert Membership.objects.filter(group=group, user=second_parent).exists()

    def test_member_following_the_link_again_is_told_they_are_in(self, group, parent_client):
        response = parent_client.get(join_link("ABCDEFGH"), follow=True)
        assert "You are already in Tuesday evening group" in response.content.decode()

    def test_wrong_or_turned_off_link_explains(self, group, second_parent):
        group.join_code = None
        group.save()
        response = logged_in(second_parent).get(join_link("ABCD-EFGH"))
        assert response.status_code == 404
        assert "may have been turned off or replaced" in response.content.decode()

    def test_visitor_logs_in_first_and_comes_back_to_the_link(self, client, group):
        response = client.get(join_link("ABCD-EFGH"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=/groups/join/ABCD-EFGH/" in response["Location"]


class TestMyGroups:
    def test_parent_sees_their_groups_with_course_and_facilitator(self, group, parent_client):
        html = parent_client.get(GROUPS).content.decode()
        assert "Tuesday evening group" in html
        assert "The circle" in html
        assert str(group.facilitators.get()) in html

    def test_parent_does_not_see_other_or_archived_groups(self, group, parent, parent_client):
        ParentGroupFactory(name="Someone else's group", course=group.course)
        group.archived_at = group.created_at
        group.save()
        html = parent_client.get(GROUPS).content.decode()
        assert "Someone else's group" not in html
        assert "Tuesday evening group" not in html
        assert "You are not in a group yet" in html

    def test_visitor_is_sent_to_log_in(self, client):
        assert client.get(GROUPS).status_code == 302


class TestLeaving:
    def test_parent_leaves_after_confirming(self, group, parent, parent_client):
        url = reverse("accounts:leave", args=[group.pk])
        assert "Leave Tuesday evening group?" in parent_client.get(url).content.decode()
        assert Membership.objects.filter(user=parent).exists()
        response = parent_client.post(url, follow=True)
        assert not Membership.objects.filter(user=parent).exists()
        assert "Your progress and your notes are still yours" in response.content.decode()

    def test_leaving_a_group_you_are_not_in_is_not_found(self, group, second_parent):
        browser = logged_in(second_parent)
        url = reverse("accounts:leave", args=[group.pk])
        assert browser.get(url).status_code == 404
        assert browser.post(url).status_code == 404

    def test_visitor_is_sent_to_log_in(self, client, group, parent):
        response = client.post(reverse("accounts:leave", args=[group.pk]))
        assert response.status_code == 302
        assert Membership.objects.filter(user=parent).exists()
