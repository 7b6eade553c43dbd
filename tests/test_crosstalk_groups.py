"""
Groups and invitations with two of everything (tests/two_of_everything.py): leaving or
removing touches one group, a link or a confirmed address accepts its own invitations and no
others, and inviting one person never stands in for inviting another.

Each test here was seen to fail with its rule's filter removed (tests/MUTATION.md).
"""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.groups import (
    INVITATION_RESEND_PAUSE,
    group_add_facilitator,
    group_archive,
    group_create,
    group_find_by_code,
    group_rename,
    group_replace_join_code,
    group_restore,
    group_turn_off_join_code,
    invitation_accept,
    invitation_find,
    invitation_problem,
    invitation_send,
    invitations_accept_for_email,
)
from accounts.models import Invitation, Membership, ParentGroup
from tests.conftest import logged_in
from tests.factories import UserFactory
from tests.two_of_everything import INVITED, invitation_link_catcher

pytestmark = pytest.mark.django_db


def groups_of(user):
    return set(Membership.objects.filter(user=user).values_list("group__name", flat=True))


def open_invitations():
    return set(Invitation.objects.open().values_list("email", "group__name"))


def invitation_url(token):
    return reverse("accounts:invitation", args=[token])


class TestLeavingAndRemoving:
    def test_a_parent_who_leaves_one_group_stays_in_their_other_group(self, world):
        logged_in(world.pat).post(reverse("accounts:leave", args=[world.tuesday.pk]))
        assert groups_of(world.pat) == {"Thursday morning group"}
        assert groups_of(world.kim) == {"Tuesday evening group", "Saturday group"}
        assert groups_of(world.sam) == {"Thursday morning group"}

    def test_a_facilitator_removing_a_parent_from_one_group_leaves_them_in_the_other(
        self, world, facilitator_client
    ):
        url = reverse("accounts:facilitator-member-remove", args=[world.thursday.pk, world.pat.pk])
        facilitator_client.post(url)
        assert groups_of(world.pat) == {"Tuesday evening group"}
        assert groups_of(world.sam) == {"Thursday morning group"}

    def test_a_parent_can_leave_only_the_groups_they_are_in(self, world):
        kim = logged_in(world.kim)
        assert kim.get(reverse("accounts:leave", args=[world.thursday.pk])).status_code == 404
        assert kim.post(reverse("accounts:leave", args=[world.thursday.pk])).status_code == 404
        assert groups_of(world.pat) == {"Tuesday evening group", "Thursday morning group"}
        assert kim.get(reverse("accounts:leave", args=[world.saturday.pk])).status_code == 200

    def test_an_archived_group_cannot_be_left_because_its_parents_no_longer_see_it(self, world):
        group_archive(group=world.thursday)
        pat = logged_in(world.pat)
        assert pat.get(reverse("accounts:leave", args=[world.thursday.pk])).status_code == 404
        assert pat.get(reverse("accounts:leave", args=[world.tuesday.pk])).status_code == 200


