"""
How far a parent got: recording visits and completions, and building course outlines with
each lesson's status. Every function here runs a fixed number of queries, whatever the size of
the course or the number of parents.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from circle.compiled import CompiledRead, CompiledUpdate, columns, from_row
from courses.content_cache import course_lessons, courses_lessons
from courses.models import Certificate, CirclePlace, Course, Lesson, LessonProgress, Principle

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
# The one set of words for a lesson's status, wherever it shows: outlines, the group report,
# its CSV. The symbols stand beside them where space is short (the report's table).
STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    DONE: pgettext_lazy("a lesson's status", "Done"),
}
STATUS_SYMBOLS = {DONE: "✓", IN_PROGRESS: "◐", NOT_STARTED: "·"}


# The two writes of a parent's progress on every visit and completion, compiled once per
# connection (circle/compiled.py).
_SEEN = CompiledUpdate(
    lambda p: (LessonProgress.objects.filter(pk=p.pk), {"last_seen_at": p.now}),
    pk=int,
    now=datetime,
)
_COMPLETED = CompiledUpdate(
    lambda p: (
        LessonProgress.objects.filter(user=p.user, lesson=p.lesson, completed_at__isnull=True),
        {"completed_at": p.now, "last_seen_at": p.now},
    ),
    user=int,
    lesson=int,
    now=datetime,
)


def progress_record_visit(*, user, lesson, progress):
    """
    Note that the parent opened the lesson: started the first time, last seen every time.
    `progress` is their row as already read with the lesson (`Lesson.own_progress`), or None.
    """
    now = timezone.now()
    if progress is None:
        # One INSERT ... ON CONFLICT DO NOTHING: a second tab opening the lesson at the same
        # moment is harmless, and the lesson page stays within its query budget on a first visit.
        progress = LessonProgress(user=user, lesson=lesson, started_at=now, last_seen_at=now)
        LessonProgress.objects.bulk_create([progress], ignore_conflicts=True)
    else:
        _SEEN(pk=progress.pk, now=now)
        progress.last_seen_at = now
    return progress


def progress_mark_complete(*, user, lesson):
    """
    Mark the lesson done. Doing it again changes nothing: the first completion date stays.
    One UPDATE in the usual case; a lesson never opened gets its row with one INSERT that a
    parallel request cannot duplicate (the unique constraint, ON CONFLICT DO NOTHING).
    """
    now = timezone.now()
    updated = _COMPLETED(user=user.pk, lesson=lesson.pk, now=now)
    if not updated:
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(
                    user=user, lesson=lesson, started_at=now, last_seen_at=now, completed_at=now
                )
            ],
            ignore_conflicts=True,
        )


def progress_mark_incomplete(*, user, lesson):
    """Undo a completion; the lesson counts as started again."""
    LessonProgress.objects.filter(user=user, lesson=lesson).update(completed_at=None)


@dataclass
class LessonEntry:
    lesson: Lesson
    status: str
    opens_on: object = None  # a date when the parent's group has not opened this module yet

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_locked(self):
        return self.opens_on is not None


def _percent(done, total):
    return round(100 * done / total) if total else 0


class LessonCounts:
    """How many of `self.lessons` (LessonEntry objects) are done: for modules and circle parts."""

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
class ModuleEntry(LessonCounts):
    module: object
    lessons: list = field(default_factory=list)
    opens_on: object = None  # see LessonEntry.opens_on

    @property
    def is_locked(self):
        return self.opens_on is not None

    @property
    def state_key(self):
        """
        What this module's part of an outline shows of the parent (each lesson's status, the
        opening day), with the content version and today (dates read "tomorrow"): its HTML
        follows from this alone, so it is rendered once per state (circle/fragments.py).
        Modules have few lessons, so many parents share each state.
        """
        return (
            self.module.pk,
            self.module.course.content_version,
            timezone.localdate() if self.opens_on else None,
            self.opens_on,
            tuple((entry.lesson.pk, entry.status) for entry in self.lessons),
        )


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

    @property
    def next_opening(self):
        """When a parent who is waiting for their group's next module can carry on."""
        days = [module.opens_on for module in self.modules if module.is_locked]
        return min(days) if days else None

    @property
    def summary_key(self):
        """
        What the outline's summary shows (the lesson to resume, how many are done, when the
        next module opens), with the content version and today, for caching its HTML as
        `ModuleEntry.state_key` does.
        """
        return (
            self.course.pk,
            self.course.content_version,
            timezone.localdate(),
            self.resume.lesson.pk if self.resume else None,
            self.started,
            self.done,
            self.total,
            self.next_opening,
        )

    @property
    def bars_key(self):
        """What the outline's progress bars (one per module) show, with the content version."""
        return (
            self.course.pk,
            self.course.content_version,
            tuple((module.module.pk, module.done, module.total) for module in self.modules),
        )


