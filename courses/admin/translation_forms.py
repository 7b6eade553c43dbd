"""
Forms that edit one language's text of a lesson, module or course in the admin, each field shown
beside its English (read-only) so a translator can work.

They check what loading a NAME.<language>.md file checks (courses/loader_translations.py), with
the same rule everywhere: every text the English has is needed, with as many key points as the
English, and the questions and choices are matched to the English's by position. A text the
English lacks is not asked for. Settings (the right answer, the order, the ages) are not here:
they come from the English only, so a translation cannot move a right answer.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from courses.authoring import FIELD_LABELS
from courses.glossary import forms_normalise
from courses.lesson_fields import AGE_EXAMPLE_FIELDS
from courses.models import Choice, LessonVersion


@dataclass
class Row:
    field: forms.BoundField
    english: str


@dataclass
class Section:
    legend: str
    rows: list


def _field(label, *, rows=0, max_length=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(attrs={"size": 50})
    return forms.CharField(
        label=label, max_length=max_length, widget=widget, help_text=help_text, required=True
    )


class TranslationForm(forms.Form):
    """A field for each English text, grouped in sections; `english` is shown beside each."""

    def __init__(self, data=None, *, language):
        super().__init__(data)
        self.language = language
        self.english = {}
        self.layout = []  # [(legend, [field names])]

    def add(self, legend, name, field, *, english, initial):
        """Ask for `name` only when the English has it: a translation has the same texts."""
        if not str(english or "").strip():
            return
        if not self.layout or self.layout[-1][0] != legend:
            self.layout.append((legend, []))
        self.layout[-1][1].append(name)
        # The translation is marked with its language; the English beside it describes it.
        described = [f"english_{name}"]
        if field.help_text:
            described.append(f"id_{name}_helptext")
        field.widget.attrs.update({"lang": self.language, "aria-describedby": " ".join(described)})
        self.fields[name] = field
        self.english[name] = english
        self.initial[name] = initial or ""

    def sections(self):
        return [
            Section(legend, [Row(self[name], self.english[name]) for name in names])
            for legend, names in self.layout
        ]

    def clean(self):
        cleaned = super().clean()
        # Browsers send CRLF from text areas; the English keeps LF, and so do translations.
        return {
            name: value.replace("\r\n", "\n") if isinstance(value, str) else value
            for name, value in cleaned.items()
        }

    def text(self, name):
        return self.cleaned_data.get(name, "")


class LessonTranslationForm(TranslationForm):
    note = forms.CharField(
        label=_("Note for the versions (optional)"),
        max_length=200,
        required=False,
        help_text=_("What you changed, shown on the versions page."),
    )

    LESSON_FIELDS = [
        ("title", {"max_length": 200}),
        ("summary", {"max_length": 300}),
        (
            "body",
            {"rows": 16, "help_text": _("Markdown, as in the English. Headings start at ##.")},
        ),
        ("key_points", {"rows": 4}),
        ("practice", {"rows": 3}),
        ("reflection_prompt", {"rows": 3}),
    ]

    def __init__(self, data=None, *, lesson, questions, language):
        super().__init__(data, language=language)
        self.questions = questions
        self.key_point_count = len(lesson.key_points.splitlines())
        translated = lesson.translation(language)
        for name, kwargs in self.LESSON_FIELDS:
            if name == "key_points":
                kwargs = {**kwargs, "help_text": self.key_points_help()}
            self.add(
                _("Lesson"),
                name,
                _field(FIELD_LABELS[name], **kwargs),
                english=getattr(lesson, name),
                initial=translated.get(name),
            )
        for name in AGE_EXAMPLE_FIELDS.values():
            self.add(
                _("For your child's age"),
                name,
                _field(FIELD_LABELS[name], rows=3),
                english=getattr(lesson, name),
                initial=translated.get(name),
            )
        for number, (question, choices) in enumerate(questions, start=1):
            legend = gettext("Question %(number)d") % {"number": number}
            self.add(
                legend,
                f"question_{number}",
                _field(_("Question"), rows=2),
                english=question.text,
                initial=question.translation(language).get("text"),
            )
            for slot, choice in enumerate(choices, start=1):
                values = choice.translation(language)
                self.add(
                    legend,
                    f"question_{number}_choice_{slot}",
                    _field(
                        gettext("Choice %(number)d") % {"number": slot},
                        max_length=Choice._meta.get_field("text").max_length,
                    ),
                    english=choice.text,
                    initial=values.get("text"),
                )
                self.add(
                    legend,
                    f"question_{number}_feedback_{slot}",
                    _field(gettext("Feedback %(number)d") % {"number": slot}, rows=2),
                    english=choice.feedback,
                    initial=values.get("feedback"),
                )

    def key_points_help(self):
        return ngettext(
            "One key point, as in the English.",
            "One key point per line: %(count)d, as in the English.",
            self.key_point_count,
        ) % {"count": self.key_point_count}

    def clean_key_points(self):
        lines = [line.strip() for line in self.cleaned_data["key_points"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) != self.key_point_count:
            raise forms.ValidationError(
                ngettext(
                    "The English has %(count)d key point; write it on one line "
                    "(you wrote %(found)d lines).",
                    "The English has %(count)d key points; write them one per line "
                    "(you wrote %(found)d).",
                    self.key_point_count,
                )
                % {"count": self.key_point_count, "found": len(lines)}
            )
        return "\n".join(lines)

    def lesson_values(self):
        """The lesson's own texts ("" where the English has none)."""
        return {name: self.text(name) for name in LessonVersion.TEXT_FIELDS}

    def question_values(self):
        """[({"text"}, [{"text", "feedback"}])] in the English's order."""
        return [
            (
                {"text": self.text(f"question_{number}")},
                [
                    {
                        "text": self.text(f"question_{number}_choice_{slot}"),
                        "feedback": self.text(f"question_{number}_feedback_{slot}"),
                    }
                    for slot in range(1, len(choices) + 1)
                ],
            )
            for number, (_question, choices) in enumerate(self.questions, start=1)
        ]


