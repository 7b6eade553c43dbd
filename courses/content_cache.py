"""
Course content that every parent sees the same way, kept in each worker's memory: a course's
published lessons in order (for outlines and the lesson page's previous/next), a lesson's
questions with their choices, and the course's glossary with the lesson bodies that link to it.
A page then reads only the parent's own records.

The glossary and the linked bodies are kept once per language (courses/translation.py): a lesson
without a translation is linked in English, with the glossary's words in the page's language.

Keys carry the course's `content_version`, which every content change raises in the same
transaction (courses/content_version.py). The pages read the course row anyway (the
lesson page through the lesson's select_related, the course page by its slug), so checking the
version costs no query, and a worker never uses a list older than the course row it has just
read. Old versions are simply never asked for again; the cache drops them when it is full.
"""

import json

from django.core.cache import caches
from django.db.models import F, OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse

from courses.glossary import (
    Glossary,
    GlossaryEntry,
    GlossaryTerm,
    forms_normalise,
    glossary_link,
)
from courses.lesson_fields import AGE_EXAMPLE_FIELDS
from courses.markdown import render_markdown
from courses.models import Choice, Lesson
from courses.translation import (
    ENGLISH_LANG,
    content_languages,
    current_language,
    default_language,
)

# What the outlines read of a translation; the rest (bodies...) stays out of the cached outline.
OUTLINE_TRANSLATED = ("title", "summary")

# Heavy text the outlines never show; the glossary pass reads the body through an annotation.
OUTLINE_DEFERS = (
    "body", "body_html", "practice", "reflection_prompt", "key_points",
    *AGE_EXAMPLE_FIELDS.values(),
)  # fmt: skip


def _key(kind, course, *rest):
    return ":".join(str(part) for part in (kind, course.pk, course.content_version, *rest))


# Between two terms in _glossary_terms: JSON escapes control characters inside its strings.
TERM_SEPARATOR = "\x1e"


def _glossary_terms():
    """
    The lesson's course's glossary terms as JSON texts, read in the same query as the lessons,
    so a glossary costs the lesson page no query of its own. Every lesson row carries the same
    few kilobytes; that is read once per worker and content version.
    """
    as_json = JSONObject(
        id="id",
        slug="slug",
        term="term",
        forms="forms",
        definition="definition",
        position="position",
        translations="translations",
    )
    return Subquery(
        GlossaryTerm.objects.filter(course=OuterRef("module__course"))
        .order_by()
        .values("course")
        .annotate(terms=StringAgg(Cast(as_json, TextField()), delimiter=Value(TERM_SEPARATOR)))
        .values("terms")
    )


def _terms_from(terms_json):
    terms = [json.loads(text) for text in (terms_json or "").split(TERM_SEPARATOR) if text]
    terms.sort(key=lambda term: (term["position"], term["id"]))
    return terms


def _entries(terms, language):
    """
    GlossaryEntry of each term (a dict) in `language` ("" for English). A term not translated
    yet is shown in English (lang set); every term keeps its English forms too, so an English
    lesson shown in another language still links its words.
    """
    entries = []
    for term in terms:
        english_forms = forms_normalise(term["forms"].split("\n"))
        translations = term.get("translations") or {}
        if isinstance(translations, str):  # SQLite gives the nested JSON as text
            translations = json.loads(translations)
        translated = translations.get(language) if language else None
        if translated:
            forms = forms_normalise([*translated.get("forms", "").split("\n"), *english_forms])
            entry = GlossaryEntry(
                slug=term["slug"],
                term=translated.get("term") or term["term"],
                definition=translated.get("definition") or term["definition"],
                forms=tuple(forms),
            )
        else:
            entry = GlossaryEntry(
                slug=term["slug"],
                term=term["term"],
                definition=term["definition"],
                forms=tuple(english_forms),
                lang=ENGLISH_LANG if language else "",
            )
        entries.append(entry)
    return entries


def glossary_entries_in(terms, language):
    """GlossaryEntry of each GlossaryTerm in `language` ("" for English), as pages link them."""
    return _entries([_term_dict(term) for term in terms], language)


def _term_dict(term):
    return {
        "slug": term.slug,
        "term": term.term,
        "forms": term.forms,
        "definition": term.definition,
        "translations": term.translations,
    }


