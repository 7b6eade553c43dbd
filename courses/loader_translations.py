"""
Reading and writing the translations of a course's own files (course.md, glossary.md, module.md
and the lessons) for courses/loader.py; the file rules are in courses/translation_files.py.

A translation is loaded after the English it translates, so it is checked against the English
as it now is (the same number of questions and choices...). A language whose file is absent
keeps the translation the site has (made in the admin, say): loading never deletes text.
Writing gives each translation `translated_from: <git hash-object of the English file written
beside it>` when it is up to date, so an export loads back as up to date, and an out-of-date one
stays out of date.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from courses.lesson_fields import AGE_EXAMPLE_FIELDS
from courses.translation import (
    CURRENT,
    MISSING,
    OUT_OF_DATE,
    english_fingerprint,
    git_blob_hash,
)
from courses.translation_files import (
    SOURCE_KEY,
    UNKNOWN_SOURCE,
    TranslationFile,
    translation_files,
    translation_path,
)

COURSE_TEXT = {"title": None, "summary": None}
MODULE_TEXT = {"title": None, "summary": None}
GLOSSARY_TEXT = {"terms": {"slug": None, "term": None, "forms": None, "definition": None}}
LESSON_TEXT = {
    "title": None,
    "summary": None,
    "key_points": None,
    "practice": None,
    "reflection_prompt": None,
    "age_examples": None,
    "questions": {"text": None, "choices": {"text": None, "feedback": None}},
}


def _where(folder, path):
    return f"{folder}/{path.name}" if folder else path.name


# English fingerprints: what a translation translates --------------------------------------


def course_english(course):
    return [course.title, course.summary, course.description]


def glossary_english(course, terms):
    return [course.glossary_intro, [[t.slug, t.term, t.definition] for t in terms]]


def module_english(module):
    return [module.title, module.summary]


def lesson_english(lesson, questions):
    """`questions`: [(question, [choices])] in order."""
    return [
        [getattr(lesson, name) for name in ("title", "summary", "body", "key_points")],
        [getattr(lesson, name) for name in ("practice", "reflection_prompt")],
        [getattr(lesson, name) for name in AGE_EXAMPLE_FIELDS.values()],
        [[q.text, [[c.text, c.feedback] for c in choices]] for q, choices in questions],
    ]


def lesson_questions(lesson):
    """[(question, [choices])] of a lesson in order, in two queries."""
    return [
        (question, list(question.choices.all()))
        for question in lesson.questions.order_by("position", "id").prefetch_related("choices")
    ]


def lesson_status(lesson, language, questions):
    """MISSING, OUT_OF_DATE or CURRENT: the lesson's translation into `language`."""
    if not lesson.translation(language):
        return MISSING
    english = lesson.translation_source(language).get("english")
    return (
        CURRENT
        if english == english_fingerprint(lesson_english(lesson, questions))
        else OUT_OF_DATE
    )


# Loading --------------------------------------------------------------------------------------


def _keep(obj, language, values, source=None):
    """Set a row's translation; returns whether it changed (the caller saves)."""
    before = obj.translation(language)
    obj.set_translation(language, values, **(source or {}))
    return obj.translation(language) != before


def load_course_translations(course, english_file, folder=""):
    """Load course.<language>.md files; returns the languages that changed."""
    changed = []
    for language, path in translation_files(english_file):
        file = TranslationFile(
            english=english_file, path=path, where=_where(folder, path), allowed=COURSE_TEXT
        )
        values = {
            "title": file.text("title", required=True),
            "summary": file.text("summary"),
            "description": file.body,
        }
        previous = course.translation(language)
        values.update(
            {key: previous[key] for key in ("glossary_intro", "glossary_source") if key in previous}
        )
        if _keep(course, language, values, file.source(course_english(course))):
            changed.append(language)
    if changed:
        course.save(update_fields=["translations"])
    return changed


