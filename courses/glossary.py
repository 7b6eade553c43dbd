"""
A course's glossary: the words it uses that may be new to a parent, each with a definition, and
the rule that links each word from its first appearance in the course.

The first appearance of a term is the first place, in course order (published lessons only),
where one of its forms stands as a whole word (any case) in running text: not in a heading, not
inside an existing link, not in code. That one place links to the term's entry on the glossary
page; later mentions stay plain, so a lesson does not turn into a sea of links.

Linking works on the Markdown token stream (the parser courses/markdown.py uses), then renders
and sanitises the result like any lesson body. It is done once per course and content version
in the content cache (courses/content_cache.py), never per request.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from markdown_it.token import Token

from courses.content_version import ContentModel, ContentQuerySet
from courses.markdown import markdown_tokens, render_tokens
from courses.translation import Translatable

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def forms_normalise(forms):
    """Forms as they are matched: trimmed, lower case, single spaces, each once, in order."""
    seen = []
    for form in forms:
        form = " ".join(str(form).split()).lower()
        if form and form not in seen:
            seen.append(form)
    return seen


class GlossaryTerm(Translatable, ContentModel):
    """One word of a course's glossary. `forms` are the ways a lesson may write it."""

    TRANSLATED = ("term", "forms", "definition")

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="glossary_terms"
    )
    slug = models.SlugField(help_text=_("The entry's address on the glossary page."))
    term = models.CharField(_("term"), max_length=200)
    forms = models.TextField(
        _("forms"),
        help_text=_(
            "How lessons write it, one per line (for example 'miscue' and 'miscues'). The first "
            "lesson that uses any of them links here."
        ),
    )
    definition = models.TextField(_("definition"))
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="courses_glossary_slug_unique"),
        ]

    def __str__(self):
        return self.term

    @property
    def form_list(self):
        return forms_normalise(self.forms.splitlines())

    def clean(self):
        super().clean()
        if not self.form_list:
            raise ValidationError({"forms": _("Write at least one form of the word.")})

    def save(self, *args, **kwargs):
        self.forms = "\n".join(self.form_list)
        self.definition = self.definition.replace("\r\n", "\n").strip()
        super().save(*args, **kwargs)


def glossary_problems(terms):
    """
    What is wrong with a whole glossary, as sentences: `terms` are (slug, forms) pairs in order.
    Each slug is used once, and each form belongs to one term only, so a word in a lesson can
    link to one entry.
    """
    problems = []
    slugs = {}
    owners = {}
    for slug, forms in terms:
        if slug in slugs:
            problems.append(_("The slug '%(slug)s' is used by two terms.") % {"slug": slug})
        slugs[slug] = True
        for form in forms_normalise(forms):
            owner = owners.setdefault(form, slug)
            if owner != slug:
                problems.append(
                    _("The form '%(form)s' belongs to both '%(first)s' and '%(second)s'.")
                    % {"form": form, "first": owner, "second": slug}
                )
    return problems


TERM_KEYS = ("slug", "term", "forms", "definition")


def glossary_terms_parse(items):
    """
    A glossary file's `terms` as [{slug, term, forms, definition}] ready to save, forms one per
    line. Raises ValidationError naming the term at fault.
    """
    if not isinstance(items, list):
        raise ValidationError(_("missing terms (a list of slug, term, forms and definition)."))
    terms = []
    for number, item in enumerate(items, start=1):
        where = _("term %(number)s") % {"number": number}
        if not isinstance(item, dict):
            raise ValidationError(
                _("%(where)s must have a slug, term, forms and definition.") % {"where": where}
            )
        unknown = sorted(str(key) for key in item if key not in TERM_KEYS)
        if unknown:
            raise ValidationError(
                _("%(where)s has an unknown field '%(field)s'.")
                % {"where": where, "field": unknown[0]}
            )
        slug = str(item.get("slug") or "")
        if not SLUG.fullmatch(slug):
            raise ValidationError(
                _("%(where)s needs a slug of lower-case letters, digits and dashes.")
                % {"where": where}
            )
        where = f"{where} ({slug})"
        for key in ("term", "definition"):
            if not str(item.get(key) or "").strip():
                raise ValidationError(
                    _("%(where)s has no %(field)s.") % {"where": where, "field": key}
                )
        forms = item.get("forms")
        forms = [forms] if isinstance(forms, str) else forms
        if not isinstance(forms, list) or not all(isinstance(form, str) for form in forms):
            raise ValidationError(
                _("%(where)s: forms must be a list of words, such as [miscue, miscues].")
                % {"where": where}
            )
        if not forms_normalise(forms):
            raise ValidationError(
                _("%(where)s has no forms: list how lessons write it, such as [miscue, miscues].")
                % {"where": where}
            )
        terms.append(
            {
                "slug": slug,
                "term": str(item["term"]).strip(),
                "forms": "\n".join(forms_normalise(forms)),
                "definition": str(item["definition"]).strip(),
            }
        )
    problems = glossary_problems([(term["slug"], term["forms"].split("\n")) for term in terms])
    if problems:
        raise ValidationError(problems[0])
    return terms