def _build(courses):
    """
    Read the courses' published lessons with their bodies and their course's glossary (one
    query), then cache for each course: its lesson list, its glossary, and the linked body of
    every lesson. Returns {course id: lessons}.
    """
    by_pk = {course.pk: course for course in courses}
    lessons = {pk: [] for pk in by_pk}
    for lesson in (
        Lesson.objects.published()
        .filter(module__course_id__in=by_pk)
        .select_related("module__course")
        .defer(*OUTLINE_DEFERS)
        .annotate(body_source=F("body"), glossary_terms=_glossary_terms())
        .in_course_order()
    ):
        lessons[lesson.module.course_id].append(lesson)
    terms = {pk: _terms_from(found[0].glossary_terms) for pk, found in lessons.items() if found}
    # A course without published lessons said nothing about its terms: read them (for the
    # glossary page), in one more query.
    empty = [pk for pk, found in lessons.items() if not found]
    if empty:
        terms.update({pk: [] for pk in empty})
        for term in GlossaryTerm.objects.filter(course_id__in=empty):
            terms[term.course_id].append(_term_dict(term))
    cached = {}
    for pk, course in by_pk.items():
        cached[_key("lessons", course)] = lessons[pk]
        for language in ("", *content_languages()):
            entries = _entries(terms[pk], language)
            glossary, bodies = _glossary_of(course, entries, lessons[pk], language)
            cached[_key("glossary", course, language)] = glossary
            for lesson in lessons[pk]:
                # "" means the stored body_html is right: nothing links from this lesson.
                cached[_key("body", course, lesson.pk, language)] = bodies.get(lesson.pk, "")
    for found in lessons.values():
        for lesson in found:
            # The cached outline stays light.
            del lesson.body_source
            del lesson.glossary_terms
            for row in (lesson, lesson.module.course):
                row.translations = {
                    language: {k: v for k, v in values.items() if k in OUTLINE_TRANSLATED}
                    for language, values in (row.translations or {}).items()
                }
    caches["content"].set_many(cached)
    return lessons


def _glossary_of(course, entries, lessons, language):
    """
    A course's Glossary and {lesson id: linked body HTML} from its entries and lessons, in
    `language` ("" for English).
    """
    intro = course.tr("glossary_intro", language) if language else course.glossary_intro
    intro_html = render_markdown(intro)
    intro_lang = ENGLISH_LANG if language and intro == course.glossary_intro and intro else ""
    if not entries:
        return Glossary(intro_html=intro_html, intro_lang=intro_lang), {}

    def body(lesson):
        translated = lesson.translation(language).get("body") if language else None
        return translated or lesson.body_source

    first_use, bodies = glossary_link(
        entries=entries,
        lessons=[(lesson.pk, body(lesson)) for lesson in lessons],
        url=reverse("courses:glossary", args=[course.slug]),
    )
    # (slug, title, lang): lang is en-GB when the title is the English on a page in `language`.
    slugs = {
        lesson.pk: (
            lesson.slug,
            lesson.tr("title", language or default_language()),
            ENGLISH_LANG if language and lesson.tr_is_english("title", language) else "",
        )
        for lesson in lessons
    }
    first_use = {term: slugs[pk] for term, pk in first_use.items()}
    return Glossary(entries, first_use, intro_html, intro_lang), bodies


def courses_lessons(courses):
    """
    {course id: its published lessons in course order}, with module and course loaded and
    without their bodies: what outlines and the lesson page's previous/next links need. The
    courses not cached yet are read together, in one query.
    """
    cache = caches["content"]
    keys = {course.pk: _key("lessons", course) for course in courses}
    found = cache.get_many(keys.values())
    lessons = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [course for course in courses if course.pk not in lessons]
    if missing:
        lessons.update(_build(missing))
    return lessons


def course_lessons(course):
    """One course's published lessons in course order (see courses_lessons)."""
    return courses_lessons([course])[course.pk]


def course_glossary(course):
    """The course's Glossary: its entries in order and where each is first used."""
    key = _key("glossary", course, current_language() or "")
    glossary = caches["content"].get(key)
    if glossary is None:
        _build([course])
        glossary = caches["content"].get(key, Glossary())
    return glossary


def lesson_body_html(lesson):
    """
    The lesson's body as parents read it: its rendered Markdown with a link on each glossary
    term it is the first to use. `lesson` needs module and course loaded (select_related).
    """
    course = lesson.module.course
    key = _key("body", course, lesson.pk, current_language() or "")
    html = caches["content"].get(key)
    if html is None:
        _build([course])
        html = caches["content"].get(key, "")
    return html or lesson.tr("body_html")


def lesson_choices(lesson):
    """
    The lesson's questions as [(question, [choice, ...]), ...] in order. `lesson` needs its
    module and course loaded (select_related), for the version.
    """
    course = lesson.module.course
    key = _key("questions", course, lesson.pk)
    cache = caches["content"]
    questions = cache.get(key)
    if questions is None:
        by_question = {}
        for choice in (
            Choice.objects.filter(question__lesson=lesson)
            .select_related("question")
            .order_by("question__position", "question_id", "position", "id")
        ):
            by_question.setdefault(choice.question_id, (choice.question, []))[1].append(choice)
        questions = list(by_question.values())
        cache.set(key, questions)
    return questions
