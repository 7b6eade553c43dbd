"""
Groups from a parent's side: the groups I am in, joining by code, by link or by invitation,
and leaving. The facilitator's side lives in courses/views/facilitator.py.
"""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access import get_group_for_member
from accounts.forms import JoinCodeForm
from accounts.groups import (
    group_find_by_code,
    invitation_accept,
    invitation_find,
    invitation_problem,
    membership_add,
    membership_remove,
)
from accounts.models import ParentGroup
from accounts.ratelimit import join_attempt_record_failure, join_attempts_exhausted
from accounts.signals import PENDING_INVITATION_SESSION_KEY

WRONG_CODE = gettext_lazy(
    "We could not find a group with that code. Please check it with your facilitator: it may "
    "have a typing slip, or it may have been turned off or replaced with a new one."
)
TOO_MANY_TRIES = gettext_lazy(
    "That is a lot of codes that did not work, so we have paused joining by code for a while. "
    "Please try again in an hour, or ask your facilitator for an invitation link."
)


def _join(request, group):
    try:
        membership_add(group=group, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:groups")
    messages.success(
        request,
        _("Welcome to %(group)s! Your facilitator can now walk with you.") % {"group": group.name},
    )
    return redirect("accounts:groups")


@login_required
def my_groups(request):
    groups = (
        ParentGroup.objects.active()
        .for_member(request.user)
        .select_related("course")
        .prefetch_related("facilitators")
    )
    return render(request, "accounts/groups.html", {"groups": groups, "form": JoinCodeForm()})


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    form = JoinCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if join_attempts_exhausted(request):
            form.add_error("code", TOO_MANY_TRIES)
            status = 429
        else:
            group = group_find_by_code(form.cleaned_data["code"])
            if group is not None:
                return _join(request, group)
            join_attempt_record_failure(request)
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/join.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def join_link(request, code):
    if join_attempts_exhausted(request):
        context = {"form": JoinCodeForm(), "problem": TOO_MANY_TRIES}
        return render(request, "accounts/join.html", context, status=429)
    group = group_find_by_code(code)
    if group is None:
        join_attempt_record_failure(request)
        context = {"form": JoinCodeForm(), "problem": WRONG_CODE}
        return render(request, "accounts/join.html", context, status=404)
    if group.memberships.filter(user=request.user).exists():
        messages.info(request, _("You are already in %(group)s.") % {"group": group.name})
        return redirect("accounts:groups")
    if request.method == "POST":
        return _join(request, group)
    return render(request, "accounts/join_confirm.html", {"group": group})


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, pk):
    group = get_group_for_member(request.user, pk)
    if request.method == "POST":
        membership_remove(group=group, user=request.user)
        messages.success(
            request,
            _(
                "You have left %(group)s. Your progress and your notes are still yours, "
                "and the course is still here for you."
            )
            % {"group": group.name},
        )
        return redirect("accounts:groups")
    return render(request, "accounts/leave.html", {"group": group})


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """
    The link in an invitation email. Someone without an account is asked to sign up; the
    token waits in their session and the accounts.signals handler puts them in the group as
    soon as they are logged in.
    """
    found = invitation_find(token)
    user = request.user if request.user.is_authenticated else None
    problem = invitation_problem(found, user)
    if problem:
        status = 404 if found is None else 410
        return render(request, "accounts/invitation.html", {"problem": problem}, status=status)
    if user is None:
        request.session[PENDING_INVITATION_SESSION_KEY] = token
        # The sign-up form starts with the invited address filled in (allauth's stash); signing
        # up with it needs no confirmation email (accounts.adapter.AccountAdapter).
        get_adapter(request).stash_verified_email(request, found.email)
        here = reverse("accounts:invitation", args=[token])
        return render(request, "accounts/invitation.html", {"invitation": found, "next_url": here})
    if found.accepted_by_id == user.pk:
        return redirect("accounts:groups")
    if request.method == "POST":
        try:
            invitation_accept(token=token, user=user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("accounts:groups")
        request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
        messages.success(request, _("Welcome to %(group)s!") % {"group": found.group.name})
        return redirect("accounts:groups")
    return render(request, "accounts/invitation.html", {"invitation": found})
