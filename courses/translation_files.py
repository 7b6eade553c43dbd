"""
Translations as files beside the English ones: `NAME.<language>.md` beside `NAME.md`, for every
language of courses/translation.py's content_languages().

A translation holds only text. Its front matter starts with `translated_from: <git hash-object
of the English file>` and repeats the English file's text keys, in the same structure (the same
number of questions, choices, key points...); a setting (a slug, `correct`, `minutes`...) is
never repeated, so a translation cannot move a right answer. Loading checks all of it and names
the file at fault; courses/loader.py and the content parts (outcomes/content.py) call these.
"""

from pathlib import Path

import frontmatter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from courses.translation import content_languages, english_fingerprint, git_blob_hash

SOURCE_KEY = "translated_from"
# An exported translation that was already out of date says it translates no known English.
UNKNOWN_SOURCE = "0" * 40


def translation_path(english, language):
    """`01-lesson.md` -> `01-lesson.es.md` beside it."""
    english = Path(english)
    return english.with_name(f"{english.name.removesuffix('.md')}.{language}.md")


def is_translation_file(path):
    """Whether a .md file is NAME.<language>.md (a translation, never a lesson of its own)."""
    return Path(path).name.count(".") > 1


def translation_files(english):
    """[(language, path)] for the translations beside an English file that exist."""
    found = []
    for language in content_languages():
        path = translation_path(english, language)
        if path.is_file():
            found.append((language, path))
    return found


class TranslationFile:
    """One translation file read and checked: its text keys, body and source."""

    def __init__(self, *, english, path, where, allowed):
        self.where = where
        try:
            post = frontmatter.load(path)
        except Exception as error:
            raise ValidationError(
                gettext("%(file)s: cannot read the front matter (%(error)s)")
                % {"file": where, "error": error}
            ) from error
        self.meta = dict(post.metadata)
        self.body = post.content.strip()
        source = str(self.meta.pop(SOURCE_KEY, "") or "").strip()
        if not source:
            raise ValidationError(
                gettext(
                    "%(file)s: missing translated_from (the git hash-object of the English file)"
                )
                % {"file": where}
            )
        self.translated_from = source
        self.up_to_date = source == git_blob_hash(Path(english).read_bytes())
        refuse_keys(self.meta, allowed, where)

    def source(self, english_values):
        """The source to keep: the English's fingerprint when the file translates this English."""
        return {
            "english": english_fingerprint(english_values) if self.up_to_date else "",
            "translated_from": self.translated_from,
        }

    def text(self, key, *, required=False):
        value = self.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ValidationError(
                    gettext("%(file)s: missing %(keys)s") % {"file": self.where, "keys": key}
                )
            return ""
        if not isinstance(value, str):
            raise ValidationError(
                gettext("%(file)s: %(key)s must be text") % {"file": self.where, "key": key}
            )
        return value.strip()

    def lines(self, key, count=None):
        """A list of lines (key points, agenda...), the same count as the English when given."""
        value = self.meta.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(str(item).strip() for item in value):
            raise ValidationError(
                gettext("%(file)s: %(key)s must be a list of lines")
                % {"file": self.where, "key": key}
            )
        if count is not None and len(value) != count:
            raise ValidationError(
                gettext("%(file)s: %(key)s has %(found)d items; the English has %(count)d")
                % {"file": self.where, "key": key, "found": len(value), "count": count}
            )
        return [str(item).strip() for item in value]

    def items(self, key, count, what):
        """A list of mappings matched by position: the same count as the English."""
        value = self.meta.get(key)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise ValidationError(
                gettext("%(file)s: %(key)s must be a list") % {"file": self.where, "key": key}
            )
        if len(value) != count:
            raise ValidationError(
                gettext("%(file)s: %(found)d %(what)s; the English has %(count)d")
                % {"file": self.where, "found": len(value), "what": what, "count": count}
            )
        return value


def refuse_keys(meta, allowed, where):
    """
    Refuse any key a translation may not hold. `allowed` maps each allowed key to None (text) or,
    for a list of mappings, to the allowed keys of its items (the same way, nested).
    """
    for key, value in meta.items():
        if key not in allowed:
            raise ValidationError(
                gettext(
                    "%(file)s: a translation holds only text; '%(key)s' is not one of its "
                    "texts (settings come from the English file only)"
                )
                % {"file": where, "key": key}
            )
        if allowed[key] and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    refuse_keys(item, allowed[key], where)