def load_glossary_translations(course, english_file):
    """Load glossary.<language>.md files (terms matched by slug, in the same order)."""
    terms = list(course.glossary_terms.order_by("position", "id"))
    changed = []
    for language, path in translation_files(english_file):
        file = TranslationFile(
            english=english_file, path=path, where=path.name, allowed=GLOSSARY_TEXT
        )
        items = file.items("terms", len(terms), gettext("terms"))
        for term, item in zip(terms, items, strict=True):
            if str(item.get("slug") or "") != term.slug:
                raise ValidationError(
                    gettext("%(file)s: the term '%(found)s' is where the English has '%(slug)s'")
                    % {"file": path.name, "found": item.get("slug"), "slug": term.slug}
                )
            forms = item.get("forms")
            forms = [forms] if isinstance(forms, str) else forms or []
            values = {
                "term": str(item.get("term") or "").strip(),
                "forms": "\n".join(" ".join(str(f).split()).lower() for f in forms if f),
                "definition": str(item.get("definition") or "").strip(),
            }
            if not values["term"] or not values["definition"] or not values["forms"]:
                raise ValidationError(
                    gettext("%(file)s: the term '%(slug)s' needs a term, forms and a definition")
                    % {"file": path.name, "slug": term.slug}
                )
            if _keep(term, language, values):
                term.save(update_fields=["translations"])
                changed.append(language)
        source = file.source(glossary_english(course, terms))
        previous = course.translation(language).get("glossary_source") or {}
        if source["english"] and previous.get("english") == source["english"]:
            source = previous
        values = {
            **course.translation(language),
            "glossary_intro": file.body,
            "glossary_source": source,
        }
        if values != course.translation(language):
            course.translations = {**course.translations, language: values}
            course.save(update_fields=["translations"])
            changed.append(language)
    return sorted(set(changed))


def load_module_translations(module, english_file, folder):
    changed = []
    for language, path in translation_files(english_file):
        file = TranslationFile(
            english=english_file, path=path, where=_where(folder, path), allowed=MODULE_TEXT
        )
        values = {"title": file.text("title", required=True), "summary": file.text("summary")}
        if _keep(module, language, values, file.source(module_english(module))):
            changed.append(language)
    if changed:
        module.save(update_fields=["translations"])
    return changed


def _age_examples(file, lesson):
    examples = file.meta.get("age_examples") or {}
    if not isinstance(examples, dict):
        raise ValidationError(
            gettext("%(file)s: age_examples must map each age to its example")
            % {"file": file.where}
        )
    values = {}
    for age, name in AGE_EXAMPLE_FIELDS.items():
        text = examples.get(age.value)
        if bool(text) != bool(getattr(lesson, name)):
            raise ValidationError(
                gettext("%(file)s: age_examples must have the same ages as the English")
                % {"file": file.where}
            )
        values[name] = str(text or "").strip()
    return values


def _lesson_values(file, lesson, questions):
    """The lesson's own translated texts and [(question texts, [choice texts])], checked."""
    points = file.lines("key_points", len(lesson.key_points.splitlines()))
    values = {
        "title": file.text("title", required=True),
        "summary": file.text("summary"),
        "body": file.body,
        "key_points": "\n".join(points or []),
        "practice": file.text("practice"),
        "reflection_prompt": file.text("reflection_prompt"),
        **_age_examples(file, lesson),
    }
    found = []
    items = file.items("questions", len(questions), gettext("questions"))
    for number, (item, (_question, choices)) in enumerate(
        zip(items, questions, strict=True), start=1
    ):
        where = gettext("%(file)s: question %(number)d") % {"file": file.where, "number": number}
        if not str(item.get("text") or "").strip():
            raise ValidationError(gettext("%(where)s needs a text") % {"where": where})
        translated = item.get("choices") or []
        if not isinstance(translated, list) or len(translated) != len(choices):
            raise ValidationError(
                gettext("%(where)s: %(found)d choices; the English has %(count)d")
                % {"where": where, "found": len(translated), "count": len(choices)}
            )
        if not all(isinstance(c, dict) and str(c.get("text") or "").strip() for c in translated):
            raise ValidationError(
                gettext("%(where)s: every choice needs a text") % {"where": where}
            )
        found.append(
            (
                {"text": str(item["text"]).strip()},
                [
                    {
                        "text": str(c["text"]).strip(),
                        "feedback": str(c.get("feedback") or "").strip(),
                    }
                    for c in translated
                ],
            )
        )
    return values, found


