"""
The first course in Spanish, read straight from the Markdown files (not through the loader):
`NN-lesson.es.md` beside each lesson, `module.es.md`, `course.es.md` and `glossary.es.md`,
carrying the same texts and nothing else, saying which version of the English they translate,
as plain to read as the English and kind in the same way.

A translation repeats only the text. Whatever is not text (a lesson's slug, its place on the
circle, its minutes, which choice is right) comes from the English file alone, so a translation
can never move the right answer or take a lesson off the circle. Questions and choices match the
English by position, glossary terms by slug.
"""

import re

import pytest

from tests.test_content_quality import lesson_paths, reading_ease
from tests.test_content_spanish_outcomes import (
    COURSE_DIR,
    SUFFIX,
    VERSION_KEY,
    assert_easy_to_read,
    fernandez_huerta,
    git_blob_hash,
    keys_in,
    name,
    paragraphs,
    read,
    shaming_words_in,
    spanish_path_of,
    strings_in,
)

LESSON_TEXT_KEYS = {
    "title", "summary", "key_points", "practice", "reflection_prompt", "age_examples", "questions",
}  # fmt: skip
TITLE_KEYS = {"title", "summary"}
GLOSSARY_TEXT_KEYS = {"terms"}
# Settings, not text: they stay in the English file only.
NOT_TEXT_KEYS = {
    "circle_place", "circle_needs", "principle", "minutes", "correct", "published", "position",
}  # fmt: skip
# The database fields the texts go into, and their lengths (courses/models.py).
MAX_LENGTHS = {"title": 200, "summary": 300, "choice": 500}


def english_paths():
    return [
        COURSE_DIR / "course.md",
        COURSE_DIR / "glossary.md",
        *sorted(COURSE_DIR.glob("*/module.md")),
        *lesson_paths(),
    ]


def text_keys(english):
    if english.name == "glossary.md":
        return GLOSSARY_TEXT_KEYS
    if english.name in ("course.md", "module.md"):
        return TITLE_KEYS
    return LESSON_TEXT_KEYS


def existing_spanish(english):
    spanish = spanish_path_of(english)
    if not spanish.is_file():
        pytest.skip(f"{name(spanish)} does not exist (reported by the first test)")
    return spanish


# Every file translated, with the same texts ---------------------------------------------------


def test_every_lesson_module_the_course_and_the_glossary_has_its_spanish_beside_it():
    assert len(english_paths()) > 20
    missing = [name(path) for path in english_paths() if not spanish_path_of(path).is_file()]
    assert not missing, "No Spanish translation (NAME.es.md) for:\n" + "\n".join(missing)


def test_every_spanish_file_translates_an_english_file_that_exists():
    orphans = [
        name(path)
        for path in COURSE_DIR.rglob(f"*{SUFFIX}")
        if not path.with_name(path.name.replace(SUFFIX, ".md")).is_file()
    ]
    assert not orphans


@pytest.mark.parametrize("english", english_paths(), ids=name)
def test_a_translation_says_which_version_of_the_english_it_translates(english):
    spanish = existing_spanish(english)
    recorded = str(read(spanish)[0].get(VERSION_KEY) or "")
    assert recorded == git_blob_hash(english), (
        f"{name(spanish)} may be out of date: it was translated from another version of "
        f"{name(english)} ({VERSION_KEY}: {recorded or 'missing'}; the English file is now "
        f"{git_blob_hash(english)}). Bring the translation up to date, then set {VERSION_KEY} "
        f"to the output of `git hash-object {name(english)}`."
    )


@pytest.mark.parametrize("english", english_paths(), ids=name)
def test_a_translation_repeats_no_setting_of_the_english_file(english):
    meta = read(existing_spanish(english))[0]
    repeated = (set(keys_in(meta)) & NOT_TEXT_KEYS) | ({"slug"} & set(meta))
    assert not repeated, f"{name(english)}: {sorted(repeated)} come from the English file only"


@pytest.mark.parametrize("english", english_paths(), ids=name)
def test_a_translation_has_the_english_file_s_texts_and_nothing_else(english):
    spanish = existing_spanish(english)
    english_meta, english_body = read(english)
    spanish_meta, spanish_body = read(spanish)
    expected = (set(english_meta) & text_keys(english)) | {VERSION_KEY}
    assert set(spanish_meta) == expected, (name(spanish), sorted(spanish_meta))
    assert bool(spanish_body.strip()) == bool(english_body.strip()), name(spanish)
    assert len(paragraphs(spanish_body)) == len(paragraphs(english_body)), name(spanish)
    for key in expected - {VERSION_KEY}:
        assert type(spanish_meta[key]) is type(english_meta[key]), (name(spanish), key)
        if isinstance(english_meta[key], (list, dict)):
            assert len(spanish_meta[key]) == len(english_meta[key]), (name(spanish), key)
        assert all(str(text).strip() for text in strings_in(spanish_meta[key])), key


