"""Forms for the facilitator's pages."""

from django import forms

from courses.models import Course


class GroupCreateForm(forms.Form):
    name = forms.CharField(
        label="Group name",
        max_length=120,
        help_text='Something your parents will recognise, like "Tuesday evening group".',
    )
    course = forms.ModelChoiceField(
        label="Course", queryset=Course.objects.published(), empty_label=None
    )


class GroupRenameForm(forms.Form):
    name = forms.CharField(label="Group name", max_length=120)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Parent's email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class CoFacilitatorForm(forms.Form):
    email = forms.EmailField(
        label="Co-facilitator's email address",
        help_text="They need an account with the facilitator role.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AssignmentForm(forms.Form):
    opens_on = forms.DateField(
        label="Opens on (optional)",
        required=False,
        widget=DateInput(),
        help_text="Until this day the module is locked for the group.",
    )
    due_on = forms.DateField(
        label="Suggested by (optional)",
        required=False,
        widget=DateInput(),
        help_text="A gentle target, shown to parents. Nothing happens when it passes.",
    )

    def clean(self):
        cleaned = super().clean()
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and opens_on > due_on:
            self.add_error("due_on", "The suggested date cannot be before the module opens.")
        return cleaned
