"""
What content editors do to a course besides typing: reorder modules and lessons, publish and
unpublish them, archive lessons that parents have started, and look back at or restore earlier
versions of a lesson's words.
"""

import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import Lesson, LessonVersion, Module, Reflection

UP = "up"
DOWN = "down"


def _move(queryset, obj, direction):
    """Swap obj with its neighbour in `queryset`, numbering the siblings 1..n as it goes."""
    if direction not in (UP, DOWN):
        raise ValidationError(gettext("Move up or down."))
    siblings = list(queryset.select_for_update().order_by("position", "id"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == obj.pk)
    target = index - 1 if direction == UP else index + 1
    if not 0 <= target < len(siblings):
        return False
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            # update() on purpose: moving changes no words, so it makes no new lesson version.
            type(sibling).objects.filter(pk=sibling.pk).update(position=position)
    return True


@transaction.atomic
def module_move(*, module, direction):
    """Move a module one place up or down in its course. False when it is already at the end."""
    return _move(Module.objects.filter(course_id=module.course_id), module, direction)


@transaction.atomic
def lesson_move(*, lesson, direction):
    """Move a lesson one place up or down in its module. False when it is already at the end."""
    return _move(Lesson.objects.filter(module_id=lesson.module_id), lesson, direction)


def lesson_next_position(*, module):
    last = module.lessons.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def module_set_published(*, module, published):
    Module.objects.filter(pk=module.pk).update(is_published=published)


def lesson_set_published(*, lessons, published):
    """Publish or unpublish; progress and reflections are untouched either way."""
    return Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]).update(
        is_published=published
    )


def lesson_archive(*, lessons):
    """Hide lessons from parents for good, keeping everything parents did with them."""
    return Lesson.objects.filter(
        pk__in=[lesson.pk for lesson in lessons], archived_at__isnull=True
    ).update(archived_at=timezone.now())


def lesson_unarchive(*, lessons):
    return Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]).update(archived_at=None)


def lessons_with_counts(queryset):
    """
    Each lesson with how many parents started, completed and reflected on it, in one query.
    Reflections are counted in a subquery so they cannot multiply the progress join.
    """
    reflected = (
        Reflection.objects.filter(lesson=OuterRef("pk"))
        .order_by()
        .values("lesson")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        started_count=Count("progress"),
        completed_count=Count("progress", filter=Q(progress__completed_at__isnull=False)),
        reflected_count=Coalesce(Subquery(reflected), 0),
    )


@transaction.atomic
def lesson_version_restore(*, version, user):
    """
    Put an earlier version's words back. The restored words are saved as a new version, so the
    restore itself can be undone. Returns False when the lesson already says exactly that.
    """
    lesson = Lesson.objects.select_for_update().get(pk=version.lesson_id)
    local = timezone.localtime(version.created_at)
    note = f"Restored the version from {local:%d %b %Y %H:%M}"
    if version.language:
        # A translation's version goes back into that translation, never into the English.
        translated = lesson.translation(version.language)
        if all(translated.get(name, "") == value for name, value in version.text_fields().items()):
            return False
        lesson.set_translation(
            version.language,
            {**translated, **version.text_fields()},
            **{"english": "", **lesson.translation_source(version.language)},
        )
        lesson.save(update_fields=["translations"], edited_by=user, version_note=note)
        return True
    if all(getattr(lesson, name) == value for name, value in version.text_fields().items()):
        return False
    for name, value in version.text_fields().items():
        setattr(lesson, name, value)
    lesson.save(edited_by=user, version_note=note)
    return True


# Diffs ----------------------------------------------------------------------------------------
# A diff is plain data (lines of (kind, text) pieces); the template escapes every piece, so a
# lesson containing HTML shows as text in the history and never runs.

FIELD_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "body": _("Lesson text"),
    "key_points": _("Key points"),
    "practice": _("Try this week"),
    "reflection_prompt": _("Reflection prompt"),
    "example_baby": _("Example for a baby"),
    "example_toddler": _("Example for a toddler or preschooler"),
    "example_school_age": _("Example for a school-age child"),
}


@dataclass
class DiffLine:
    kind: str  # "same", "added", "removed"
    pieces: list  # [(kind, text)], kind "same", "added" or "removed" for word-level marks


@dataclass
class FieldDiff:
    name: str
    label: str
    lines: list


def _word_pieces(old, new):
    """Word-level marks for a changed line: what stayed, what went, what came."""
    old_words, new_words = old.split(" "), new.split(" ")
    removed, added = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            removed.append(("same", " ".join(old_words[a1:a2])))
            added.append(("same", " ".join(new_words[b1:b2])))
        else:
            if a2 > a1:
                removed.append(("removed", " ".join(old_words[a1:a2])))
            if b2 > b1:
                added.append(("added", " ".join(new_words[b1:b2])))
    return _spaced(removed), _spaced(added)


def _spaced(pieces):
    """Put back the spaces that split() took out, between pieces and outside the marks."""
    result = []
    for kind, text in pieces:
        if result:
            result.append(("same", " "))
        result.append((kind, text))
    return result


def text_diff(old, new, context=2):
    """Changed lines of `old` -> `new` with `context` unchanged lines around each change."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", [("same", "…")]))
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                lines += [DiffLine("same", [("same", line)]) for line in old_lines[a1:a2]]
            elif op == "replace" and a2 - a1 == b2 - b1:
                for old_line, new_line in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True):
                    removed, added = _word_pieces(old_line, new_line)
                    lines += [DiffLine("removed", removed), DiffLine("added", added)]
            else:
                lines += [DiffLine("removed", [("same", line)]) for line in old_lines[a1:a2]]
                lines += [DiffLine("added", [("same", line)]) for line in new_lines[b1:b2]]
    return lines


def version_diff(older, newer):
    """What changed between two versions (or an older version and None: nothing to compare)."""
    if older is None:
        return []
    diffs = []
    for name in LessonVersion.TEXT_FIELDS:
        before, after = getattr(older, name), getattr(newer, name)
        if before != after:
            diffs.append(FieldDiff(name, FIELD_LABELS[name], text_diff(before, after)))
    return diffs


def english_changes_since_translation(lesson, language):
    """
    What the lesson's English words changed since its `language` text was last saved: the
    English version kept just before that save against the newest English. [] when there is
    nothing to compare (no version in `language` yet, or none in English before it). Three
    small queries, for the admin's translation page.
    """
    translated = lesson.versions.filter(language=language).only("pk").first()
    if translated is None:
        return []
    english = lesson.versions.filter(language="")
    # Versions are numbered as they are kept, so the English the translator saw is the newest
    # English kept before the translation.
    return version_diff(english.filter(pk__lt=translated.pk).first(), english.first())


@dataclass
class HistoryEntry:
    version: LessonVersion
    changes: list  # FieldDiff, compared with the version before it
    is_current: bool


def lesson_history(lesson, language=""):
    """
    Every version of the lesson in one language (blank: English), newest first, each with what
    it changed. One query.
    """
    versions = list(lesson.versions.filter(language=language).select_related("created_by"))
    if language:
        translated = lesson.translation(language)
        current = {name: translated.get(name) or "" for name in LessonVersion.TEXT_FIELDS}
    else:
        current = {name: getattr(lesson, name) for name in LessonVersion.TEXT_FIELDS}
    entries = []
    for i, version in enumerate(versions):
        older = versions[i + 1] if i + 1 < len(versions) else None
        entries.append(
            HistoryEntry(
                version=version,
                changes=version_diff(older, version),
                is_current=i == 0 and version.text_fields() == current,
            )
        )
    return entries
