"""The Account page: the person's name, and the way to everything else about their account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import DisplayNameForm


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    form = DisplayNameForm(request.POST or None, initial={"display_name": user.display_name})
    if request.method == "POST" and form.is_valid():
        user.set_display_name(form.cleaned_data["display_name"])
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})