class TestConfirmingAnInvitedAddress:
    def test_confirming_an_address_joins_only_the_group_that_invited_it(self, world):
        ann = UserFactory(email=INVITED["ann"])
        joined = invitations_accept_for_email(user=ann, email=" Ann@Example.com ")
        assert joined == [world.tuesday]
        assert groups_of(ann) == {"Tuesday evening group"}
        assert world.invitation("ann").accepted_by == ann
        assert open_invitations() == {
            ("ben@example.com", "Tuesday evening group"),
            ("cat@example.com", "Thursday morning group"),
        }

    def test_an_address_invited_to_two_groups_joins_both(self, world):
        invitation_send(
            group=world.thursday,
            email=INVITED["ann"],
            invited_by=world.facilitator,
            link_for=invitation_link_catcher({}, "ann"),
        )
        ann = UserFactory(email=INVITED["ann"])
        joined = invitations_accept_for_email(user=ann, email=INVITED["ann"])
        assert {group.name for group in joined} == {
            "Tuesday evening group",
            "Thursday morning group",
        }
        assert groups_of(ann) == {"Tuesday evening group", "Thursday morning group"}
        assert not Invitation.objects.open().filter(email=INVITED["ann"]).exists()
        assert len(open_invitations()) == 2

    def test_an_invitation_to_an_archived_group_stays_unused(self, world):
        cat = UserFactory(email=INVITED["cat"])
        group_archive(group=world.thursday)
        assert invitations_accept_for_email(user=cat, email=INVITED["cat"]) == []
        assert groups_of(cat) == set()
        assert world.invitation("cat").accepted_at is None

    def test_an_archived_groups_invitation_does_not_stop_the_next_one(self, world):
        # Ann's newer invitation (to Thursday) comes first, and its group has ended.
        invitation_send(
            group=world.thursday,
            email=INVITED["ann"],
            invited_by=world.facilitator,
            link_for=invitation_link_catcher({}, "ann"),
        )
        group_archive(group=world.thursday)
        ann = UserFactory(email=INVITED["ann"])
        assert invitations_accept_for_email(user=ann, email=INVITED["ann"]) == [world.tuesday]
        assert groups_of(ann) == {"Tuesday evening group"}

    def test_an_address_nobody_invited_joins_nothing(self, world):
        dan = UserFactory(email="dan@example.com")
        assert invitations_accept_for_email(user=dan, email=dan.email) == []
        assert groups_of(dan) == set()
        assert len(open_invitations()) == 3


class TestFollowingAnInvitationLink:
    def test_each_link_accepts_its_own_invitation_and_no_other(self, world):
        ben = UserFactory(email=INVITED["ben"])
        response = logged_in(ben).post(invitation_url(world.tokens["ben"]), follow=True)
        assert "Welcome to Tuesday evening group" in response.content.decode()
        assert groups_of(ben) == {"Tuesday evening group"}
        assert world.invitation("ben").accepted_by == ben
        assert world.invitation("ann").accepted_at is None
        cat = UserFactory(email=INVITED["cat"])
        logged_in(cat).post(invitation_url(world.tokens["cat"]))
        assert groups_of(cat) == {"Thursday morning group"}
        assert open_invitations() == {("ann@example.com", "Tuesday evening group")}

    def test_a_link_accepted_by_the_service_names_its_own_group(self, world):
        kim = world.kim
        accepted = invitation_accept(token=world.tokens["cat"], user=kim)
        assert accepted.email == INVITED["cat"]
        assert groups_of(kim) == {
            "Tuesday evening group",
            "Saturday group",
            "Thursday morning group",
        }

    @pytest.mark.parametrize("token", ["made-up-token", "", None])
    def test_a_made_up_or_missing_token_is_refused_and_joins_nothing(self, world, token):
        dan = UserFactory(email="dan@example.com")
        with pytest.raises(ValidationError) as refused:
            invitation_accept(token=token, user=dan)
        assert refused.value.messages == [
            "We could not find this invitation. Please check the link in your email."
        ]
        assert groups_of(dan) == set()
        assert len(open_invitations()) == 3

    def test_a_used_link_is_refused_to_someone_else(self, world):
        ben = UserFactory(email=INVITED["ben"])
        invitation_accept(token=world.tokens["ben"], user=ben)
        with pytest.raises(ValidationError) as refused:
            invitation_accept(token=world.tokens["ben"], user=world.sam)
        assert "already been used" in refused.value.messages[0]
        assert groups_of(world.sam) == {"Thursday morning group"}
        # The person who used it may follow it again: nothing changes, nothing is refused.
        assert invitation_accept(token=world.tokens["ben"], user=ben).accepted_by == ben