# A hook for other apps: {attribute name: function(user) -> query expression}, annotated on
# the courses that the dashboard's and the course page's outlines show (build_outlines,
# courses.access.get_course_for_visitor), so an app can show more about a course beside its
# outline without a query of its own and without courses importing it (outcomes adds the
# parent's check-in state, outcomes/apps.py).
COURSE_ANNOTATIONS = {}


def _annotations_of(user_id):
    return {
        # Whether they hold the course's certificate (the course page links it).
        "has_certificate": Exists(Certificate.objects.filter(course=OuterRef("pk"), user=user_id)),
        **{name: make(user_id) for name, make in COURSE_ANNOTATIONS.items()},
    }


def _annotation_names():
    """The names _annotations_of gives, without building its expressions (every page asks)."""
    return ("has_certificate", *COURSE_ANNOTATIONS)


def _courses_query(p, signed_in, by_slug, names):
    courses = Course.objects.published()
    if signed_in:
        courses = courses.annotate(**_annotations_of(p.user))
    if by_slug:
        courses = courses.filter(slug=p.slug)
    return courses.values_list(*columns(Course), *names)


# The course rows every outline page reads: compiled once (circle/compiled.py).
_COURSES = CompiledRead(_courses_query, user=int, slug=str)


def published_courses(user, slug=None):
    """
    The published courses (or the one with `slug`), each with COURSE_ANNOTATIONS for the
    signed-in `user`. One query.
    """
    signed_in = user is not None and user.is_authenticated
    names = _annotation_names() if signed_in else ()
    values = {"user": user.pk} if signed_in else {}
    if slug is not None:
        values["slug"] = slug
    rows = _COURSES(shape=(signed_in, slug is not None, names), **values)
    courses = []
    for row in rows:
        course, annotations = from_row(row, Course)
        for name, value in zip(names, annotations, strict=True):
            setattr(course, name, value)
        courses.append(course)
    return courses


def build_outlines(user, locks=None):
    """
    An outline of every published course, in two queries: the courses, and the user's progress.
    The lessons come from the content cache (courses/content_cache.py). `locks` ({module_id: opening
    day}, from courses.assignments) marks the modules the parent's groups have not opened yet.
    """
    courses = published_courses(user)
    by_course = courses_lessons(courses)
    lessons = [lesson for course in courses for lesson in by_course[course.pk]]
    outlines = _outlines(user, lessons, locks or {})
    # Each outline carries the course row just read (with COURSE_ANNOTATIONS), not the cached one.
    read = {course.pk: course for course in courses}
    for outline in outlines:
        outline.course = read[outline.course.pk]
    return outlines


def course_outline(user, course, locks=None):
    """One course's outline; its lessons come from the content cache, so one query (progress)."""
    outlines = _outlines(user, course_lessons(course), locks or {})
    outline = outlines[0] if outlines else CourseOutline(course=course)
    outline.course = course  # the row the page read (with any COURSE_ANNOTATIONS)
    return outline


@dataclass
class _Seen:
    last_seen_at: object
    is_complete: bool


_PROGRESS = CompiledRead(
    lambda p: LessonProgress.objects.filter(user=p.user).values_list(
        "lesson_id", "last_seen_at", "completed_at"
    ),
    user=int,
)


def _outlines(user, lessons, locks):
    """Outlines from lessons in course order (module and course loaded) and the user's progress."""
    progress = {}
    if user.is_authenticated and lessons:
        # All of the parent's progress rows (a few per lesson they ever opened): the one query
        # compiled once, whatever the lessons.
        wanted = {lesson.pk for lesson in lessons}
        progress = {
            lesson_id: _Seen(last_seen_at, completed_at is not None)
            for lesson_id, last_seen_at, completed_at in _PROGRESS(user=user.pk)
            if lesson_id in wanted
        }
    outlines = {}
    for lesson in lessons:
        course = lesson.module.course
        outline = outlines.setdefault(course.pk, CourseOutline(course=course))
        opens_on = locks.get(lesson.module_id)
        if not outline.modules or outline.modules[-1].module.pk != lesson.module_id:
            outline.modules.append(ModuleEntry(module=lesson.module, opens_on=opens_on))
        row = progress.get(lesson.pk)
        status = NOT_STARTED if row is None else DONE if row.is_complete else IN_PROGRESS
        outline.modules[-1].lessons.append(
            LessonEntry(lesson=lesson, status=status, opens_on=opens_on)
        )
    for outline in outlines.values():
        outline.resume = _resume_point(outline, progress)
    return list(outlines.values())


def _resume_point(outline, progress):
    """
    The lesson to continue with: the last one opened and not finished, else the first undone;
    never one that is still locked.
    """
    unfinished = [
        entry for entry in outline.lessons if entry.status != DONE and not entry.is_locked
    ]
    if not unfinished:
        return None
    in_progress = [entry for entry in unfinished if entry.status == IN_PROGRESS]
    if in_progress:
        return max(in_progress, key=lambda entry: progress[entry.lesson.pk].last_seen_at)
    return unfinished[0]


