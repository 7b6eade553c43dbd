"""
Content in more than one language: the one mechanism every page, email, report and file uses.

English (settings.LANGUAGE_CODE) is the content itself: the model fields. Every other language
in settings.LANGUAGES is a translation kept on the same row, in its `translations` field:

    {"es": {"title": "...", "body": "...", "body_html": "...", "source": {...}}}

so a page that reads a lesson, question or glossary term already has every language of it, and
the content cache (courses/content_cache.py) needs no query more. A translated Markdown text is
rendered to HTML when it is set, like the English on save (`Translatable.MARKDOWN`).

Pages ask `obj.tr("title")` (templates: `{{ lesson|tr:"title" }}`): the text in the language
of the page, else the English. `obj.shows_english()` says when the English is shown instead, so
the page can say so and mark the English `lang="en-GB"` (templates: `{% english_note %}`,
`{% english_lang %}` on an element, `{{ lesson|tr_marked:"title" }}` inside a sentence).

Whether a translation is up to date: `source["english"]` is the fingerprint of the English texts
it translates (`english_fingerprint`), set when the translation is saved (in the admin) or
loaded from a file whose `translated_from` is the English file's `git hash-object`. When the
English changes, the fingerprints differ and the translation "may be out of date".
"""

import functools
import hashlib
import json

from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils import translation
from django.utils.html import conditional_escape, format_html

from courses.markdown import render_markdown

MISSING, OUT_OF_DATE, CURRENT = "missing", "out-of-date", "current"
# The English of the site is British English: what an English block in another page says.
ENGLISH_LANG = "en-GB"


def default_language():
    return settings.LANGUAGE_CODE


def content_languages():
    """The languages content can be translated into: every site language but English."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def language_name(code):
    return dict(settings.LANGUAGES).get(code, code)


@functools.cache
def _translatable():
    """content_languages() as a set, read once: current_language() runs for every text."""
    return frozenset(content_languages())


@receiver(setting_changed)
def _languages_changed(*, setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE"):
        _translatable.cache_clear()


def current_language():
    """The page's language if content can be translated into it, else None (English)."""
    code = translation.get_language() or ""
    return code if code in _translatable() else None


def git_blob_hash(data):
    """What `git hash-object` prints for a file with these bytes (or text, as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 (git's id)


def english_fingerprint(values):
    """A short, stable fingerprint of English texts (any JSON-able value)."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def tr_marked(obj, name):
    """
    `obj.tr(name)` as safe HTML for a sentence of the page's language: inside
    <span lang="en-GB"> when it is the English (no translation), so a screen reader says it in
    English. For a title that fills its element, mark the element (`{% english_lang %}`).
    """
    text = obj.tr(name)
    if obj.tr_is_english(name):
        return format_html('<span lang="{}">{}</span>', ENGLISH_LANG, text)
    return conditional_escape(text)


class Translatable(models.Model):
    """
    A content row with translations. `TRANSLATED` names the fields a translation may hold;
    `MARKDOWN` maps a Markdown field to the HTML field rendered from it when the translation is
    set (`set_translation`, the one way every loader and admin page writes one).
    """

    TRANSLATED = ()
    MARKDOWN = {}

    translations = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def _markdown_render(self, values):
        """Render one translation's Markdown fields to HTML, when it is set (set_translation)."""
        for source, target in self.MARKDOWN.items():
            if source in values:
                values[source] = str(values[source]).replace("\r\n", "\n")
                values[target] = render_markdown(values[source])

    def translation(self, language):
        return (self.translations or {}).get(language) or {}

    def tr(self, name, language=None):
        """The field in the page's language (or `language`), else in English."""
        language = language or current_language()
        if language and language != default_language():
            value = self.translation(language).get(name)
            if value not in (None, ""):
                return value
        return getattr(self, name)

    def shows_english(self, language=None):
        """Whether a page in the current language (or `language`) shows this row in English."""
        language = language or current_language()
        return bool(language) and language != default_language() and not self.translation(language)

    def tr_is_english(self, name, language=None):
        """Whether `tr(name)` gives the English on a page in another language (no translation)."""
        language = language or current_language()
        if not language or language == default_language():
            return False
        return self.translation(language).get(name) in (None, "")

    def translation_source(self, language):
        return self.translation(language).get("source") or {}

    def set_translation(self, language, values, *, english="", translated_from=""):
        """Keep `values` as the row's text in `language`, with where it came from."""
        values = {key: value for key, value in values.items() if key in self.TRANSLATED}
        previous = self.translation_source(language)
        if english and previous.get("english") == english:
            # The same English as before (an export loaded back names its own English file).
            translated_from = previous.get("translated_from") or translated_from
        if english or translated_from:
            values["source"] = {"english": english, "translated_from": translated_from}
        self._markdown_render(values)
        self.translations = {**(self.translations or {}), language: values}
