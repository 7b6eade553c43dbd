"""
The Spanish check-in and session guides, read straight from the Markdown files (not through the
loader): `checkin.es.md` beside `checkin.md` and `NN-module/guide.es.md` beside each `guide.md`,
carrying the same texts and nothing else, saying which version of the English they translate,
and as plain to read as the English.

A translation repeats only the text. What is not text always comes from the English file: the
statement and theme keys are repeated only to say which text is which, and a statement's
`reverse` or the check-in's `follow_up_weeks` are never repeated, so a translation cannot turn a
reverse-scored statement around or move the follow-up.
"""

import hashlib
import re
from functools import cache
from pathlib import Path

import frontmatter
import pyphen
import pytest
import textstat

from tests.test_content_quality import MIN_READING_EASE, readable_text, reading_ease

REPO = Path(__file__).resolve().parent.parent
COURSE_DIR = REPO / "courses" / "content" / "circle-of-security"
SUFFIX = ".es.md"
VERSION_KEY = "translated_from"

CHECKIN_TEXT_KEYS = {"title", "about", "scale", "themes"}
GUIDE_TEXT_KEYS = {"agenda", "discussion_questions", "pause_and_reflect"}
# Settings, not text: they stay in the English file only.
NOT_TEXT_KEYS = {"reverse", "follow_up_weeks", "published"}
# The check-in's database fields and their lengths (outcomes/models.py).
MAX_LENGTHS = {"title": 200, "about": 300, "theme title": 200, "statement": 300}
# Words that shame a parent or a child (the same list as the lessons' Spanish test).
SHAMING_WORDS = ("fracas", "fallar como", "fallaste como", "atrasad", "vencid", "suspend")


# Reading the files ----------------------------------------------------------------------------


def english_paths():
    return [COURSE_DIR / "checkin.md", *sorted(COURSE_DIR.glob("*/guide.md"))]


def spanish_path_of(english):
    return english.with_name(english.name.removesuffix(".md") + SUFFIX)


def name(path):
    return str(path.relative_to(COURSE_DIR))


def is_checkin(path):
    return path.name.startswith("checkin.")


@cache
def read(path):
    post = frontmatter.load(path)
    return post.metadata, post.content


def existing_spanish(english):
    spanish = spanish_path_of(english)
    if not spanish.is_file():
        pytest.skip(f"{name(spanish)} does not exist (reported by the first test)")
    return spanish


