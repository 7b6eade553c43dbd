"""A person's own data: see what the site holds, download it as JSON, delete the account."""

import json

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import AccountDeleteForm
from accounts.personal_data import (
    KEPT_DESCRIPTIONS,
    account_delete,
    memberships_of,
    personal_data_export,
)


@login_required
def my_data(request):
    return render(
        request,
        "accounts/my_data.html",
        {"memberships": list(memberships_of(request.user)), "also_kept": KEPT_DESCRIPTIONS},
    )


@never_cache
@login_required
@require_POST
def my_data_download(request):
    # POST, so a link elsewhere cannot make the browser download it; never cached, as it is
    # everything about the person.
    data = personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"circle-course-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def account_delete_view(request):
    data = request.POST if request.method == "POST" else None
    if data is not None:
        # Each try checks a password, so it is limited like allauth's password change
        # (ACCOUNT_RATE_LIMITS["delete_account"]): nobody at an unlocked screen can guess on.
        limited = ratelimit.consume_or_429(request, action="delete_account", user=request.user)
        if limited is not None:
            return limited
    form = AccountDeleteForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.info(request, _("Your account and everything in it are deleted. Take care."))
        return redirect("circle:home")
    # The other apps' records go too: the page names them as "My data" does.
    return render(request, "accounts/delete.html", {"form": form, "also_kept": KEPT_DESCRIPTIONS})
