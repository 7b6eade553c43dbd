"""Extra fields on allauth's sign-up form."""

from django import forms


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label="Your first name (optional)",
        max_length=80,
        required=False,
        help_text="We use it to greet you. You can leave it empty.",
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Group code",
        max_length=20,
        help_text="Your facilitator gives you this code. It looks like ABCD-EFGH.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