class TestSendingInvitations:
    def invite(self, client, group, email):
        return client.post(
            reverse("accounts:facilitator-invite", args=[group.pk]),
            {"invite-email": email},
            follow=True,
        )

    def test_a_second_address_invited_a_moment_later_gets_its_own_email(
        self, world, facilitator_client
    ):
        response = self.invite(facilitator_client, world.tuesday, "dan@example.com")
        assert "Invitation sent to dan@example.com" in response.content.decode()
        [message] = mail.outbox
        assert message.to == ["dan@example.com"]
        dan = Invitation.objects.get(email="dan@example.com")
        assert dan.group == world.tuesday
        assert len(open_invitations()) == 4

    def test_the_same_address_invited_to_another_group_gets_its_own_email(
        self, world, facilitator_client, client
    ):
        self.invite(facilitator_client, world.thursday, INVITED["ann"])
        [message] = mail.outbox
        assert message.to == [INVITED["ann"]]
        assert "Thursday morning group" in message.subject
        assert {group for email, group in open_invitations() if email == INVITED["ann"]} == {
            "Tuesday evening group",
            "Thursday morning group",
        }
        # Ann's first link, to Tuesday, still works and still names Tuesday.
        page = client.get(invitation_url(world.tokens["ann"]))
        assert page.status_code == 200
        assert "Tuesday evening group" in page.content.decode()

    def test_inviting_someone_again_later_renews_only_their_own_invitation(
        self, world, facilitator_client, client
    ):
        Invitation.objects.update(sent_at=timezone.now() - INVITATION_RESEND_PAUSE * 2)
        before = dict(Invitation.objects.values_list("email", "token_hash"))
        response = self.invite(facilitator_client, world.tuesday, INVITED["ben"])
        assert "Invitation sent to ben@example.com" in response.content.decode()
        [message] = mail.outbox
        assert message.to == [INVITED["ben"]]
        after = dict(Invitation.objects.values_list("email", "token_hash"))
        assert after["ben@example.com"] != before["ben@example.com"]
        assert after["ann@example.com"] == before["ann@example.com"]
        assert after["cat@example.com"] == before["cat@example.com"]
        assert client.get(invitation_url(world.tokens["ben"])).status_code == 404
        assert client.get(invitation_url(world.tokens["ann"])).status_code == 200
        assert client.get(invitation_url(world.tokens["cat"])).status_code == 200

    def test_a_member_of_another_group_can_be_invited_here(self, world):
        _, sent = invitation_send(
            group=world.tuesday,
            email=world.sam.email,
            invited_by=world.facilitator,
            link_for=invitation_link_catcher({}, "sam"),
        )
        assert sent
        assert [message.to for message in mail.outbox] == [[world.sam.email]]

    def test_a_member_of_this_group_is_not_invited_again(self, world):
        with pytest.raises(ValidationError) as refused:
            invitation_send(
                group=world.thursday,
                email=" SAM@example.com",
                invited_by=world.facilitator,
                link_for=invitation_link_catcher({}, "sam"),
            )
        assert refused.value.messages == ["sam@example.com is already in this group."]
        assert mail.outbox == []

    def test_an_expired_invitation_is_renewed_at_once(self, world):
        Invitation.objects.filter(email=INVITED["ann"]).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        tokens = {}
        invitation, sent = invitation_send(
            group=world.tuesday,
            email=INVITED["ann"],
            invited_by=world.second_facilitator,
            link_for=invitation_link_catcher(tokens, "ann"),
        )
        assert sent
        assert invitation.invited_by == world.second_facilitator
        assert invitation.expires_at > timezone.now() + timedelta(days=13)
        assert invitation_accept(token=tokens["ann"], user=UserFactory()).group == world.tuesday


class TestCreatingAGroup:
    def test_a_group_needs_a_name(self, world):
        with pytest.raises(ValidationError) as refused:
            group_create(name="   ", course=world.course, facilitator=world.facilitator)
        assert refused.value.messages == ["Please give the group a name."]
        assert ParentGroup.objects.count() == 3

    def test_only_a_facilitator_can_create_a_group(self, world):
        with pytest.raises(ValidationError) as refused:
            group_create(name="Pat's own group", course=world.course, facilitator=world.pat)
        assert refused.value.messages == ["Only facilitators can create groups."]
        assert ParentGroup.objects.count() == 3

    def test_a_new_group_has_its_own_code_and_only_its_creator(self, world):
        group = group_create(
            name="  Friday group ", course=world.course, facilitator=world.second_facilitator
        )
        assert group.name == "Friday group"
        assert list(group.facilitators.all()) == [world.second_facilitator]
        codes = set(ParentGroup.objects.values_list("join_code", flat=True))
        assert len(codes) == 3 + 1  # the Thursday, Saturday, Tuesday and Friday codes all differ
        assert list(world.thursday.facilitators.all()) == [world.facilitator]