@pytest.mark.parametrize("english", lesson_paths(), ids=name)
def test_a_spanish_lesson_has_the_same_examples_questions_and_choices_in_the_same_order(english):
    english_meta = read(english)[0]
    spanish_meta = read(existing_spanish(english))[0]
    ages = set(english_meta.get("age_examples") or {})
    assert set(spanish_meta.get("age_examples") or {}) == ages
    english_questions = english_meta.get("questions") or []
    spanish_questions = spanish_meta.get("questions") or []
    assert len(spanish_questions) == len(english_questions)
    for number, (question, original) in enumerate(
        zip(spanish_questions, english_questions, strict=True), 1
    ):
        where = f"{name(english)} question {number}"
        assert set(question) == {"text", "choices"}, where
        assert len(question["choices"]) == len(original["choices"]), where
        for choice in question["choices"]:
            assert set(choice) == {"text", "feedback"}, where
            assert str(choice["text"]).strip() and str(choice["feedback"]).strip(), where
            assert len(str(choice["text"]).strip()) <= MAX_LENGTHS["choice"], where


@pytest.mark.parametrize("english", english_paths(), ids=name)
def test_a_spanish_title_and_summary_fit_their_fields(english):
    meta = read(existing_spanish(english))[0]
    for field in TITLE_KEYS & set(meta):
        assert len(" ".join(str(meta[field]).split())) <= MAX_LENGTHS[field], (name(english), field)


def test_the_spanish_glossary_has_the_same_terms_in_the_same_order_each_with_its_forms():
    english = read(COURSE_DIR / "glossary.md")[0]["terms"]
    spanish = read(existing_spanish(COURSE_DIR / "glossary.md"))[0]["terms"]
    assert [term.get("slug") for term in spanish] == [term["slug"] for term in english]
    for term in spanish:
        assert set(term) == {"slug", "term", "forms", "definition"}, term["slug"]
        assert isinstance(term["forms"], list) and term["forms"], term["slug"]
        assert all(str(form).strip() for form in term["forms"]), term["slug"]
        assert str(term["term"]).strip() and str(term["definition"]).strip(), term["slug"]


def lesson_bodies(suffix):
    return " ".join(
        read(path.with_name(path.stem + suffix))[1].lower()
        for path in lesson_paths()
        if path.with_name(path.stem + suffix).is_file()
    )


def appears(forms, text):
    return any(re.search(rf"(?<!\w){re.escape(str(f).lower())}(?!\w)", text) for f in forms)


def test_a_glossary_word_the_english_lessons_use_is_found_in_the_spanish_lessons_too():
    """Otherwise the Spanish lessons would lose the link to the word's meaning."""
    english_text, spanish_text = lesson_bodies(".md"), lesson_bodies(SUFFIX)
    spanish_terms = {
        term["slug"]: term["forms"]
        for term in read(existing_spanish(COURSE_DIR / "glossary.md"))[0]["terms"]
    }
    lost = [
        term["slug"]
        for term in read(COURSE_DIR / "glossary.md")[0]["terms"]
        if appears(term["forms"], english_text)
        and not appears(spanish_terms.get(term["slug"], []), spanish_text)
    ]
    assert not lost, (
        f"No Spanish lesson uses these glossary words as the glossary writes them: {lost}"
    )


def test_no_spanish_lesson_module_or_course_uses_a_shaming_word():
    found = shaming_words_in(english_paths())
    assert not found, "\n".join(found)


# Readability ----------------------------------------------------------------------------------


@pytest.mark.parametrize("english", lesson_paths(), ids=name)
def test_every_spanish_lesson_is_easy_to_read(english):
    assert_easy_to_read(english, existing_spanish(english))


def test_the_reading_ease_of_each_lesson_in_both_languages(capsys):
    """A table to read with `pytest -rP` (or -s): each Spanish score beside the English one."""
    rows = [
        f"{name(spanish):60} {fernandez_huerta(read(spanish)[1]):5.1f}  "
        f"{reading_ease(read(english)[1]):5.1f}"
        for english in lesson_paths()
        if (spanish := spanish_path_of(english)).is_file()
    ]
    print(f"{'lesson':60} {'F-H':>5}  {'Flesch':>5}", *rows, sep="\n")
    assert rows or not any(spanish_path_of(path).is_file() for path in lesson_paths())
