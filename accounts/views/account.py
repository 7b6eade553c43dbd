"""
The Account page: the person's name, their child's age (which example lessons show first), and
the way to everything else about their account.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import ChildAgeForm, DisplayNameForm
from accounts.models import ChildAge


def _account_page(request, *, form=None, age_form=None, status=200):
    user = request.user
    context = {
        "form": form or DisplayNameForm(initial={"display_name": user.display_name}),
        "age_form": age_form or ChildAgeForm(initial={"child_age": user.child_age or "all"}),
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    form = DisplayNameForm(request.POST or None, initial={"display_name": user.display_name})
    if request.method == "POST" and form.is_valid():
        user.set_display_name(form.cleaned_data["display_name"])
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:account")
    return _account_page(request, form=form)


@login_required
@require_POST
def child_age(request):
    """
    Remember the child's age, from the Account page or a lesson's "For your child's age" form,
    and go back where the form was (`next`, a page of this site only).
    """
    form = ChildAgeForm(request.POST)
    if not form.is_valid():
        return _account_page(request, age_form=form, status=400)
    age = form.cleaned_data["child_age"]
    request.user.set_child_age(age)
    if age:
        label = dict(ChildAge.choices)[age].lower()
        messages.success(
            request, _("Saved. Lessons show the example for %(age)s first.") % {"age": label}
        )
    else:
        messages.success(request, _("Saved. Lessons show the examples for every age alike."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("accounts:account")
    return redirect(next_url)
