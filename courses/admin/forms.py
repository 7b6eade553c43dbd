"""
Forms for the content admin.

Questions and their choices are edited together under the lesson. Django has no nested
inlines, so each question's inline form carries a fixed set of choice slots (text + feedback)
and one "right answer" radio; saving the question saves its choices. One radio, rather than a
tick box per choice, makes "exactly one right answer" impossible to get wrong.

Slot n is the question's n-th existing choice: editing a slot rewrites that choice, emptying it
removes that choice. A choice or question that parents have already answered cannot be removed
(their answers point to it, on_delete=PROTECT), so the form says so instead of failing.
"""

from django import forms
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from courses.glossary import glossary_problems
from courses.lesson_fields import CircleNeed
from courses.models import Choice, Lesson, Question, QuestionAttempt

SLOTS = range(1, Question.MAX_CHOICES + 1)


def choice_field(number):
    return f"choice_{number}"


def feedback_field(number):
    return f"feedback_{number}"


class QuestionForm(forms.ModelForm):
    correct = forms.TypedChoiceField(
        label=_("Right answer"),
        choices=[(number, format_lazy(_("Choice {number}"), number=number)) for number in SLOTS],
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

    def slot_choices(self):
        """[(slot number, the existing choice in it or None)], in the order the form shows."""
        existing = list(self.instance.choices.all()) if self.instance.pk else []
        return [
            (number, existing[number - 1] if number <= len(existing) else None) for number in SLOTS
        ]

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
                self.add_error(
                    choice_field(number), gettext("Write the choice, or clear its feedback.")
                )
            if not cleaned.get(feedback_field(number)):
                self.add_error(
                    feedback_field(number),
                    gettext("Write what a parent reads after picking this choice."),
                )
        if len(filled) < 2:
            raise forms.ValidationError(gettext("A question needs at least two choices."))
        if cleaned.get("correct") not in filled:
            self.add_error("correct", gettext("Pick the right answer among the choices you wrote."))
        self._keep_answered_choices(filled)
        return cleaned

    def _keep_answered_choices(self, filled):
        removed = {
            number: choice
            for number, choice in self.slot_choices()
            if choice is not None and number not in filled
        }
        if not removed:
            return
        answered = set(
            QuestionAttempt.objects.filter(choice__in=removed.values()).values_list(
                "choice_id", flat=True
            )
        )
        for number, choice in removed.items():
            if choice.pk in answered:
                self.add_error(
                    choice_field(number),
                    gettext(
                        "Parents have already picked “%(choice)s”, so it has to stay: their "
                        "answers point to it. Put it back here (you may reword it and its "
                        "feedback)."
                    )
                    % {"choice": choice.text},
                )

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
        """Update each slot's choice in place, add new ones, drop the emptied ones."""
        data = self.cleaned_data
        filled = self.filled_slots()
        slots = self.slot_choices()
        extra = list(self.instance.choices.all())[len(slots) :] if self.instance.pk else []
        Choice.objects.filter(
            pk__in=[c.pk for n, c in slots if c is not None and n not in filled]
            + [c.pk for c in extra]
        ).delete()
        new = []
        for position, number in enumerate(filled, start=1):
            values = {
                "text": data[choice_field(number)],
                "feedback": data[feedback_field(number)],
                "is_correct": number == data["correct"],
                "position": position,
            }
            choice = slots[number - 1][1]
            if choice is None:
                new.append(Choice(question=self.instance, **values))
            elif any(getattr(choice, name) != value for name, value in values.items()):
                Choice.objects.filter(pk=choice.pk).update(**values)
        Choice.objects.bulk_create(new)


class QuestionFormSet(BaseInlineFormSet):
    """
    The lesson's questions; one that parents have answered cannot be deleted. The admin would
    refuse too (its inline forms check for protected objects), but in words meant for
    developers ("question attempt Answer to 4 by 7"), so this check runs first.
    """

    def clean(self):
        self._keep_answered_questions()
        super().clean()

    def _keep_answered_questions(self):
        doomed = [form.instance for form in self.deleted_forms if form.instance.pk]
        if not doomed:
            return
        answered = set(
            QuestionAttempt.objects.filter(question__in=doomed).values_list(
                "question_id", flat=True
            )
        )
        kept = [question for question in doomed if question.pk in answered]
        if kept:
            names = "; ".join(f"“{question.text[:80]}”" for question in kept)
            raise forms.ValidationError(
                ngettext(
                    "Parents have already answered %(names)s, so it cannot be deleted: their "
                    "answers point to it. Untick “Delete” to save the rest of your changes. To "
                    "retire a question, archive the lesson and write a new one.",
                    "Parents have already answered %(names)s, so they cannot be deleted: their "
                    "answers point to them. Untick “Delete” to save the rest of your changes. To "
                    "retire a question, archive the lesson and write a new one.",
                    len(kept),
                )
                % {"names": names}
            )


def _add_choice_slots(form_class):
    """Declare the choice slot fields (as if written in the class body, one pair per slot)."""
    for number in SLOTS:
        fields = {
            choice_field(number): forms.CharField(
                label=format_lazy(_("Choice {number}"), number=number),
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 36}),
            ),
            feedback_field(number): forms.CharField(
                label=format_lazy(_("Feedback {number}"), number=number),
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
        label=_("Zip file"),
        help_text=_("A zip made by “Export as a zip file” on another site (or on this one)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                gettext("That file is bigger than 5 MB; a course zip is smaller.")
            )
        return upload


class LessonAdminForm(forms.ModelForm):
    """The lesson form, with the needs on the circle as tick boxes rather than raw JSON."""

    circle_needs = forms.MultipleChoiceField(
        label=_("Needs on the circle"),
        choices=CircleNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The child's needs this lesson is about, from its own half of the circle (delight "
            "in me is on both). A lesson on the hands has none."
        ),
    )

    class Meta:
        model = Lesson
        fields = ["circle_needs"]  # the admin adds the rest from its fieldsets

    def clean_circle_needs(self):
        # In the circle's own order, whatever order the boxes were ticked in.
        chosen = set(self.cleaned_data["circle_needs"])
        return [need for need in CircleNeed.values if need in chosen]


class GlossaryTermFormSet(BaseInlineFormSet):
    """A course's glossary terms: each form of a word belongs to one term only."""

    def clean(self):
        super().clean()
        terms = [
            (form.cleaned_data.get("slug"), form.cleaned_data.get("forms", "").splitlines())
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = glossary_problems(terms)
        if problems:
            raise forms.ValidationError(problems)