def git_blob_hash(path):
    """What `git hash-object` prints for the file, computed here so the test needs no git."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 (git's id)


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def keys_in(value):
    if isinstance(value, dict):
        yield from value
        for item in value.values():
            yield from keys_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_in(item)


def paragraphs(body):
    return [part for part in re.split(r"\n\s*\n", body.strip()) if part.strip()]


# Every file translated, with the same texts ---------------------------------------------------


def test_the_check_in_and_every_session_guide_has_its_spanish_translation_beside_it():
    assert len(english_paths()) == 1 + len(list(COURSE_DIR.glob("*/module.md")))
    missing = [name(path) for path in english_paths() if not spanish_path_of(path).is_file()]
    assert not missing, "No Spanish translation (NAME.es.md) for:\n" + "\n".join(missing)


def test_every_spanish_check_in_or_guide_translates_an_english_file_that_exists():
    spanish = [COURSE_DIR / "checkin.es.md", *COURSE_DIR.glob("*/guide.es.md")]
    orphans = [
        name(path)
        for path in spanish
        if path.is_file() and not path.with_name(path.name.replace(SUFFIX, ".md")).is_file()
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


def test_the_version_check_uses_git_s_own_object_id(tmp_path):
    sample = tmp_path / "sample.md"
    sample.write_bytes(b"hello\n")
    assert git_blob_hash(sample) == "ce013625030ba8dba906f756967f9e9ca394464a"


@pytest.mark.parametrize("english", english_paths(), ids=name)
def test_a_translation_repeats_no_setting_of_the_english_file(english):
    repeated = set(keys_in(read(existing_spanish(english))[0])) & NOT_TEXT_KEYS
    assert not repeated, f"{name(english)}: {sorted(repeated)} come from the English file only"


@pytest.mark.parametrize("english", english_paths(), ids=name)
def test_a_translation_has_the_english_file_s_texts_and_nothing_else(english):
    spanish = existing_spanish(english)
    english_meta, english_body = read(english)
    spanish_meta, spanish_body = read(spanish)
    text_keys = CHECKIN_TEXT_KEYS if is_checkin(english) else GUIDE_TEXT_KEYS
    expected = (set(english_meta) & text_keys) | {VERSION_KEY}
    assert set(spanish_meta) == expected, (name(spanish), sorted(spanish_meta))
    assert bool(spanish_body.strip()) == bool(english_body.strip()), name(spanish)
    assert len(paragraphs(spanish_body)) == len(paragraphs(english_body)), name(spanish)
    for key in expected - {VERSION_KEY, "themes"}:
        assert type(spanish_meta[key]) is type(english_meta[key]), (name(spanish), key)
        if isinstance(english_meta[key], list):
            assert len(spanish_meta[key]) == len(english_meta[key]), (name(spanish), key)
        assert all(str(text).strip() for text in strings_in(spanish_meta[key])), key


@pytest.mark.parametrize("english", english_paths()[1:], ids=name)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_step_and_question_of_a_guide_is_one_line_of_text(english, language):
    # An unquoted "Step: detail" in YAML is read as a mapping, and the guide page showed the
    # mapping's Python form ({'Go round the group': "each parent..."}): quote such lines.
    meta = read(english if language == "en" else existing_spanish(english))[0]
    items = [*meta["agenda"], *meta["discussion_questions"]]
    assert all(isinstance(item, str) for item in items), [i for i in items if type(i) is not str]
    assert isinstance(meta["pause_and_reflect"], str)


def test_the_spanish_check_in_has_the_same_themes_and_statements_in_the_same_order():
    english = read(COURSE_DIR / "checkin.md")[0]["themes"]
    spanish = read(existing_spanish(COURSE_DIR / "checkin.md"))[0]["themes"]
    assert [theme.get("key") for theme in spanish] == [theme["key"] for theme in english]
    for theme, original in zip(spanish, english, strict=True):
        assert set(theme) == {"key", "title", "statements"}, theme["key"]
        assert str(theme["title"]).strip(), theme["key"]
        assert [item.get("key") for item in theme["statements"]] == [
            item["key"] for item in original["statements"]
        ], theme["key"]
        for item in theme["statements"]:
            assert set(item) == {"key", "text"}, item["key"]
            assert str(item["text"]).strip(), item["key"]


def test_the_spanish_check_in_fits_the_check_in_s_fields():
    meta = read(existing_spanish(COURSE_DIR / "checkin.md"))[0]
    lengths = {
        "title": [meta["title"]],
        "about": [meta["about"]],
        "theme title": [theme["title"] for theme in meta["themes"]],
        "statement": [item["text"] for theme in meta["themes"] for item in theme["statements"]],
    }
    too_long = [
        (field, text)
        for field, texts in lengths.items()
        for text in texts
        if len(str(text).strip()) > MAX_LENGTHS[field]
    ]
    assert not too_long


def test_the_spanish_check_in_says_it_is_a_reflection_aid_and_not_a_clinical_measure():
    about = " ".join(read(existing_spanish(COURSE_DIR / "checkin.md"))[0]["about"].split())
    assert "ayuda para reflexionar" in about.lower()
    assert "no es una medida clínica validada" in about.lower()


def test_the_spanish_check_in_scale_runs_from_least_to_most_like_me():
    scale = read(existing_spanish(COURSE_DIR / "checkin.md"))[0]["scale"]
    assert "nada" in scale[0].lower() and "mucho" in scale[-1].lower()
    assert len(set(scale)) == len(scale)


@pytest.mark.parametrize("english", english_paths()[1:], ids=name)
def test_each_step_of_a_spanish_agenda_keeps_its_minutes(english):
    def minutes(steps, word):
        return [re.findall(rf"\((\d+) {word}\)", step) for step in steps]

    spanish = read(existing_spanish(english))[0]["agenda"]
    assert minutes(spanish, "minutos") == minutes(read(english)[0]["agenda"], "minutes")


def shaming_words_in(english_files):
    """Each shaming word in the Spanish beside these English files, with where it is."""
    return [
        f"{name(spanish)}: '{word}' in '{text[:80]}'"
        for english in english_files
        if (spanish := spanish_path_of(english)).is_file()
        for text in [*strings_in(read(spanish)[0]), read(spanish)[1]]
        for word in SHAMING_WORDS
        if word in text.lower()
    ]


def test_no_spanish_check_in_or_guide_uses_a_shaming_word():
    found = shaming_words_in(english_paths())
    assert not found, "\n".join(found)


# Readability ----------------------------------------------------------------------------------


@cache
def hyphenator():
    # Break a syllable even after a single letter ("a-mi-go"): the dictionary's default keeps
    # two letters at each end of a word for typesetting, which would undercount syllables.
    return pyphen.Pyphen(lang="es", left=1, right=1)


def syllables(word):
    letters = re.sub(r"[\W\d_]", "", word.lower())
    return len(hyphenator().positions(letters)) + 1 if letters else 0


def fernandez_huerta(markdown):
    """
    Fernández-Huerta's reading ease, 206.84 - 60 * syllables per word - 1.02 * words per
    sentence: like Flesch's, higher is easier and 60 to 70 is plain. Words and sentences are
    counted as the English test counts them, on the same readable text; syllables come from
    pyphen's Spanish hyphenation patterns. (The same measure as the lessons' Spanish test.)
    """
    text = readable_text(markdown)
    word_count = textstat.lexicon_count(text)
    sentence_count = textstat.sentence_count(text)
    syllable_count = sum(syllables(word) for word in text.split())
    return 206.84 - 60 * syllable_count / word_count - 1.02 * word_count / sentence_count


def test_the_spanish_reading_ease_tells_plain_words_from_hard_ones():
    plain = "Tu hija corre hacia ti. La coges en brazos. Se siente segura otra vez."
    hard = (
        "Las intervenciones psicoterapéuticas orientadas al apego demuestran una considerable "
        "efectividad respecto a la transmisión intergeneracional de representaciones relacionales."
    )
    assert fernandez_huerta(plain) >= 80 > MIN_READING_EASE > fernandez_huerta(hard)
    assert [syllables(word) for word in ["casa", "cuidado", "exploración", "30%"]] == [2, 3, 4, 0]


def assert_easy_to_read(english, spanish):
    """The Spanish at least as plain to read as the English must be, or say both scores."""
    score = fernandez_huerta(read(spanish)[1])
    assert score >= MIN_READING_EASE, (
        f"{name(spanish)}: Fernández-Huerta {score:.1f} "
        f"(the English: Flesch {reading_ease(read(english)[1]):.1f})"
    )


@pytest.mark.parametrize("english", english_paths(), ids=name)
def test_the_spanish_check_in_introduction_and_guide_notes_are_easy_to_read(english):
    assert_easy_to_read(english, existing_spanish(english))


def test_the_reading_ease_of_each_file_in_both_languages(capsys):
    """A table to read with `pytest -rP` (or -s): each Spanish score beside the English one."""
    rows = [
        f"{name(spanish):40} {fernandez_huerta(read(spanish)[1]):5.1f}  "
        f"{reading_ease(read(english)[1]):5.1f}"
        for english in english_paths()
        if (spanish := spanish_path_of(english)).is_file()
    ]
    print(f"{'file':40} {'F-H':>5}  {'Flesch':>5}", *rows, sep="\n")
    assert rows
