"""
A parent's own writing: reflections on lessons and notes from the week's practice. Both are
private to the parent; only a reflection can be shared, one at a time, with the facilitators of
the parent's groups. Saving is idempotent, so a double submit never makes a second copy.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext

from accounts.models import ParentGroup
from circle.compiled import CompiledRead, columns, from_row
from courses.models import (
    PRACTICE_TEXT_MAX_LENGTH,
    REFLECTION_MAX_LENGTH,
    PracticeNote,
    Reflection,
)

# The parent's notes on one lesson, newest first, on every lesson page: compiled once
# (circle/compiled.py).
_NOTES_ON = CompiledRead(
    lambda p: PracticeNote.objects.filter(user=p.user, lesson=p.lesson).values_list(
        *columns(PracticeNote)
    ),
    user=int,
    lesson=int,
)


def practice_notes_on(*, user, lesson):
    """The parent's own practice notes on the lesson, newest first (one query)."""
    return [from_row(row, PracticeNote)[0] for row in _NOTES_ON(user=user.pk, lesson=lesson.pk)]


def _clean_text(text, *, max_length, empty_message, field):
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: empty_message})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: gettext(
                    "Please keep it under %(limit)s characters (it has %(length)s). Your words "
                    "are still in the box."
                )
                % {
                    "limit": number_format(max_length, force_grouping=True),
                    "length": number_format(len(text), force_grouping=True),
                }
            }
        )
    return text


def reflection_save(*, user, lesson, text):
    """Write or rewrite the parent's reflection on a lesson. One per lesson, whatever happens."""
    text = _clean_text(
        text,
        max_length=REFLECTION_MAX_LENGTH,
        field="text",
        empty_message=gettext("Please write a few words before saving."),
    )
    reflection, _ = Reflection.objects.update_or_create(
        user=user, lesson=lesson, defaults={"text": text}
    )
    return reflection


def reflection_set_shared(*, reflection, shared):
    """Share a reflection with the parent's facilitators, or make it private again."""
    if reflection.shared != shared:
        reflection.shared = shared
        reflection.save(update_fields=["shared", "updated_at"])
    return reflection


def reflection_readers(*, user):
    """
    {course id: names of the parent's active groups for it}, in one query. The facilitators of
    those groups, and nobody else, read the reflections the parent shares on that course's
    lessons: the group report shows shared reflections of its current members for the group's
    own course, and none once the group is archived.
    """
    readers = {}
    groups = ParentGroup.objects.active().for_member(user).order_by("name", "pk")
    for course_id, name in groups.values_list("course_id", "name"):
        readers.setdefault(course_id, []).append(name)
    return readers


def reflection_audience(group_names):
    """Who can read a shared reflection, in the parent's words, and honestly."""
    if not group_names:
        return gettext(
            "You are not in a group yet, so nobody else can see it. If you join a group for "
            "this course, its facilitators will be able to read it."
        )
    return gettext("The facilitators of %(groups)s can read it.") % {
        "groups": get_text_list(list(group_names), gettext("and"))
    }


def reflection_set_audience(reflection, group_names):
    """Give a reflection about to be shown its `audience` sentence and `in_group` flag."""
    reflection.in_group = bool(group_names)
    reflection.audience = reflection_audience(group_names)
    return reflection


def reflection_delete(*, reflection):
    reflection.delete()


def practice_note_clean(*, noted_on, tried, happened):
    """
    A note's values, tidied, or one ValidationError naming every field to fix, so the parent
    sees all the problems at once rather than one per try (PracticeNoteForm asks here first).
    """
    errors = {}
    if noted_on is None:
        errors["noted_on"] = gettext("Please give the date.")
    try:
        tried = _clean_text(
            tried,
            max_length=PRACTICE_TEXT_MAX_LENGTH,
            field="tried",
            empty_message=gettext("Please write a few words about what you tried."),
        )
    except ValidationError as error:
        errors.update(error.error_dict)
    happened = (happened or "").strip()
    if len(happened) > PRACTICE_TEXT_MAX_LENGTH:
        errors["happened"] = gettext("Please keep it under %(limit)s characters.") % {
            "limit": number_format(PRACTICE_TEXT_MAX_LENGTH, force_grouping=True)
        }
    if errors:
        raise ValidationError(errors)
    return {"noted_on": noted_on, "tried": tried, "happened": happened}


@transaction.atomic
def practice_note_add(*, user, lesson, key, noted_on, tried, happened=""):
    """
    Add a practice note. `key` comes with the form the parent filled in: sending the same form
    twice (a double tap, a resent request) returns the note saved the first time.
    """
    values = practice_note_clean(noted_on=noted_on, tried=tried, happened=happened)
    note, _ = PracticeNote.objects.get_or_create(
        user=user, key=key, defaults={"lesson": lesson, **values}
    )
    return note


def practice_note_update(*, note, noted_on, tried, happened=""):
    values = practice_note_clean(noted_on=noted_on, tried=tried, happened=happened)
    for name, value in values.items():
        setattr(note, name, value)
    note.save(update_fields=[*values, "updated_at"])
    return note


def practice_note_delete(*, note):
    note.delete()
