"""
A parent's check-ins: the consent screen, the statements, "not now", their own before and after,
and deleting their answers. Every page is the parent's own; nobody else opens their answers.
Nothing here ever stands in the way of a lesson.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.content_cache import course_lessons
from courses.models import Certificate, LessonProgress
from outcomes.access import get_checkin_for_parent, get_moment
from outcomes.checkins import (
    checkin_current_version,
    checkin_decline,
    checkin_shown,
    moment_open,
    own_results,
    parent_checkins,
    response_save,
    responses_delete,
    scale_shown,
)
from outcomes.models import CheckinVersion, Moment


def course_position(*, user, course):
    """(lessons done, lessons in the course, the day they finished or None): two queries."""
    lesson_ids = [lesson.pk for lesson in course_lessons(course)]
    done = LessonProgress.objects.filter(
        user=user, lesson_id__in=lesson_ids, completed_at__isnull=False
    ).count()
    finished = (
        Certificate.objects.filter(user=user, course=course)
        .values_list("completed_on", flat=True)
        .first()
    )
    return done, len(lesson_ids), finished


def _open_moments(user, checkin):
    state = parent_checkins(user=user, checkin=checkin)
    done, total, finished = course_position(user=user, course=checkin.course)
    today = timezone.localdate()
    open_now = [
        moment
        for moment in checkin.moments
        if moment_open(
            moment=moment,
            checkin=checkin,
            state=state,
            done=done,
            total=total,
            finished_on=finished,
            today=today,
        )
    ]
    return state, open_now


def _mine(checkin):
    return redirect("outcomes:my-checkins", course_slug=checkin.course.slug)


def _ready(request, course_slug, moment):
    """The check-in and moment if the parent may answer it now, else a redirect to explain."""
    checkin = get_checkin_for_parent(request.user, course_slug)
    moment = get_moment(checkin, moment)
    state, open_now = _open_moments(request.user, checkin)
    if moment in state.answered:
        messages.info(request, _("You have answered this check-in already. Thank you."))
        return checkin, moment, _mine(checkin)
    if moment not in open_now:
        messages.info(request, _("This check-in is not open yet. We will let you know when it is."))
        return checkin, moment, _mine(checkin)
    return checkin, moment, None


@login_required
def checkin_intro(request, course_slug, moment):
    checkin, moment, elsewhere = _ready(request, course_slug, moment)
    if elsewhere:
        return elsewhere
    return render(
        request,
        "outcomes/checkin_intro.html",
        {
            "checkin": checkin,
            "moment": moment,
            "statements": checkin.statements.count(),
            "scale": scale_shown(checkin=checkin, labels=checkin.scale),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_answer(request, course_slug, moment):
    checkin, moment, elsewhere = _ready(request, course_slug, moment)
    if elsewhere:
        return elsewhere
    version = checkin_current_version(checkin=checkin)
    error = None
    if request.method == "POST":
        # The answers are checked against the statements the parent was shown, even if an
        # admin changed them meanwhile.
        shown = CheckinVersion.objects.filter(
            checkin=checkin, pk=_digits(request.POST.get("version"))
        ).first()
        try:
            response_save(
                user=request.user,
                checkin=checkin,
                moment=moment,
                data=request.POST,
                version=shown or version,
            )
        except ValidationError as problem:
            error = problem.messages[0]
            version = shown or version
        else:
            messages.success(
                request, _("Thank you. Your answers are saved, and only you see them.")
            )
            return _mine(checkin)
    shown = checkin_shown(checkin=checkin, content=version.content)
    statements = [
        {
            **statement,
            "number": number,
            "chosen": _digits(request.POST.get(statement["key"])) if error else None,
        }
        for number, statement in enumerate(shown["statements"], start=1)
    ]
    return render(
        request,
        "outcomes/checkin_answer.html",
        {
            "checkin": checkin,
            "moment": moment,
            "version": version,
            "statements": statements,
            "scale": list(enumerate(shown["scale"], start=1)),
            "scale_labels": shown["scale"],
            "error": error,
        },
        status=400 if error else 200,
    )


def _digits(value):
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@login_required
@require_POST
def checkin_skip(request, course_slug, moment):
    checkin = get_checkin_for_parent(request.user, course_slug)
    moment = get_moment(checkin, moment)
    checkin_decline(user=request.user, checkin=checkin, moment=moment)
    messages.info(
        request,
        _("No problem. If you change your mind, the check-in is under “My check-ins”."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = checkin.course.get_absolute_url()
    return redirect(target)


@login_required
def my_checkins(request, course_slug):
    checkin = get_checkin_for_parent(request.user, course_slug)
    state, open_now = _open_moments(request.user, checkin)
    themes, responses = own_results(user=request.user, checkin=checkin)
    answered = [Moment(moment) for moment in checkin.moments if moment in responses]
    return render(
        request,
        "outcomes/my_checkins.html",
        {
            "checkin": checkin,
            "themes": themes,
            "responses": responses,
            "theme_rows": [
                (theme.title, theme.lang, [theme.scores.get(moment) for moment in answered])
                for theme in themes
            ],
            "answered_moments": answered,
            "open_now": [Moment(moment) for moment in open_now],
            "withdrawn": state.withdrawn,
            "scale_max": len(checkin.scale),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_delete(request, course_slug):
    checkin = get_checkin_for_parent(request.user, course_slug)
    if request.method == "POST":
        withdraw = request.POST.get("action") == "withdraw"
        responses_delete(user=request.user, checkin=checkin, withdraw=withdraw)
        if withdraw:
            messages.success(
                request, _("Your check-in answers are deleted, and we will not ask again.")
            )
            return redirect(checkin.course.get_absolute_url())
        messages.success(request, _("Your check-in answers are deleted."))
        return _mine(checkin)
    return render(
        request,
        "outcomes/checkin_delete.html",
        {"checkin": checkin, "cancel_url": reverse("outcomes:my-checkins", args=[course_slug])},
    )