def circle_links(outline):
    """Where each part of the circle diagram leads: the first lesson about it in the outline."""
    links = {}
    if outline is None:
        return links
    base = outline.course.get_absolute_url()
    for entry in outline.lessons:
        links.setdefault(entry.lesson.circle_place, f"{base}#lesson-{entry.lesson.slug}")
    return links


# Short names for the principles, to fit under their rings on the diagram; the text alternative
# next to the diagram gives the full names.
PRINCIPLE_SHORT_NAMES = {
    Principle.HUMAN_LIMITATIONS: _("Limits"),
    Principle.TEACHING_RESILIENCE: _("Resilience"),
    Principle.ENCOURAGING_INDEPENDENCE: _("Independence"),
    Principle.REPAIRING_RELATIONSHIP: _("Repair"),
    Principle.CONSISTENCY_OVER_PERFECTION: _("Consistency"),
}
# The parts of the circle by their own names ("Exploration"), without the place in brackets
# that CirclePlace's labels carry for the admin.
PLACE_NAMES = {
    CirclePlace.EXPLORATION: _("Exploration"),
    CirclePlace.SAFE_HAVEN: _("Safe Haven"),
    CirclePlace.HANDS: _("The hands"),
}


@dataclass
class CirclePart(LessonCounts):
    """One part of the circle (a half, the hands or a principle) and the lessons teaching it."""

    key: str
    label: str
    short_label: str
    lessons: list = field(default_factory=list)

    @property
    def state_key(self):
        """What the part's line under the picture shows: each lesson's status and opening day."""
        return (
            self.key,
            tuple((entry.lesson.pk, entry.status, entry.opens_on) for entry in self.lessons),
        )

    @property
    def link_entry(self):
        """The next lesson to read about this part: the first open one not done, else the first."""
        open_lessons = [entry for entry in self.lessons if not entry.is_locked]
        for entry in open_lessons:
            if entry.status != DONE:
                return entry
        return open_lessons[0] if open_lessons else None

    @property
    def link(self):
        entry = self.link_entry
        return entry.lesson.get_absolute_url() if entry else ""

    @property
    def summary(self):
        if not self.total:
            return gettext("no lessons yet")
        return ngettext(
            "%(done)d of %(total)d lesson done", "%(done)d of %(total)d lessons done", self.total
        ) % {"done": self.done, "total": self.total}


@dataclass
class CircleMap:
    """A parent's progress around the circle, for the diagram and its text alternative."""

    course: object
    exploration: CirclePart
    safe_haven: CirclePart
    hands: CirclePart
    principles: list

    @property
    def places(self):
        return [self.exploration, self.safe_haven, self.hands]

    @property
    def picture_key(self):
        """What the picture shows (each part's counts and link), for caching its HTML."""
        return (
            self.course.pk,
            self.course.content_version,
            tuple(
                (part.key, part.done, part.total, entry.lesson.pk if entry else None)
                for part in self.parts
                for entry in [part.link_entry]
            ),
        )

    @property
    def parts(self):
        return [*self.places, *self.principles]

    @property
    def description(self):
        """The same numbers as the picture, in words, for screen readers."""
        halves = "; ".join(
            gettext("%(part)s: %(summary)s") % {"part": part.label, "summary": part.summary}
            for part in self.places
        )
        principles = "; ".join(
            gettext("%(part)s: %(summary)s") % {"part": part.label, "summary": part.summary}
            for part in self.principles
        )
        return gettext("Your progress. %(halves)s. The five principles: %(principles)s.") % {
            "halves": halves,
            "principles": principles,
        }


def circle_map(outline):
    """
    Sort the outline's lessons onto the circle: by place (the halves, the hands) and by
    principle. Works on the outline already built, so it runs no queries.
    """
    if outline is None:
        return None
    places = {
        place: CirclePart(key=place, label=str(name), short_label=str(name))
        for place, name in PLACE_NAMES.items()
    }
    principles = {
        value: CirclePart(
            key=value, label=str(label), short_label=str(PRINCIPLE_SHORT_NAMES[value])
        )
        for value, label in Principle.choices
    }
    for entry in outline.lessons:
        if entry.lesson.circle_place in places:
            places[entry.lesson.circle_place].lessons.append(entry)
        if entry.lesson.principle in principles:
            principles[entry.lesson.principle].lessons.append(entry)
    return CircleMap(
        course=outline.course,
        exploration=places[CirclePlace.EXPLORATION],
        safe_haven=places[CirclePlace.SAFE_HAVEN],
        hands=places[CirclePlace.HANDS],
        principles=list(principles.values()),
    )
