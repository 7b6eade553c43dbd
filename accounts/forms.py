"""The accounts app's forms: sign-up extras, a person's account, joining a group, running one."""

import re

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.language import language_choices
from accounts.models import ChildAge, ParentGroup


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


# Running a group (accounts/views/facilitator.py) ----------------------------------------


class TitleChoiceField(forms.ModelChoiceField):
    """
    Content (a course, a module) named by its title in the page's language, else the English:
    `tr` reads the translation on the row, so no query more. An <option> cannot carry lang, so
    an English title stays plain text there.
    """

    def label_from_instance(self, obj):
        return obj.tr("title")


class GroupCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Group name"),
        max_length=120,
        help_text=_('Something your parents will recognise, like "Tuesday evening group".'),
    )
    # accounts never imports courses: the course model comes through the group's field.
    course = TitleChoiceField(
        label=_("Course"),
        queryset=ParentGroup._meta.get_field("course").related_model.objects.published(),
        empty_label=None,
    )


class GroupRenameForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=120)


class LanguageSelect(forms.Select):
    """Each language named in itself, and marked so (lang), for screen readers and translators."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class GroupLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the group's invitations"),
        help_text=_(
            "Invitations to this group are written in it. Someone who already chose a language "
            "for their account gets theirs."
        ),
        required=False,
        widget=LanguageSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("The site's default language")),
            *language_choices(),
        ]


class InvitationForm(forms.Form):
    """One address or a pasted list: one per line, or separated by commas or semicolons."""

    MAX_ADDRESSES = 50

    prefix = "invite"  # the group page also has the co-facilitator form's email field
    email = forms.CharField(
        label=_("Parents' email addresses"),
        help_text=_(
            "One or several: one per line, or separated by commas. Up to 50 at a time. Each "
            "parent gets their own link."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_email(self):
        """The addresses, lower-cased and each once; all refused if any is not an address."""
        addresses, wrong = [], []
        # "Sam Jones <sam@example.org>", as mail programs copy it: just the address.
        text = re.sub(r"[^,;\n<>]*<([^<>]*)>", r" \1 ", self.cleaned_data["email"])
        for piece in re.split(r"[\s,;]+", text):
            address = piece.strip().lower()
            if not address or address in addresses:
                continue
            try:
                if len(address) > 254:
                    raise forms.ValidationError("too long")
                validate_email(address)
            except forms.ValidationError:
                wrong.append(piece.strip())
            else:
                addresses.append(address)
        if wrong:
            raise forms.ValidationError(
                ngettext(
                    "This is not an email address we can send to: %(addresses)s. Please check "
                    "it (an address has one @ and at most 254 characters).",
                    "These are not email addresses we can send to: %(addresses)s. Please check "
                    "them (an address has one @ and at most 254 characters).",
                    len(wrong),
                )
                % {"addresses": ", ".join(wrong)}
            )
        if len(addresses) > self.MAX_ADDRESSES:
            raise forms.ValidationError(
                _("Please invite at most %(max)d parents at a time.") % {"max": self.MAX_ADDRESSES}
            )
        return addresses


class CoFacilitatorForm(forms.Form):
    prefix = "cofacilitator"
    email = forms.EmailField(
        label=_("Co-facilitator's email address"),
        max_length=254,
        error_messages={"max_length": _("An email address can be at most 254 characters long.")},
        help_text=_("They need an account with the facilitator role."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