class TestTwoPagesOpenAtOnce:
    """
    Each change saves only what it changes, so a page opened before another change cannot
    undo it (two facilitators, or two tabs, working on one group).
    """

    def stale_and_fresh(self, group):
        return ParentGroup.objects.get(pk=group.pk), ParentGroup.objects.get(pk=group.pk)

    def test_archiving_keeps_a_rename_made_meanwhile(self, world):
        stale, fresh = self.stale_and_fresh(world.tuesday)
        group_rename(group=fresh, name="Renamed")
        group_archive(group=stale)
        world.tuesday.refresh_from_db()
        assert (world.tuesday.name, world.tuesday.is_archived) == ("Renamed", True)
        assert world.tuesday.join_code is None

    def test_archiving_twice_keeps_the_first_date(self, world):
        group_archive(group=world.tuesday)
        first = world.tuesday.archived_at
        group_archive(group=ParentGroup.objects.get(pk=world.tuesday.pk))
        world.tuesday.refresh_from_db()
        assert world.tuesday.archived_at == first

    def test_renaming_keeps_an_archive_made_meanwhile(self, world):
        stale, fresh = self.stale_and_fresh(world.tuesday)
        group_archive(group=fresh)
        group_rename(group=stale, name="  Renamed  ")
        world.tuesday.refresh_from_db()
        assert (world.tuesday.name, world.tuesday.is_archived) == ("Renamed", True)

    def test_a_rename_to_nothing_is_refused_and_the_name_kept(self, world):
        with pytest.raises(ValidationError) as refused:
            group_rename(group=world.tuesday, name="  ")
        assert refused.value.messages == ["Please give the group a name."]
        world.tuesday.refresh_from_db()
        assert world.tuesday.name == "Tuesday evening group"

    def test_turning_the_code_off_keeps_a_rename_made_meanwhile(self, world):
        stale, fresh = self.stale_and_fresh(world.tuesday)
        group_rename(group=fresh, name="Renamed")
        group_turn_off_join_code(group=stale)
        world.tuesday.refresh_from_db()
        assert (world.tuesday.name, world.tuesday.join_code) == ("Renamed", None)
        assert world.thursday.join_code  # the other group's code is untouched

    def test_restoring_keeps_a_rename_made_meanwhile(self, world):
        group_archive(group=world.tuesday)
        stale, fresh = self.stale_and_fresh(world.tuesday)
        group_rename(group=fresh, name="Renamed")
        group_restore(group=stale)
        world.tuesday.refresh_from_db()
        assert (world.tuesday.name, world.tuesday.is_archived) == ("Renamed", False)

    def test_a_new_code_keeps_a_rename_made_meanwhile(self, world):
        stale, fresh = self.stale_and_fresh(world.tuesday)
        group_rename(group=fresh, name="Renamed")
        group_replace_join_code(group=stale)
        world.tuesday.refresh_from_db()
        assert world.tuesday.name == "Renamed"
        assert world.tuesday.join_code not in (None, "ABCDEFGH")


def test_a_new_code_tries_five_times_before_giving_up(world, monkeypatch):
    """A code already taken is never given twice; after five taken codes it says so."""
    tries = []

    def taken_code():
        tries.append(world.thursday.join_code)
        return world.thursday.join_code

    monkeypatch.setattr("accounts.groups.join_code_generate", taken_code)
    with pytest.raises(RuntimeError) as gave_up:
        group_replace_join_code(group=world.tuesday)
    assert str(gave_up.value) == "Could not find a free join code."
    assert len(tries) == 5
    world.tuesday.refresh_from_db()
    assert world.tuesday.join_code == "ABCDEFGH"


def test_a_taken_code_is_passed_over_for_the_next_free_one(world, monkeypatch):
    codes = iter([world.thursday.join_code, world.saturday.join_code, "FREECODE"])
    monkeypatch.setattr("accounts.groups.join_code_generate", lambda: next(codes))
    group_replace_join_code(group=world.tuesday)
    world.tuesday.refresh_from_db()
    assert world.tuesday.join_code == "FREECODE"
    world.thursday.refresh_from_db()
    assert world.thursday.join_code != "FREECODE"


