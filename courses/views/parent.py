"""Pages for parents (and, for the catalogue and course outline, for visitors)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import get_course_for_visitor, get_lesson_for_parent
from courses.assignments import parent_plans
from courses.certificates import certificate_issue_if_earned, certificates_of
from courses.checks import lesson_questions
from courses.content_cache import course_glossary, course_lessons, lesson_body_html
from courses.forms import PracticeNoteForm, ReflectionForm
from courses.journal import practice_notes_on, reflection_set_audience
from courses.lesson_page import lesson_extras_context
from courses.progress import (
    build_outlines,
    circle_links,
    circle_map,
    course_outline,
    progress_mark_complete,
    progress_mark_incomplete,
    progress_record_visit,
)
from courses.translation import tr_marked

# Message tags: shown in the lesson's progress box (templates/courses/lesson.html) rather than
# with the other messages (templates/includes/messages.html).
LESSON_PROGRESS = "lesson-progress"
COURSE_FINISHED = "course-finished"


def catalogue(request):
    outlines = build_outlines(request.user)
    return render(request, "courses/catalogue.html", {"outlines": outlines})


def course(request, course_slug):
    course = get_course_for_visitor(course_slug, user=request.user)
    outline = course_outline(
        request.user, course, locks=parent_plans(user=request.user, course=course).locks
    )
    return render(
        request,
        "courses/course.html",
        {
            "outline": outline,
            # Read with the course row (courses.progress.published_courses).
            "has_certificate": getattr(course, "has_certificate", False),
            # Read with the outline's lessons (courses/content_cache.py): no query of its own.
            "glossary": course_glossary(course),
            **circle_context(request.user, outline),
        },
    )


def circle_context(user, outline):
    """What the circle diagram include needs: plain links for visitors, the map for parents."""
    return {
        "circle_links": circle_links(outline),
        "circle_map": circle_map(outline) if user.is_authenticated else None,
    }


def lesson_page_context(lesson, siblings, *, user, body_html):
    """
    What the lesson page shows besides the parent's own records; shared with the preview.
    `siblings` are the course's lessons in order as (slug, Lesson); `body_html` is the
    lesson's body with its glossary links (courses/glossary.py).
    """
    slugs = [slug for slug, _ in siblings]
    if lesson.slug not in slugs:
        # Only if the lesson was unpublished between reading it and reading its course's list
        # (an edit at that very moment): show it on its own rather than fail.
        siblings, slugs = [(lesson.slug, lesson)], [lesson.slug]
    index = slugs.index(lesson.slug)

    def neighbour(at):
        """(slug, title as safe HTML): a lesson's title in the page's language, marked
        lang="en-GB" when it is still in English; worked out for the two neighbours only."""
        if not 0 <= at < len(siblings):
            return None
        slug, other = siblings[at]
        return slug, tr_marked(other, "title")

    return {
        "lesson": lesson,
        "course": lesson.module.course,
        "previous": neighbour(index - 1),
        "next": neighbour(index + 1),
        "position": index + 1,
        "count": len(siblings),
        "lesson_url_name": "courses:lesson",
        **lesson_extras_context(lesson, user, body_html=body_html),
    }


@login_required
def lesson(request, course_slug, lesson_slug):
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug, with_own_records=True)
    return render_lesson_page(request, lesson)


def render_lesson_page(request, lesson, *, reflection_form=None, note_form=None):
    """
    The lesson page. The views that save a reflection or a practice note render it again with
    their bound form when the input needs fixing, so nothing the parent typed is lost.
    `lesson` comes from get_lesson_for_parent(..., with_own_records=True), which has already
    refused a lesson the parent may not open.
    """
    lessons = course_lessons(lesson.module.course)
    siblings = [(other.slug, other) for other in lessons]
    progress = progress_record_visit(
        user=request.user, lesson=lesson, progress=lesson.own_progress(request.user)
    )
    reflection = lesson.own_reflection(request.user)
    if reflection is not None:
        reflection_set_audience(reflection, lesson.group_names)
    if reflection_form is None:
        reflection_form = ReflectionForm(initial={"text": reflection.text if reflection else ""})
    context = lesson_page_context(
        lesson, siblings, user=request.user, body_html=lesson_body_html(lesson)
    )
    return render(
        request,
        "courses/lesson.html",
        {
            **context,
            "next_opens_on": _opens_on(context["next"], lessons, lesson.module_locks),
            "progress": progress,
            "reflection": reflection,
            "reflection_form": reflection_form,
            "questions": lesson_questions(user=request.user, lesson=lesson),
            "notes": practice_notes_on(user=request.user, lesson=lesson),
            "note_form": note_form or PracticeNoteForm(),
        },
    )


def _opens_on(entry, lessons, locks):
    """The day the lesson `entry` (slug, title) opens for the parent, or None if it is open."""
    if entry is None:
        return None
    module_id = next((other.module_id for other in lessons if other.slug == entry[0]), None)
    return locks.get(module_id)


@login_required
@require_POST
def lesson_complete(request, course_slug, lesson_slug):
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug)
    choice = request.POST.get("complete")
    # Tagged to show in the page's "Your progress" box, where the redirect lands
    # (templates/courses/lesson.html), not at the top of the page, scrolled out of sight.
    if choice == "yes":
        progress_mark_complete(user=request.user, lesson=lesson)
        course = lesson.module.course
        # One query while lessons remain (certificate_issue_if_earned checks that first).
        if certificate_issue_if_earned(user=request.user, course=course):
            messages.success(
                request,
                _("You have finished every lesson of %(course)s. Your certificate is ready.")
                % {"course": course.tr("title")},
                extra_tags=f"{LESSON_PROGRESS} {COURSE_FINISHED}",
            )
        else:
            messages.success(
                request,
                _("Lesson marked as done. Well done for making the time."),
                extra_tags=LESSON_PROGRESS,
            )
    elif choice == "no":
        progress_mark_incomplete(user=request.user, lesson=lesson)
        messages.info(
            request,
            _("Lesson marked as not done yet. It is still here when you are ready."),
            extra_tags=LESSON_PROGRESS,
        )
    else:
        messages.error(
            request,
            _("Something went wrong with that button. Please try again."),
            extra_tags=LESSON_PROGRESS,
        )
    return redirect(lesson.get_absolute_url() + "#progress")


@login_required
def dashboard(request):
    # The plans give the locks the outlines need; the outlines then number the plans' modules
    # the way the course page does ("Module 2").
    found = parent_plans(user=request.user, with_extras=True)
    plans = found.plans
    outlines = build_outlines(request.user, locks=found.locks)
    numbered = {
        entry.module.pk: (number, entry)
        for outline in outlines
        for number, entry in enumerate(outline.modules, start=1)
    }
    for plan in plans:
        for notice in plan.notices:
            notice.number, notice.progress = numbered.get(notice.module.pk, (None, None))
    started = [outline for outline in outlines if outline.started]
    current = started[0] if started else (outlines[0] if outlines else None)
    return render(
        request,
        "courses/dashboard.html",
        {
            "outlines": outlines,
            "current": current,
            "plans": plans,
            "certificates": certificates_of(request.user),
            **circle_context(request.user, current),
        },
    )
