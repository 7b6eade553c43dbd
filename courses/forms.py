"""
Forms for the facilitator's pages and for a parent's own writing.

A parent's writing: the length and emptiness rules live in the services (courses/journal.py),
which answer with a ValidationError the view puts back on the form, so the parent sees the
message next to their words (a practice note's form asks them first, to show every problem at
once). There is no `maxlength` attribute on purpose: a browser would silently cut a long paste,
and nothing a parent writes should be lost.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.assignments import plan_day_problem
from courses.journal import practice_note_clean


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AssignmentForm(forms.Form):
    """One module's line of the group's plan (all modules are one form, each with a prefix)."""

    planned = forms.BooleanField(
        label=_("In the group's plan"),
        required=False,
        help_text=_("Shown on parents' dashboards. A day below puts it in the plan too."),
    )
    opens_on = forms.DateField(
        label=_("Opens on (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("Until this day the module is locked for the group."),
    )
    due_on = forms.DateField(
        label=_("Suggested by (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("A gentle target, shown to parents. Nothing happens when it passes."),
    )

    def clean(self):
        cleaned = super().clean()
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        for name in ("opens_on", "due_on"):
            # The service's rule (courses/assignments.py), asked here to show it at the field.
            if problem := plan_day_problem(cleaned.get(name)):
                self.add_error(name, problem)
        if opens_on and due_on and opens_on > due_on:
            self.add_error("due_on", _("The suggested date cannot be before the module opens."))
        if opens_on or due_on:
            cleaned["planned"] = True
        return cleaned


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your reflection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Private to you unless you choose to share it."),
    )


class PracticeNoteForm(forms.Form):
    # Identifies this copy of the form, so sending it twice saves one note. A missing or broken
    # key (only a hand-made request has one) gets a fresh key rather than an error nobody can fix.
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    noted_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please give a date like 2025-03-14.")},
    )
    tried = forms.CharField(
        label=_("What I tried"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    happened = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example a moment of rupture and repair. Only you can see your notes."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("key", uuid.uuid4())
        kwargs["initial"].setdefault("noted_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_key(self):
        try:
            return uuid.UUID(self.cleaned_data.get("key") or "")
        except ValueError:
            return uuid.uuid4()

    def clean_noted_on(self):
        noted_on = self.cleaned_data.get("noted_on")
        if noted_on and noted_on > timezone.localdate():
            raise forms.ValidationError(
                _("That date is still to come. Please pick today or earlier.")
            )
        return noted_on

    def clean(self):
        cleaned = super().clean()
        # The note's own rules (courses/journal.py) too, on whatever the fields could read: every
        # problem shows at once, not one more each time the parent sends the form.
        try:
            practice_note_clean(
                noted_on=cleaned.get("noted_on"),
                tried=cleaned.get("tried"),
                happened=cleaned.get("happened"),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return cleaned


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name on the certificate"),
        max_length=80,
        help_text=_("Shown on the certificate and on its public verification page."),
        error_messages={
            "required": _("Please give the name to print."),
            "max_length": _("Please keep the name under 80 characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