class ModuleTranslationForm(TranslationForm):
    def __init__(self, data=None, *, obj, language):
        super().__init__(data, language=language)
        translated = obj.translation(language)
        for name, label, kwargs in [
            ("title", _("Title"), {"max_length": 200}),
            ("summary", _("Summary"), {"max_length": 300}),
        ]:
            self.add(
                None,
                name,
                _field(label, **kwargs),
                english=getattr(obj, name),
                initial=translated.get(name),
            )

    def values(self):
        return {"title": self.text("title"), "summary": self.text("summary")}


class CourseTranslationForm(ModuleTranslationForm):
    def __init__(self, data=None, *, obj, language):
        super().__init__(data, obj=obj, language=language)
        self.add(
            None,
            "description",
            _field(_("Description"), rows=10, help_text=_("Markdown, as in the English.")),
            english=obj.description,
            initial=obj.translation(language).get("description"),
        )

    def values(self):
        return {**super().values(), "description": self.text("description")}


class GlossaryTranslationForm(TranslationForm):
    """
    A course's glossary in one language: its introduction, then each term's word, the forms
    lessons in that language write it in, and its definition, as a glossary.<language>.md
    file holds them (courses/loader_translations.py).
    """

    def __init__(self, data=None, *, obj, language, terms):
        """`terms`: the course's glossary terms in order (one read for the whole page)."""
        super().__init__(data, language=language)
        self.terms = terms
        self.add(
            None,
            "glossary_intro",
            _field(_("Introduction"), rows=4, help_text=_("Markdown, as in the English.")),
            english=obj.glossary_intro,
            initial=obj.translation(language).get("glossary_intro"),
        )
        for term in self.terms:
            translated = term.translation(language)
            for name, field in [
                ("term", _field(_("Term"), max_length=200)),
                (
                    "forms",
                    _field(
                        _("Forms"),
                        rows=2,
                        help_text=_(
                            "How lessons in this language write it, one per line. The first "
                            "lesson that uses any of them links to the entry."
                        ),
                    ),
                ),
                ("definition", _field(_("Definition"), rows=3)),
            ]:
                self.add(
                    term.term,
                    f"{name}_{term.pk}",
                    field,
                    english=getattr(term, name),
                    initial=translated.get(name),
                )

    def clean(self):
        cleaned = super().clean()
        owners = {}
        for term in self.terms:
            name = f"forms_{term.pk}"
            if name not in cleaned:
                continue
            forms = forms_normalise(cleaned[name].splitlines())
            cleaned[name] = "\n".join(forms)
            for form in forms:
                owner = owners.setdefault(form, term)
                if owner != term:
                    # A word in a lesson links to one entry only.
                    self.add_error(
                        name,
                        gettext("“%(form)s” is already a form of “%(term)s”.")
                        % {"form": form, "term": cleaned.get(f"term_{owner.pk}") or owner.term},
                    )
        return cleaned

    def intro(self):
        return self.text("glossary_intro")

    def term_values(self):
        """[{"term", "forms", "definition"}] for each term, in order."""
        return [
            {name: self.text(f"{name}_{term.pk}") for name in ("term", "forms", "definition")}
            for term in self.terms
        ]
