"""
Running a group, for its facilitators: their groups, starting one, and each group's page with
its members, join code, invitations, co-facilitators, language, name and archive. (The course
side, modules planned, progress and shared reflections, is courses/views/facilitator.py.)

Every page about one group is wrapped in accounts.access.group_view, which logs the person in
and fetches the group through get_group_for_facilitator, the one helper that answers 404 to
anyone who does not facilitate it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from accounts.access import group_view
from accounts.forms import (
    CoFacilitatorForm,
    GroupCreateForm,
    GroupLanguageForm,
    GroupRenameForm,
    InvitationForm,
)
from accounts.groups import (
    ALREADY_IN,
    SENT,
    SENT_RECENTLY,
    group_add_facilitator,
    group_archive,
    group_create,
    group_rename,
    group_replace_join_code,
    group_restore,
    group_set_language,
    group_turn_off_join_code,
    invitations_send,
    membership_remove,
)
from accounts.models import ParentGroup, User
from accounts.names import in_name_order

COFACILITATOR_NOT_FOUND = gettext_lazy(
    "We could not add that address. A co-facilitator needs an account here with the "
    "facilitator role; an administrator can give it to them."
)


def _require_facilitator(user):
    if not user.is_facilitator:
        raise Http404


def _to_detail(group, anchor=""):
    return redirect(reverse("accounts:facilitator-group", args=[group.pk]) + anchor)


def _attempt(request, action, success_message):
    """Run a service; show its ValidationError as a message instead of a crash."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return False
    if success_message:
        messages.success(request, success_message)
    return True


@login_required
def groups(request):
    _require_facilitator(request.user)
    all_groups = list(
        ParentGroup.objects.for_facilitator(request.user)
        .select_related("course")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )
    return render(
        request,
        "accounts/facilitator/groups.html",
        {
            "active": [group for group in all_groups if not group.is_archived],
            "archived": [group for group in all_groups if group.is_archived],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request):
    _require_facilitator(request.user)
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_create(
                name=form.cleaned_data["name"],
                course=form.cleaned_data["course"],
                facilitator=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("%(group)s is ready. Share the link or the code below.")
                % {"group": group.name},
            )
            return _to_detail(group)
    return render(request, "accounts/facilitator/group_new.html", {"form": form})


def _render_detail(request, group, status=200, **forms):
    context = {
        "group": group,
        "members": in_name_order(group.memberships.all()),
        "invitations": group.invitations.filter(accepted_at__isnull=True).order_by("-sent_at"),
        "facilitators": group.facilitators.order_by("display_name", "email"),
        "join_url": request.build_absolute_uri(
            reverse("accounts:join-link", args=[group.join_code_display])
        )
        if group.join_code
        else "",
        "rename_form": forms.get("rename_form") or GroupRenameForm(initial={"name": group.name}),
        "invite_form": forms.get("invite_form") or InvitationForm(),
        "cofacilitator_form": forms.get("cofacilitator_form") or CoFacilitatorForm(),
        "language_form": forms.get("language_form")
        or GroupLanguageForm(initial={"language": group.language}),
    }
    return render(request, "accounts/facilitator/group_detail.html", context, status=status)


@group_view()
def group_detail(request, group):
    return _render_detail(request, group)


@group_view(["POST"])
def group_edit_name(request, group):
    form = GroupRenameForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, group, status=400, rename_form=form)
    group_rename(group=group, name=form.cleaned_data["name"])
    messages.success(request, gettext("The group's name is changed."))
    return _to_detail(group)


@group_view(["POST"])
def group_edit_language(request, group):
    form = GroupLanguageForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, group, status=400, language_form=form)
    group_set_language(group=group, language=form.cleaned_data["language"])
    messages.success(request, gettext("Saved. Invitations to this group go out in this language."))
    return _to_detail(group, "#settings")


@group_view(["POST"])
def group_join_code(request, group):
    action = request.POST.get("action")
    if action == "replace":
        _attempt(
            request,
            lambda: group_replace_join_code(group=group),
            gettext("Here is a new code and link. The old ones no longer work."),
        )
    elif action == "off":
        group_turn_off_join_code(group=group)
        messages.success(request, gettext("Joining by code is off. People already in stay in."))
    else:
        messages.error(request, gettext("Something went wrong with that button. Please try again."))
    return _to_detail(group, "#joining")


