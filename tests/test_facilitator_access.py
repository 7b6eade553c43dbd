"""
Every facilitator URL that names a group answers 404 to a second facilitator, to a parent of
the group, to another parent, and sends anonymous visitors to log in; and none of them changes
anything. The group's own facilitator reaches every one (so the 404s are not vacuous).
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.access import get_group_for_facilitator, get_group_for_member
from accounts.models import Invitation, Membership, ParentGroup
from courses.models import Assignment
from tests.conftest import logged_in
from tests.factories import AssignmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(group, parent):
    """The group with one of everything a URL can point at: a member, an invitation, a plan."""
    first, second = group.course.modules.order_by("position")
    AssignmentFactory(group=group, module=first)
    now = timezone.now()
    invitation = Invitation.objects.create(
        group=group,
        email="invited@example.com",
        token_hash="x" * 64,
        sent_at=now,
        expires_at=now + timezone.timedelta(days=3),
    )
    return {
        "pk": group.pk,
        "lesson": first.lessons.order_by("position").first().pk,
        "member": parent.pk,
        "invitation": invitation.pk,
        "assigned": first.pk,
        "unassigned": second.pk,
    }


# (URL name, the URL's arguments after the group's pk, method, POST data)
GROUP_URLS = [
    ("accounts:facilitator-group", [], "get", None),
    ("accounts:facilitator-group-name", [], "post", {"name": "Taken over"}),
    ("accounts:facilitator-group-code", [], "post", {"action": "replace"}),
    ("accounts:facilitator-group-code", [], "post", {"action": "off"}),
    ("accounts:facilitator-group-archive", [], "post", {"action": "archive"}),
    ("accounts:facilitator-invite", [], "post", {"invite-email": "someone@example.com"}),
    ("accounts:facilitator-invitation-cancel", ["invitation"], "post", {}),
    (
        "accounts:facilitator-cofacilitator",
        [],
        "post",
        {"cofacilitator-email": "second.facilitator@example.com"},
    ),
    ("accounts:facilitator-member-remove", ["member"], "get", None),
    ("accounts:facilitator-member-remove", ["member"], "post", {}),
    ("courses:facilitator-assignments", [], "get", None),
    (
        "courses:facilitator-assignments",
        [],
        "post",
        # Plan the unplanned module and take the planned one off: the whole plan, one form.
        {"m{unassigned}-opens_on": "2030-01-01", "m{assigned}-planned": ""},
    ),
    ("courses:facilitator-report", [], "get", None),
    ("courses:facilitator-report-csv", [], "get", None),
    ("courses:facilitator-shared-reflections", ["lesson"], "get", None),
]
IDS = [f"{name.split(':')[1]}-{method}-{i}" for i, (name, _, method, _) in enumerate(GROUP_URLS)]


def request(browser, setting, name, extra, method, data):
    args = [setting["pk"], *(setting[key] for key in extra)]
    url = reverse(name, args=args)
    if method == "get":
        return browser.get(url)
    data = {key.format(**setting): value for key, value in (data or {}).items()}
    return browser.post(url, data)


def snapshot(group):
    group = ParentGroup.objects.get(pk=group.pk)
    return (
        group.name,
        group.join_code,
        group.archived_at,
        sorted(group.memberships.values_list("user_id", flat=True)),
        sorted(group.facilitators.values_list("pk", flat=True)),
        sorted(Assignment.objects.filter(group=group).values_list("module_id", "opens_on")),
        sorted(Invitation.objects.filter(group=group).values_list("pk", flat=True)),
    )


@pytest.fixture(params=["second_facilitator", "parent_of_group", "another_parent"])
def outsider(request, second_facilitator, parent, second_parent):
    return {
        "second_facilitator": second_facilitator,
        "parent_of_group": parent,
        "another_parent": second_parent,
    }[request.param]


@pytest.mark.parametrize(("name", "extra", "method", "data"), GROUP_URLS, ids=IDS)
def test_outsiders_get_404_and_change_nothing(name, extra, method, data, setting, group, outsider):
    before = snapshot(group)
    response = request(logged_in(outsider), setting, name, extra, method, data)
    assert response.status_code == 404
    assert snapshot(group) == before
    assert mail.outbox == []


@pytest.mark.parametrize(("name", "extra", "method", "data"), GROUP_URLS, ids=IDS)
def test_anonymous_is_sent_to_log_in_and_changes_nothing(
    name, extra, method, data, setting, group, client
):
    before = snapshot(group)
    response = request(client, setting, name, extra, method, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot(group) == before


@pytest.mark.parametrize(("name", "extra", "method", "data"), GROUP_URLS, ids=IDS)
def test_the_groups_facilitator_reaches_every_url(
    name, extra, method, data, setting, group, facilitator_client, second_facilitator
):
    response = request(facilitator_client, setting, name, extra, method, data)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("name", "extra", "method", "data"), GROUP_URLS, ids=IDS)
def test_a_co_facilitator_reaches_every_url(
    name, extra, method, data, setting, group, second_facilitator
):
    group.facilitators.add(second_facilitator)
    response = request(logged_in(second_facilitator), setting, name, extra, method, data)
    assert response.status_code in (200, 302)


def test_facilitator_who_lost_the_role_no_longer_sees_the_group(group, facilitator):
    facilitator.role = facilitator.Role.PARENT
    facilitator.save()
    response = logged_in(facilitator).get(reverse("accounts:facilitator-group", args=[group.pk]))
    assert response.status_code == 404


def test_unknown_group_is_not_found(facilitator_client, group):
    url = reverse("accounts:facilitator-group", args=[group.pk + 1000])
    assert facilitator_client.get(url).status_code == 404


def test_objects_of_another_group_are_not_found_through_your_own(
    group, facilitator, facilitator_client, second_facilitator
):
    """Your own group's URL with another group's member, invitation or module is 404 too."""
    other = ParentGroup.objects.create(name="Theirs", course=group.course)
    other.facilitators.add(second_facilitator)
    stranger = UserFactory()
    MembershipFactory(group=other, user=stranger)
    url = reverse("accounts:facilitator-member-remove", args=[group.pk, stranger.pk])
    assert facilitator_client.post(url).status_code == 404
    assert Membership.objects.filter(group=other, user=stranger).exists()


def test_helpers_answer_404_to_anonymous_and_to_strangers(group, parent, second_parent):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    for user in [AnonymousUser(), second_parent, parent]:
        with pytest.raises(Http404):
            get_group_for_facilitator(user, group.pk)
    for user in [AnonymousUser(), second_parent]:
        with pytest.raises(Http404):
            get_group_for_member(user, group.pk)
    assert get_group_for_member(parent, group.pk) == group


@pytest.mark.parametrize("name", ["accounts:facilitator-groups", "accounts:facilitator-group-new"])
def test_parents_cannot_open_the_facilitator_pages(name, parent_client, client):
    assert parent_client.get(reverse(name)).status_code == 404
    assert client.get(reverse(name)).status_code == 302
