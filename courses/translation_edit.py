"""
Saving one language's text of a lesson, module or course as an admin wrote it (the forms are in
courses/admin/translation_forms.py; files go through courses/loader_translations.py).

A saved translation records the fingerprint of the English it was written beside, so it counts
as up to date until the English changes. A lesson's translation is kept as a LessonVersion in
its language, like an English edit.
"""

from django.db import transaction
from django.utils.translation import gettext_noop

from courses.glossary import GlossaryTerm
from courses.loader_translations import (
    course_english,
    glossary_english,
    lesson_english,
    module_english,
)
from courses.models import Choice, Question
from courses.translation import CURRENT, MISSING, OUT_OF_DATE, english_fingerprint

# Kept with each version in the site's language; the versions page shows it translated.
NOTE_TRANSLATED_IN_ADMIN = gettext_noop("Translation edited in the admin")

# A course's translation also holds its glossary's introduction and source, edited elsewhere.
COURSE_KEPT = ("glossary_intro", "glossary_source")


def translation_status(obj, language, english_values):
    """MISSING, OUT_OF_DATE or CURRENT: whether obj's `language` text translates this English."""
    if not obj.translation(language):
        return MISSING
    if obj.translation_source(language).get("english") == english_fingerprint(english_values):
        return CURRENT
    return OUT_OF_DATE


def _set(obj, language, values):
    """Keep `values` as obj's text in `language` (no source); returns whether it changed."""
    before = obj.translation(language)
    obj.set_translation(language, values)
    return obj.translation(language) != before


@transaction.atomic
def lesson_translation_save(*, lesson, questions, language, values, question_values, user, note):
    """
    Save a lesson's text in `language`. `questions` are [(question, [choices])] as the form
    showed them; `question_values` [({"text"}, [{"text", "feedback"}])] in the same order.
    Returns whether anything changed.
    """
    fingerprint = english_fingerprint(lesson_english(lesson, questions))
    before = lesson.translation(language)
    lesson.set_translation(language, values, english=fingerprint)
    changed_questions, changed_choices = [], []
    for (question, choices), (texts, choice_texts) in zip(questions, question_values, strict=True):
        if _set(question, language, texts):
            changed_questions.append(question)
        changed_choices += [
            choice
            for choice, choice_values in zip(choices, choice_texts, strict=True)
            if _set(choice, language, choice_values)
        ]
    # One write per kind of row, however many questions the lesson has.
    if changed_questions:
        Question.objects.bulk_update(changed_questions, ["translations"])
    if changed_choices:
        Choice.objects.bulk_update(changed_choices, ["translations"])
    changed = lesson.translation(language) != before or bool(changed_questions or changed_choices)
    if changed:
        lesson.save(
            update_fields=["translations"],
            edited_by=user,
            version_note=note or NOTE_TRANSLATED_IN_ADMIN,
        )
    return changed


def module_translation_save(*, module, language, values):
    """Save a module's title and summary in `language`; returns whether they changed."""
    before = module.translation(language)
    module.set_translation(language, values, english=english_fingerprint(module_english(module)))
    if module.translation(language) == before:
        return False
    module.save(update_fields=["translations"])
    return True


def course_translation_save(*, course, language, values):
    """Save a course's title, summary and description in `language` (its glossary stays)."""
    before = course.translation(language)
    kept = {key: before[key] for key in COURSE_KEPT if key in before}
    course.set_translation(
        language, {**kept, **values}, english=english_fingerprint(course_english(course))
    )
    if course.translation(language) == before:
        return False
    course.save(update_fields=["translations"])
    return True


def glossary_translation_status(course, language, terms):
    """MISSING, OUT_OF_DATE or CURRENT, for the course's glossary in `language`."""
    translated = course.translation(language)
    if not translated.get("glossary_intro") and not any(t.translation(language) for t in terms):
        return MISSING
    source = translated.get("glossary_source") or {}
    if source.get("english") == english_fingerprint(glossary_english(course, terms)):
        return CURRENT
    return OUT_OF_DATE


@transaction.atomic
def glossary_translation_save(*, course, terms, language, intro, term_values):
    """
    Save a course's glossary in `language`: its introduction and each of `terms` (in the
    order of `term_values`, [{"term", "forms", "definition"}]). The course keeps the
    fingerprint of the English glossary it translates, as a glossary file does. Returns
    whether anything changed.
    """
    changed_terms = [
        term
        for term, values in zip(terms, term_values, strict=True)
        if _set(term, language, values)
    ]
    if changed_terms:
        GlossaryTerm.objects.bulk_update(changed_terms, ["translations"])
    fingerprint = english_fingerprint(glossary_english(course, terms))
    before = course.translation(language)
    source = before.get("glossary_source") or {}
    if source.get("english") != fingerprint:
        source = {"english": fingerprint, "translated_from": ""}
    after = {**before, "glossary_intro": intro, "glossary_source": source}
    if after != before:
        course.translations = {**(course.translations or {}), language: after}
        course.save(update_fields=["translations"])
    return bool(changed_terms) or after != before
