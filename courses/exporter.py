"""
Writes courses as the Markdown files courses/loader.py reads (its docstring gives the layout):
a folder (`course_export`, `manage.py export_course`) or a zip of several (`course_zip`, the
admin's "Download"). What is written loads back unchanged (tests/test_course_transfer.py).
"""

import io
import zipfile
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from courses.lesson_fields import AGE_EXAMPLE_FIELDS
from courses.loader import CONTENT_PARTS
from courses.loader_translations import (
    course_english,
    course_translation,
    glossary_english,
    glossary_translation,
    lesson_english,
    lesson_translation,
    module_english,
    module_translation,
    translated_files,
)


class _ContentDumper(yaml.SafeDumper):
    """YAML that people can edit: multi-line text as `|` blocks, keys in the order given."""

    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, as the hand-written content files do.
        return super().increase_indent(flow, False)


def _represent_str(dumper, text):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_ContentDumper.add_representer(str, _represent_str)


def _document(meta, body=""):
    front = yaml.dump(
        meta, Dumper=_ContentDumper, sort_keys=False, allow_unicode=True, width=100
    ).strip()
    text = f"---\n{front}\n---\n"
    return f"{text}{body}\n" if body else text


# Content parts (CONTENT_PARTS) write their files the same way.
document = _document


def _prefix(position, count):
    return f"{position:0{max(2, len(str(count)))}d}"


def _lesson_meta(lesson):
    meta = {
        "slug": lesson.slug,
        "title": lesson.title,
        "circle_place": lesson.circle_place,
        "circle_needs": list(lesson.circle_needs),
        "principle": lesson.principle,
        "minutes": lesson.minutes,
        "summary": lesson.summary,
        "key_points": lesson.key_points.split("\n") if lesson.key_points else [],
        "practice": lesson.practice,
        "reflection_prompt": lesson.reflection_prompt,
        "age_examples": {
            age.value: getattr(lesson, name)
            for age, name in AGE_EXAMPLE_FIELDS.items()
            if getattr(lesson, name)
        },
        "questions": [
            {
                "text": question.text,
                "choices": [
                    {"text": choice.text, "correct": choice.is_correct, "feedback": choice.feedback}
                    for choice in question.choices.all()
                ],
            }
            for question in lesson.questions.all()
        ],
    }
    if not meta["age_examples"]:
        del meta["age_examples"]
    if not lesson.is_published:
        meta["published"] = False
    if lesson.is_archived:
        meta["archived"] = True
    return meta


def _translations(relative, text, obj, english_values, write, key="source"):
    """The (path, text) of each translation of one English file written as `text`."""
    for path, (meta, body) in translated_files(relative, text, obj, english_values, write, key):
        yield path, _document(meta, body)


def course_files(*, course):
    """The course as (relative path, text) pairs, in the layout the loader reads."""
    meta = {"slug": course.slug, "title": course.title, "summary": course.summary}
    if not course.is_published:
        meta["published"] = False
    text = _document(meta, course.description)
    yield "course.md", text
    yield from _translations("course.md", text, course, course_english(course), course_translation)
    terms = list(course.glossary_terms.all())
    if terms or course.glossary_intro:
        glossary = [
            {"slug": t.slug, "term": t.term, "forms": t.form_list, "definition": t.definition}
            for t in terms
        ]
        text = _document({"terms": glossary}, course.glossary_intro)
        yield "glossary.md", text
        yield from _translations(
            "glossary.md",
            text,
            course,
            glossary_english(course, terms),
            glossary_translation(terms),
            key="glossary_source",
        )
    modules = list(
        course.modules.order_by("position", "id").prefetch_related("lessons__questions__choices")
    )
    folders = {}
    for module_position, module in enumerate(modules, start=1):
        folder = f"{_prefix(module_position, len(modules))}-{module.slug}"
        folders[module.pk] = folder
        meta = {"slug": module.slug, "title": module.title, "summary": module.summary}
        if not module.is_published:
            meta["published"] = False
        text = _document(meta)
        yield f"{folder}/module.md", text
        yield from _translations(
            f"{folder}/module.md", text, module, module_english(module), module_translation
        )
        lessons = sorted(module.lessons.all(), key=lambda lesson: (lesson.position, lesson.pk))
        for lesson_position, lesson in enumerate(lessons, start=1):
            name = f"{folder}/{_prefix(lesson_position, len(lessons))}-{lesson.slug}.md"
            text = _document(_lesson_meta(lesson), lesson.body)
            yield name, text
            questions = [(q, list(q.choices.all())) for q in lesson.questions.all()]
            yield from _translations(
                name,
                text,
                lesson,
                lesson_english(lesson, questions),
                lesson_translation(lesson, questions),
            )
    for part in CONTENT_PARTS:
        yield from part.files(course=course, module_folders=folders)


def course_export(*, course, out):
    """Write the course's files into the folder `out`, which must be empty or new."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ValidationError(
            gettext("%(folder)s is not empty; export into a new or empty folder.") % {"folder": out}
        )
    for relative, text in course_files(course=course):
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


def course_zip(*, courses):
    """A zip file (bytes) with one folder per course, named by its slug."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for course in courses:
            for relative, text in course_files(course=course):
                archive.writestr(f"{course.slug}/{relative}", text)
    return buffer.getvalue()
