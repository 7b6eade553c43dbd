"""
Forms for a parent's own writing. The length and emptiness rules live in the services
(courses/journal.py), which answer with a ValidationError the view puts back on the form, so the
parent sees the message next to their words. There is no `maxlength` attribute on purpose: a
browser would silently cut a long paste, and nothing a parent writes should be lost.
"""

import uuid

from django import forms
from django.utils import timezone


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="Your reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Private to you unless you choose to share it.",
    )


class PracticeNoteForm(forms.Form):
    # Identifies this copy of the form, so sending it twice saves one note. A missing or broken
    # key (only a hand-made request has one) gets a fresh key rather than an error nobody can fix.
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    noted_on = forms.DateField(
        label="Date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Please give a date like 2025-03-14."},
    )
    tried = forms.CharField(
        label="What I tried", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    happened = forms.CharField(
        label="What happened",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example a moment of rupture and repair. Only you can see your notes.",
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
            raise forms.ValidationError("That date is still to come. Please pick today or earlier.")
        return noted_on


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label="Name on the certificate",
        max_length=80,
        help_text="Shown on the certificate and on its public verification page.",
        error_messages={
            "required": "Please give the name to print.",
            "max_length": "Please keep the name under 80 characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