def load_lesson_translations(lesson, english_file, folder, *, user=None, note=""):
    """Load the lesson's NAME.<language>.md files; returns the languages that changed."""
    files = translation_files(english_file)
    if not files:
        return []
    questions = lesson_questions(lesson)
    english = lesson_english(lesson, questions)
    changed = []
    for language, path in files:
        file = TranslationFile(
            english=english_file, path=path, where=_where(folder, path), allowed=LESSON_TEXT
        )
        values, found = _lesson_values(file, lesson, questions)
        touched = _keep(lesson, language, values, file.source(english))
        for (question, choices), (question_values, choice_values) in zip(
            questions, found, strict=True
        ):
            if _keep(question, language, question_values):
                type(question).objects.filter(pk=question.pk).update(
                    translations=question.translations
                )
                touched = True
            for choice, values in zip(choices, choice_values, strict=True):
                if _keep(choice, language, values):
                    type(choice).objects.filter(pk=choice.pk).update(
                        translations=choice.translations
                    )
                    touched = True
        if touched:
            changed.append(language)
    if changed:
        lesson.save(update_fields=["translations"], edited_by=user, version_note=note)
    return changed


# Writing --------------------------------------------------------------------------------------


def _source(obj, language, english_values, english_text, key="source"):
    """translated_from for an exported translation (see the module's docstring)."""
    source = obj.translation(language).get(key) or {}
    if source.get("english") and source["english"] == english_fingerprint(english_values):
        return git_blob_hash(english_text)
    return source.get("translated_from") or UNKNOWN_SOURCE


def translated_files(relative, english_text, obj, english_values, write, key="source"):
    """
    (path, text) of each translation of one English file. `write(language, translation)`
    gives (meta, body) of the translation, or None when there is none.
    """
    for language in sorted(obj.translations or {}):
        written = write(language, obj.translation(language))
        if written is None:
            continue
        meta, body = written
        source = _source(obj, language, english_values, english_text, key)
        yield str(translation_path(relative, language)), ({SOURCE_KEY: source, **meta}, body)


def course_translation(language, values):
    if not values.get("title"):
        return None
    return {"title": values["title"], "summary": values.get("summary", "")}, values.get(
        "description", ""
    )


def glossary_translation(terms):
    def write(language, values):
        translated = [term.translation(language) for term in terms]
        if not any(translated) and not values.get("glossary_intro"):
            return None
        meta = {
            "terms": [
                {
                    "slug": term.slug,
                    "term": term.tr("term", language),
                    "forms": term.tr("forms", language).split("\n"),
                    "definition": term.tr("definition", language),
                }
                for term in terms
            ]
        }
        return meta, values.get("glossary_intro", "")

    return write


def module_translation(language, values):
    if not values.get("title"):
        return None
    return {"title": values["title"], "summary": values.get("summary", "")}, ""


def lesson_translation(lesson, questions):
    def write(language, values):
        if not values.get("title"):
            return None
        meta = {
            "title": values["title"],
            "summary": values.get("summary", ""),
            "key_points": [p for p in values.get("key_points", "").split("\n") if p],
            "practice": values.get("practice", ""),
            "reflection_prompt": values.get("reflection_prompt", ""),
            "age_examples": {
                age.value: values.get(name) or getattr(lesson, name)
                for age, name in AGE_EXAMPLE_FIELDS.items()
                if getattr(lesson, name)
            },
            "questions": [
                {
                    "text": question.tr("text", language),
                    "choices": [
                        {"text": c.tr("text", language), "feedback": c.tr("feedback", language)}
                        for c in choices
                    ],
                }
                for question, choices in questions
            ],
        }
        for key in ("age_examples", "key_points", "questions"):
            if not meta[key]:
                del meta[key]
        return meta, values.get("body", "")

    return write


def lesson_statuses(lessons, languages):
    """{lesson pk: {language: status}} for lessons read with their questions and choices."""
    return {
        lesson.pk: {
            language: lesson_status(
                lesson,
                language,
                [(q, list(q.choices.all())) for q in lesson.questions.all()],
            )
            for language in languages
        }
        for lesson in lessons
    }
