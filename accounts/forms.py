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