@group_view(["POST"])
def group_invite(request, group):
    """One address or a pasted list; each one's result is reported on the group page."""
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, group, status=400, invite_form=form)
    emails = form.cleaned_data["email"]
    try:
        results = invitations_send(
            group=group,
            emails=emails,
            invited_by=request.user,
            link_for=lambda token: request.build_absolute_uri(
                reverse("accounts:invitation", args=[token])
            ),
        )
    except ValidationError as error:  # archived: the page shows no invitation form
        messages.error(request, error.messages[0])
        return _to_detail(group)
    if results[ALREADY_IN] and len(emails) == 1:
        form.add_error("email", _already_in(results[ALREADY_IN]))
        return _render_detail(request, group, status=400, invite_form=form)
    if results[SENT]:
        messages.success(request, _sent(results[SENT]))
    if results[SENT_RECENTLY]:
        messages.info(request, _sent_recently(results[SENT_RECENTLY]))
    if results[ALREADY_IN]:
        messages.info(request, _already_in(results[ALREADY_IN]))
    return _to_detail(group, "#invitations")


def _sent(emails):
    if len(emails) == 1:
        return gettext("Invitation sent to %(email)s.") % {"email": emails[0]}
    return gettext("Invitations sent to %(count)d parents: %(emails)s.") % {
        "count": len(emails),
        "emails": ", ".join(emails),
    }


def _sent_recently(emails):
    return ngettext(
        "An invitation went to %(emails)s a few minutes ago.",
        "Invitations went to these a few minutes ago, so we did not send them again: %(emails)s.",
        len(emails),
    ) % {"emails": ", ".join(emails)}


def _already_in(emails):
    return ngettext(
        "%(emails)s is already in this group.",
        "Already in this group, so not invited: %(emails)s.",
        len(emails),
    ) % {"emails": ", ".join(emails)}


@group_view(["POST"])
def group_invitation_cancel(request, group, invitation_pk):
    invitation = get_object_or_404(
        group.invitations.filter(accepted_at__isnull=True), pk=invitation_pk
    )
    invitation.delete()
    messages.success(
        request,
        gettext("The invitation to %(email)s no longer works.") % {"email": invitation.email},
    )
    return _to_detail(group, "#invitations")


@group_view(["POST"])
def group_cofacilitator_add(request, group):
    form = CoFacilitatorForm(request.POST)
    if form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        # One answer for "no account" and "not a facilitator": the form must not tell anyone
        # which addresses have an account here.
        if person is None or not person.is_facilitator:
            form.add_error("email", COFACILITATOR_NOT_FOUND)
        else:
            group_add_facilitator(group=group, user=person)
            messages.success(
                request, gettext("%(name)s now runs this group with you.") % {"name": person}
            )
            return _to_detail(group, "#facilitators")
    return _render_detail(request, group, status=400, cofacilitator_form=form)


@group_view(["GET", "POST"])
def group_member_remove(request, group, user_pk):
    membership = get_object_or_404(group.memberships.select_related("user"), user_id=user_pk)
    if request.method == "POST":
        membership_remove(group=group, user=membership.user)
        messages.success(
            request,
            gettext("%(name)s is no longer in %(group)s. Their own progress stays with them.")
            % {"name": membership.user, "group": group.name},
        )
        return _to_detail(group, "#members")
    return render(
        request,
        "accounts/facilitator/member_remove.html",
        {"group": group, "member": membership.user},
    )


@group_view(["POST"])
def group_archive_toggle(request, group):
    action = request.POST.get("action")
    if action == "archive":
        group_archive(group=group)
        messages.success(
            request,
            gettext("%(group)s is archived. Its parents no longer see it; nothing was deleted.")
            % {"group": group.name},
        )
    elif action == "restore":
        group_restore(group=group)
        messages.success(
            request,
            gettext("%(group)s is back. Make a new code if people should join.")
            % {"group": group.name},
        )
    else:
        messages.error(request, gettext("Something went wrong with that button. Please try again."))
    return _to_detail(group)
