"""
A parent's own writing: saving reflections and practice notes from the lesson page, the
"My journal" page, sharing a reflection, and editing or deleting a note. Every record is looked
up through its owner (courses/access.py), so anyone else gets a 404. Saving from the lesson page
answers htmx with that box of the page, in place (courses/in_place.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import (
    get_lesson_for_parent,
    get_practice_note_for_owner,
    get_reflection_for_owner,
)
from courses.forms import PracticeNoteForm, ReflectionForm
from courses.in_place import render_fragment, wants_fragment
from courses.journal import (
    practice_note_add,
    practice_note_delete,
    practice_note_update,
    practice_notes_on,
    reflection_audience,
    reflection_delete,
    reflection_readers,
    reflection_save,
    reflection_set_audience,
    reflection_set_shared,
)
from courses.models import PracticeNote, Reflection
from courses.views.parent import render_lesson_page


def _back(request, fallback):
    """Where to go after a small action: the page it came from (if ours), else `fallback`."""
    target = request.POST.get("next", "")
    # Only a path on this site; never handed to redirect(), which would read "0" as a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@login_required
def journal(request):
    reflections = list(
        Reflection.objects.filter(user=request.user)
        .select_related("lesson__module__course")
        .order_by("-created_at", "-id")
    )
    readers = reflection_readers(user=request.user)
    for reflection in reflections:
        reflection_set_audience(reflection, readers.get(reflection.lesson.module.course_id))
    notes = PracticeNote.objects.filter(user=request.user).select_related("lesson__module__course")
    return render(
        request,
        "courses/journal.html",
        {"reflections": reflections, "notes": list(notes)},
    )


@login_required
@require_POST
def reflection_save_view(request, course_slug, lesson_slug):
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug, with_own_records=True)
    form = ReflectionForm(request.POST)
    reflection = None
    if form.is_valid():
        try:
            reflection = reflection_save(
                user=request.user, lesson=lesson, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
    saved = _("Your reflection is saved. Only you can see it unless you share it.")
    if wants_fragment(request):
        if reflection is None:
            return _reflection_box(request, lesson, form, lesson.own_reflection(request.user))
        return _reflection_box(
            request, lesson, ReflectionForm(initial={"text": reflection.text}), reflection, saved
        )
    if not form.is_valid():
        return render_lesson_page(request, lesson, reflection_form=form)
    messages.success(request, saved)
    return redirect(lesson.get_absolute_url() + "#reflection")


def _reflection_box(request, lesson, form, reflection, saved=""):
    """The lesson's reflection box: just saved (`saved` says so), or with `form` to fix."""
    if reflection is not None:
        reflection_set_audience(reflection, lesson.group_names)
    return render_fragment(
        request,
        "reflection_box",
        {
            "course": lesson.module.course,
            "lesson": lesson,
            "reflection": reflection,
            "reflection_form": form,
            "saved_notice": saved,
        },
    )


@login_required
@require_POST
def reflection_share(request, pk):
    reflection = get_reflection_for_owner(request.user, pk)
    choice = request.POST.get("shared")
    if choice not in ("yes", "no"):
        messages.error(request, _("Something went wrong with that button. Please try again."))
    else:
        reflection_set_shared(reflection=reflection, shared=choice == "yes")
        if reflection.shared:
            readers = reflection_readers(user=request.user)
            names = readers.get(reflection.lesson.module.course_id)
            if names:
                messages.success(
                    request, _("Shared. %(audience)s") % {"audience": reflection_audience(names)}
                )
            else:
                messages.info(
                    request,
                    _("Marked as shared. %(audience)s") % {"audience": reflection_audience(names)},
                )
        else:
            messages.info(request, _("This reflection is private again. Only you can see it."))
    return _back(request, reverse("courses:journal"))


def _confirm_delete(request, *, delete, context):
    """GET asks first; POST deletes and goes back to the journal."""
    if request.method == "POST":
        delete()
        messages.info(
            request,
            _("Your reflection is deleted.")
            if context["what"] == "reflection"
            else _("Your practice note is deleted."),
        )
        return redirect("courses:journal")
    return render(request, "courses/confirm_delete.html", context)


@login_required
def reflection_delete_view(request, pk):
    reflection = get_reflection_for_owner(request.user, pk)
    return _confirm_delete(
        request,
        delete=lambda: reflection_delete(reflection=reflection),
        context={"what": "reflection", "lesson": reflection.lesson, "text": reflection.text},
    )


@login_required
@require_POST
def practice_note_add_view(request, course_slug, lesson_slug):
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug, with_own_records=True)
    form = PracticeNoteForm(request.POST)
    if form.is_valid():
        try:
            practice_note_add(user=request.user, lesson=lesson, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    saved = _("Your practice note is saved. Only you can see it.")
    if wants_fragment(request):
        return _practice_notes(request, lesson, form, saved=saved if form.is_valid() else "")
    if not form.is_valid():
        return render_lesson_page(request, lesson, note_form=form)
    messages.success(request, saved)
    return redirect(lesson.get_absolute_url() + "#practice-notes")


def _practice_notes(request, lesson, form, *, saved):
    """The lesson's practice notes with a fresh form once saved, or `form` to fix. One query."""
    return render_fragment(
        request,
        "practice_notes",
        {
            "course": lesson.module.course,
            "lesson": lesson,
            "notes": practice_notes_on(user=request.user, lesson=lesson),
            "note_form": PracticeNoteForm() if saved else form,
            "saved_notice": saved,
        },
    )


@login_required
def practice_note_edit(request, pk):
    note = get_practice_note_for_owner(request.user, pk)
    if request.method == "POST":
        form = PracticeNoteForm(request.POST)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in ("noted_on", "tried", "happened")}
            try:
                practice_note_update(note=note, **values)
            except ValidationError as error:
                form.add_error(None, error)
        if form.is_valid():
            messages.success(request, _("Your practice note is saved."))
            return redirect(reverse("courses:journal") + f"#note-{note.pk}")
    else:
        form = PracticeNoteForm(
            initial={
                "key": note.key,
                "noted_on": note.noted_on,
                "tried": note.tried,
                "happened": note.happened,
            }
        )
    return render(request, "courses/practice_note_edit.html", {"note": note, "form": form})


@login_required
def practice_note_delete_view(request, pk):
    note = get_practice_note_for_owner(request.user, pk)
    return _confirm_delete(
        request,
        delete=lambda: practice_note_delete(note=note),
        context={"what": "practice note", "lesson": note.lesson, "text": note.tried, "note": note},
    )
