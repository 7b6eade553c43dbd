"""
Forms for the content admin.

Questions and their choices are edited together under the lesson. Django has no nested
inlines, so each question's inline form carries a fixed set of choice slots (text + feedback)
and one "right answer" radio; saving the question saves its choices. One radio, rather than a
tick box per choice, makes "exactly one right answer" impossible to get wrong.
"""

from django import forms
from django.db import transaction

from courses.models import Choice, Question

SLOTS = range(1, Question.MAX_CHOICES + 1)


def choice_field(number):
    return f"choice_{number}"


def feedback_field(number):
    return f"feedback_{number}"


class QuestionForm(forms.ModelForm):
    correct = forms.TypedChoiceField(
        label="Right answer",
        choices=[(number, f"Choice {number}") for number in SLOTS],
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Question
        fields = ["position", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The inline's queryset prefetches choices, so this is no extra query per question.
            for number, choice in enumerate(self.instance.choices.all(), start=1):
                self.initial[choice_field(number)] = choice.text
                self.initial[feedback_field(number)] = choice.feedback
                if choice.is_correct:
                    self.initial["correct"] = number

    def filled_slots(self):
        data = self.cleaned_data
        return [
            number
            for number in SLOTS
            if data.get(choice_field(number)) or data.get(feedback_field(number))
        ]

    def clean(self):
        cleaned = super().clean()
        filled = self.filled_slots()
        for number in filled:
            if not cleaned.get(choice_field(number)):
                self.add_error(choice_field(number), "Write the choice, or clear its feedback.")
            if not cleaned.get(feedback_field(number)):
                self.add_error(
                    feedback_field(number), "Write what a parent reads after picking this choice."
                )
        if len(filled) < 2:
            raise forms.ValidationError("A question needs at least two choices.")
        if cleaned.get("correct") not in filled:
            self.add_error("correct", "Pick the right answer among the choices you wrote.")
        return cleaned

    def save(self, commit=True):
        question = super().save(commit=commit)
        if commit:
            self.save_choices()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_choices():
                save_m2m()
                self.save_choices()

            self.save_m2m = save_m2m_and_choices
        return question

    @transaction.atomic
    def save_choices(self):
        """Update choices in place by position (like the loader), add new ones, drop the rest."""
        data = self.cleaned_data
        wanted = [
            {
                "text": data[choice_field(number)],
                "feedback": data[feedback_field(number)],
                "is_correct": number == data["correct"],
                "position": position,
            }
            for position, number in enumerate(self.filled_slots(), start=1)
        ]
        existing = list(Choice.objects.filter(question=self.instance).order_by("position", "id"))
        for choice, values in zip(existing, wanted, strict=False):
            if any(getattr(choice, name) != value for name, value in values.items()):
                Choice.objects.filter(pk=choice.pk).update(**values)
        Choice.objects.bulk_create(
            Choice(question=self.instance, **values) for values in wanted[len(existing) :]
        )
        Choice.objects.filter(pk__in=[choice.pk for choice in existing[len(wanted) :]]).delete()


def _add_choice_slots(form_class):
    """Declare the choice slot fields (as if written in the class body, one pair per slot)."""
    for number in SLOTS:
        fields = {
            choice_field(number): forms.CharField(
                label=f"Choice {number}",
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 36}),
            ),
            feedback_field(number): forms.CharField(
                label=f"Feedback {number}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            ),
        }
        form_class.declared_fields.update(fields)
        form_class.base_fields.update(fields)


_add_choice_slots(QuestionForm)


class CourseImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    archive = forms.FileField(
        label="Zip file",
        help_text="A zip made by “Export as a zip file” on another site (or on this one).",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("That file is bigger than 5 MB; a course zip is smaller.")
        return upload
