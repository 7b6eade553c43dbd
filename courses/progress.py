"""
How far a parent got: recording visits and completions, and building course outlines with
each lesson's status. Every function here runs a fixed number of queries, whatever the size of
the course or the number of parents.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from courses.models import Lesson, LessonProgress

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
STATUS_LABELS = {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", DONE: "Done"}


def progress_record_visit(*, user, lesson):
    """Note that the parent opened the lesson: started the first time, last seen every time."""
    return LessonProgress.objects.record_visit(user=user, lesson=lesson, now=timezone.now())


def progress_mark_complete(*, user, lesson):
    """Mark the lesson done. Doing it again changes nothing: the first completion date stays."""
    return LessonProgress.objects.record_completion(user=user, lesson=lesson, now=timezone.now())


def progress_mark_incomplete(*, user, lesson):
    """Undo a completion; the lesson counts as started again."""
    LessonProgress.objects.filter(user=user, lesson=lesson).update(completed_at=None)


@dataclass
class LessonEntry:
    lesson: Lesson
    status: str

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def _percent(done, total):
    return round(100 * done / total) if total else 0


@dataclass
class ModuleEntry:
    module: object
    lessons: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.lessons)

    @property
    def done(self):
        return sum(entry.status == DONE for entry in self.lessons)

    @property
    def percent(self):
        return _percent(self.done, self.total)


@dataclass
class CourseOutline:
    """A course's published modules and lessons, in order, with one parent's status for each."""

    course: object
    modules: list = field(default_factory=list)
    resume: LessonEntry | None = None

    @property
    def lessons(self):
        return [entry for module in self.modules for entry in module.lessons]

    @property
    def total(self):
        return sum(module.total for module in self.modules)

    @property
    def done(self):
        return sum(module.done for module in self.modules)

    @property
    def percent(self):
        return _percent(self.done, self.total)

    @property
    def started(self):
        return any(entry.status != NOT_STARTED for entry in self.lessons)

    @property
    def is_complete(self):
        return self.total > 0 and self.done == self.total


def build_outlines(user, lessons):
    """
    Outlines for every course that `lessons` (a queryset of published lessons) touches, in two
    queries: the lessons, and the user's progress on them.
    """
    lessons = list(
        lessons.select_related("module__course")
        .defer("body", "body_html", "practice", "reflection_prompt", "key_points")
        .order_by(
            "module__course__position",
            "module__course_id",
            "module__position",
            "module_id",
            "position",
            "id",
        )
    )
    progress = {}
    if user.is_authenticated and lessons:
        progress = {
            row.lesson_id: row
            for row in LessonProgress.objects.filter(
                user=user, lesson__in=[lesson.pk for lesson in lessons]
            )
        }
    outlines = {}
    for lesson in lessons:
        course = lesson.module.course
        outline = outlines.setdefault(course.pk, CourseOutline(course=course))
        if not outline.modules or outline.modules[-1].module.pk != lesson.module_id:
            outline.modules.append(ModuleEntry(module=lesson.module))
        row = progress.get(lesson.pk)
        status = NOT_STARTED if row is None else DONE if row.is_complete else IN_PROGRESS
        outline.modules[-1].lessons.append(LessonEntry(lesson=lesson, status=status))
    for outline in outlines.values():
        outline.resume = _resume_point(outline, progress)
    return list(outlines.values())


def _resume_point(outline, progress):
    """The lesson to continue with: the last one opened and not finished, else the first undone."""
    unfinished = [entry for entry in outline.lessons if entry.status != DONE]
    if not unfinished:
        return None
    in_progress = [entry for entry in unfinished if entry.status == IN_PROGRESS]
    if in_progress:
        return max(in_progress, key=lambda entry: progress[entry.lesson.pk].last_seen_at)
    return unfinished[0]


def course_outline(user, course):
    outlines = build_outlines(user, Lesson.objects.published().filter(module__course=course))
    return outlines[0] if outlines else CourseOutline(course=course)


def circle_links(outline):
    """Where each part of the circle diagram leads: the first lesson about it in the outline."""
    links = {}
    if outline is None:
        return links
    base = outline.course.get_absolute_url()
    for entry in outline.lessons:
        links.setdefault(entry.lesson.circle_place, f"{base}#lesson-{entry.lesson.slug}")
    return links
