"""
The one way to look up course content and a parent's own records. Each helper scopes by what
the user may see and answers 404 (Http404) to anyone else, so a view cannot forget the check.

A parent's reflections, practice notes and certificates are looked up through their owner only:
no other parent, facilitator or staff member reaches them through these pages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from circle.compiled import CompiledRead, cache_related, columns, from_row
from courses.assignments import parent_plans
from courses.certificates import certificate_code_normalise
from courses.models import (
    Certificate,
    Course,
    Lesson,
    Module,
    PracticeNote,
    Question,
    Reflection,
)
from courses.progress import published_courses


def get_course_for_visitor(slug, user=None):
    """
    A published course; anyone may see its outline and lesson titles. With the signed-in
    `user`, it carries courses.progress.COURSE_ANNOTATIONS for them (the course page).
    """
    found = published_courses(user, slug=slug)
    if not found:
        raise Http404("No such course.")
    return found[0]


def _require_signed_in(user, helper):
    if not user.is_authenticated:
        raise ValueError(f"{helper} needs a signed-in user; guard the view.")


class LessonLocked(PermissionDenied):
    """
    The parent's group has not opened this lesson's module yet. A PermissionDenied, so any view
    that lets it through answers 403; circle.views.forbidden shows the kind "opens on" page.
    """

    def __init__(self, lesson, opens_on):
        super().__init__(f"Lesson {lesson.pk} opens on {opens_on}.")
        self.lesson = lesson
        self.opens_on = opens_on


class ModuleLocked(PermissionDenied):
    """
    The parent's group has not opened this module yet: its handout waits, like its lessons
    (LessonLocked). circle.views.forbidden shows the kind "opens on" page for it too.
    """

    def __init__(self, module, opens_on):
        super().__init__(f"Module {module.pk} opens on {opens_on}.")
        self.module = module
        self.opens_on = opens_on


def _opens_on(user, course, module_id):
    """
    The one lock rule for lessons and modules alike: the day the parent's groups open this
    module, or None when it is open to them. Returns (their plans for the course, that day).
    One query.
    """
    found = parent_plans(user=user, course=course)
    return found, found.opens_on(module_id)


_OWN = [
    "own_reflection_pk", "own_reflection_text", "own_reflection_shared",
    "own_reflection_created_at", "own_reflection_updated_at",
    "own_progress_pk", "own_progress_started_at", "own_progress_last_seen_at",
    "own_progress_completed_at",
]  # fmt: skip


# Every lesson view's read: the published lesson with its module and its course, and for the
# lesson page the parent's own reflection and progress, in one query compiled once
# (circle/compiled.py).
def _lesson_query(p, with_own_records):
    lessons = Lesson.objects.published()
    if with_own_records:
        lessons = lessons.with_reflection_of(p.user).with_progress_of(p.user)
    return lessons.filter(slug=p.lesson, module__course__slug=p.course).values_list(
        *columns(Lesson),
        *columns(Module, "module__"),
        *columns(Course, "module__course__"),
        *(_OWN if with_own_records else []),
    )


_LESSON_READ = CompiledRead(_lesson_query, user=int, lesson=str, course=str)


def _lesson_read(user, course_slug, lesson_slug, *, with_own_records):
    own = {"user": user.pk} if with_own_records else {}
    rows = _LESSON_READ(shape=(with_own_records,), lesson=lesson_slug, course=course_slug, **own)
    if not rows:
        raise Http404("No such lesson.")
    lesson, module, course, own = from_row(rows[0], Lesson, Module, Course)
    cache_related(module, "course", course)
    cache_related(lesson, "module", module)
    for name, value in zip(_OWN if with_own_records else [], own, strict=True):
        setattr(lesson, name, value)
    return lesson


def get_lesson_for_parent(user, course_slug, lesson_slug, *, with_own_records=False):
    """
    A lesson the parent may open now: published (with its module and course, and not
    archived), and not in a module their groups have yet to open. Every lesson view, reading or
    writing, goes through here: an unknown or hidden lesson is a 404, a locked one raises
    LessonLocked (403). Two queries: the lesson, and the parent's groups for its course.

    The lesson carries `group_names`, the parent's active groups for the course (whose
    facilitators read the reflections they share), and `module_locks`, the course's modules
    still locked for them (ParentPlans.locks). With `with_own_records`, it also carries the
    user's own reflection and progress (`own_reflection`, `own_progress`) from the same query.
    """
    _require_signed_in(user, "get_lesson_for_parent")
    lesson = _lesson_read(user, course_slug, lesson_slug, with_own_records=with_own_records)
    found, opens_on = _opens_on(user, lesson.module.course, lesson.module_id)
    if opens_on is not None:
        raise LessonLocked(lesson, opens_on)
    lesson.group_names = found.group_names
    # The course's other locked modules, {module_id: opening day}: the page's "Next" says when.
    lesson.module_locks = found.locks
    return lesson


def get_module_for_parent(user, course_slug, module_slug):
    """
    A published module (of a published course) the parent may open now, by the same rule as
    its lessons (get_lesson_for_parent): unknown or hidden is a 404, not opened yet by their
    groups raises ModuleLocked (403). Two queries: the module, and the parent's groups.
    """
    _require_signed_in(user, "get_module_for_parent")
    module = get_object_or_404(
        Module.objects.published().select_related("course"),
        slug=module_slug,
        course__slug=course_slug,
    )
    _, opens_on = _opens_on(user, module.course, module.pk)
    if opens_on is not None:
        raise ModuleLocked(module, opens_on)
    return module


def get_question_for_parent(user, lesson, pk):
    """A knowledge-check question of a lesson the parent may open (see get_lesson_for_parent)."""
    _require_signed_in(user, "get_question_for_parent")
    return get_object_or_404(Question, pk=pk, lesson=lesson)


def get_reflection_for_owner(user, pk):
    """A reflection, only for the parent who wrote it."""
    _require_signed_in(user, "get_reflection_for_owner")
    return get_object_or_404(Reflection.objects.select_related("lesson__module"), pk=pk, user=user)


def get_practice_note_for_owner(user, pk):
    """A practice note, only for the parent who wrote it."""
    _require_signed_in(user, "get_practice_note_for_owner")
    return get_object_or_404(
        PracticeNote.objects.select_related("lesson__module__course"), pk=pk, user=user
    )


def get_certificate_for_owner(user, course):
    """The parent's own certificate for a course, or None if they have not earned one yet."""
    _require_signed_in(user, "get_certificate_for_owner")
    return Certificate.objects.filter(user=user, course=course).select_related("course").first()


def get_certificate_for_verification(code):
    """Anyone with the code may check a certificate; unknown codes are not found."""
    return get_object_or_404(
        Certificate.objects.select_related("course"), code=certificate_code_normalise(code)
    )


def get_lesson_for_staff(user, course_slug, lesson_slug):
    """Any lesson, published or not, archived or not, for staff previewing it; 404 for others."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404("No such lesson.")
    return get_object_or_404(
        Lesson.objects.select_related("module__course"),
        slug=lesson_slug,
        module__course__slug=course_slug,
    )