def test_only_a_facilitator_can_run_a_group_with_another(world):
    with pytest.raises(ValidationError) as refused:
        group_add_facilitator(group=world.tuesday, user=world.pat)
    assert refused.value.messages == [
        "That person is not a facilitator yet. An administrator can make them one."
    ]
    group_add_facilitator(group=world.tuesday, user=world.second_facilitator)
    assert set(world.tuesday.facilitators.all()) == {world.facilitator, world.second_facilitator}
    assert list(world.thursday.facilitators.all()) == [world.facilitator]


class TestWhatAnInvitationLinkSays:
    """What a parent reads when a link cannot be used, word for word: it is all they get."""

    def test_each_problem_in_the_parents_words(self, world):
        assert invitation_problem(None) == (
            "We could not find this invitation. Please check the link in your email."
        )
        ben = UserFactory(email=INVITED["ben"])
        invitation_accept(token=world.tokens["ben"], user=ben)
        used = world.invitation("ben")
        assert invitation_problem(used, ben) is None
        assert invitation_problem(used, world.kim) == (
            "This invitation has already been used. Each link works once. If you need a new "
            "one, please ask your facilitator."
        )
        assert invitation_problem(used) == invitation_problem(used, world.kim)
        ann = world.invitation("ann")
        assert invitation_problem(ann) is None
        group_archive(group=world.tuesday)
        ann.group.refresh_from_db()
        assert invitation_problem(ann) == (
            "This group has finished, so it is not taking new members."
        )
        Invitation.objects.filter(pk=ann.pk).update(expires_at=timezone.now())
        assert invitation_problem(world.invitation("ann")) == (
            "This invitation has expired. Please ask your facilitator to send a new one."
        )

    def test_an_invitation_expires_at_the_very_moment_it_says(self, world, monkeypatch):
        cat = world.invitation("cat")
        monkeypatch.setattr("django.utils.timezone.now", lambda: cat.expires_at)
        assert "has expired" in invitation_problem(cat)

    def test_a_link_finds_its_own_invitation_with_its_group_and_course(
        self, world, django_assert_num_queries
    ):
        found = invitation_find(world.tokens["cat"])
        with django_assert_num_queries(0):
            assert (found.email, found.group.name, found.group.course.slug) == (
                INVITED["cat"],
                "Thursday morning group",
                "circle",
            )

    @pytest.mark.parametrize("token", [None, "", "not-a-token"])
    def test_a_missing_or_unknown_token_finds_nothing(self, world, token):
        assert invitation_find(token) is None

    def test_a_token_of_up_to_100_characters_is_looked_up_and_a_longer_one_never(self, world):
        for length, found in [(100, True), (101, False)]:
            token = "t" * length
            Invitation.objects.filter(email=INVITED["ann"]).update(
                token_hash=hashlib.sha256(token.encode()).hexdigest()
            )
            assert (invitation_find(token) is not None) is found


def test_a_join_code_finds_its_own_group_with_its_course(world, django_assert_num_queries):
    found = group_find_by_code(world.thursday.join_code.lower())
    with django_assert_num_queries(0):
        assert (found, found.course.slug) == (world.thursday, "circle")
    assert group_find_by_code("ABCD-EFGH") == world.tuesday
    assert group_find_by_code("ABCDEFG") is None


def test_a_group_marked_archived_with_its_code_still_set_cannot_be_joined(world):
    """An admin may mark a group archived by its date alone; its old code must not work."""
    ParentGroup.objects.filter(pk=world.thursday.pk).update(archived_at=timezone.now())
    assert group_find_by_code(world.thursday.join_code) is None
    response = logged_in(world.kim).post(
        reverse("accounts:join"), {"code": world.thursday.join_code}
    )
    assert "We could not find a group with that code" in response.content.decode()
    assert groups_of(world.kim) == {"Tuesday evening group", "Saturday group"}
