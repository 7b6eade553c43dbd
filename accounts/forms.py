"""Extra fields on allauth's sign-up form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildAge


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your first name (optional)"),
        max_length=80,
        required=False,
        help_text=_("We use it to greet you. You can leave it empty."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )

    def signup(self, request, user):
        user.set_display_name(self.cleaned_data["display_name"])


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        required=False,
        help_text=_(
            "How the site greets you. Your facilitator sees it too. You can leave it empty."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )


class ChildAgeForm(forms.Form):
    """Which age's example a lesson shows first; "all" shows every age alike."""

    ALL = "all"

    child_age = forms.ChoiceField(
        label=_("Your child's age"),
        choices=[*ChildAge.choices, (ALL, _("Show every age alike"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Please pick an age, or every age alike.")},
    )

    def clean_child_age(self):
        age = self.cleaned_data["child_age"]
        return "" if age == self.ALL else age


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Group code"),
        max_length=20,
        help_text=_("Your facilitator gives you this code. It looks like ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone, so it asks for the password first."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please type your password to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right. Please try again."))
        return password