@dataclass(frozen=True)
class GlossaryEntry:
    """A term as pages show it, with no database row attached (it is kept in the cache)."""

    slug: str
    term: str
    definition: str
    forms: tuple
    lang: str = ""  # set (en-GB) when a page in another language shows the English

    @property
    def anchor(self):
        return f"term-{self.slug}"


@dataclass
class Glossary:
    """A course's entries in order, and where each is first used: {term slug: lesson slug}."""

    entries: list = field(default_factory=list)
    first_use: dict = field(default_factory=dict)
    intro_html: str = ""  # the course's glossary_intro, rendered like any Markdown
    intro_lang: str = ""  # set (en-GB) when a page in another language shows the English

    def __bool__(self):
        return bool(self.entries)

    def rows(self):
        """[(entry, (slug, title, lang) of the lesson that first uses it, or None)], in order."""
        return [(entry, self.first_use.get(entry.slug)) for entry in self.entries]


def glossary_entries(terms):
    return [
        GlossaryEntry(
            slug=term.slug, term=term.term, definition=term.definition, forms=tuple(term.form_list)
        )
        for term in terms
    ]


def _form_regex(form):
    # A lesson may write a straight or a curly apostrophe, and break a line between two words.
    words = [re.escape(word).replace("'", "['\u2019]") for word in form.split()]
    return r"\s+".join(words)


def _match_key(text):
    return " ".join(text.replace("\u2019", "'").split()).lower()


class _Linker:
    """Finds the first appearance of each term across the lessons it is shown, in order."""

    def __init__(self, entries, url):
        self.url = url
        self.slug_of = {form: entry.slug for entry in entries for form in entry.forms}
        # Longest first, so "secure attachment" wins over "attachment" at the same place.
        forms = sorted(self.slug_of, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(_form_regex(form) for form in forms) + r")(?!\w)",
                re.IGNORECASE,
            )
            if forms
            else None
        )
        self.waiting = {entry.slug for entry in entries}

    def link(self, markdown):
        """The body rendered with links to the terms it uses first, and their slugs (or [])."""
        if self.pattern is None or not self.waiting:
            return "", []
        tokens = markdown_tokens(markdown)
        linked = []
        in_heading = False
        for token in tokens:
            if token.type == "heading_open":
                in_heading = True
            elif token.type == "heading_close":
                in_heading = False
            elif token.type == "inline" and token.children and not in_heading:
                token.children = self._link_children(token.children, linked)
        if not linked:
            return "", []
        return render_tokens(tokens), linked

    def _link_children(self, children, linked):
        """An inline token's children with links added to its runs of plain text."""
        result = []
        run = []  # text and soft line breaks in a row: a form may be split over two lines
        link_depth = 0
        for child in children:
            if child.type in ("text", "softbreak") and not link_depth:
                run.append(child)
                continue
            result.extend(self._link_run(run, linked))
            run = []
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            result.append(child)
        result.extend(self._link_run(run, linked))
        return result

    def _link_run(self, run, linked):
        if not run or not self.waiting:
            return run
        text = "".join(token.content if token.type == "text" else "\n" for token in run)
        level = run[0].level
        pieces = []
        start = 0
        for match in self.pattern.finditer(text):
            slug = self.slug_of.get(_match_key(match.group()))
            if slug not in self.waiting:
                continue
            self.waiting.discard(slug)
            linked.append(slug)
            pieces += _plain(text[start : match.start()], level)
            pieces.append(Token("link_open", "a", 1, attrs={"href": f"{self.url}#term-{slug}"}))
            pieces += _plain(match.group(), level)
            pieces.append(Token("link_close", "a", -1))
            start = match.end()
        if not pieces:
            return run
        return pieces + _plain(text[start:], level)


def _plain(text, level):
    """Tokens for plain text: text pieces with a soft line break where it had a new line."""
    tokens = []
    for number, line in enumerate(text.split("\n")):
        if number:
            tokens.append(Token("softbreak", "br", 0, level=level))
        if line:
            tokens.append(Token("text", "", 0, content=line, level=level))
    return tokens


def glossary_link(*, entries, lessons, url):
    """
    Link each term from its first appearance. `lessons` are (key, Markdown body) pairs in course
    order; `url` is the glossary page. Returns ({term slug: key of the lesson that first uses
    it}, {key: linked HTML}) where only lessons that gained a link have HTML.
    """
    linker = _Linker(entries, url)
    first_use = {}
    bodies = {}
    for key, markdown in lessons:
        html, linked = linker.link(markdown)
        if linked:
            bodies[key] = html
            first_use.update(dict.fromkeys(linked, key))
    return first_use, bodies
