"""
What this app's includes on courses' pages need, fetched by the includes themselves, so the
courses views stay untouched and never import this app (templates/outcomes/includes/).
"""

from django import template
from django.utils import timezone

from courses.models import Certificate
from outcomes.checkins import checkin_from_course, moment_offered, state_of
from outcomes.models import Checkin, Moment

register = template.Library()


def _finished_on(context, user, course_id):
    """
    The day the parent finished the course (their certificate's). The course page and the
    dashboard have read the parent's certificates already ("certificate", "certificates"), so
    it is taken from there; elsewhere it is one query.
    """
    if "certificate" in context or "certificates" in context:
        known = [context.get("certificate"), *(context.get("certificates") or [])]
        for certificate in known:
            if certificate is not None and certificate.course_id == course_id:
                return certificate.completed_on
        return None
    return (
        Certificate.objects.filter(user=user, course_id=course_id)
        .values_list("completed_on", flat=True)
        .first()
    )


def _checkin_and_state(user, course):
    try:
        return checkin_from_course(course)
    except KeyError:  # a page that read its course without courses.progress.COURSE_ANNOTATIONS
        checkin = Checkin.objects.published().with_state_of(user).filter(course=course).first()
        return checkin, state_of(checkin) if checkin else None


@register.simple_tag(takes_context=True)
def course_checkin(context, course):
    """The course's published check-in, or None (no query where the course row carries it)."""
    user = context.get("user")
    if course is None or user is None or not user.is_authenticated:
        return None
    return _checkin_and_state(user, course)[0]


@register.simple_tag(takes_context=True)
def checkin_prompt(context, outline):
    """
    The check-in moment to offer on a card beside this course outline, as a dict, or None.
    No query on the dashboard and course page, whose course rows carry the parent's check-in
    state (outcomes/apps.py adds it to courses.progress.COURSE_ANNOTATIONS); elsewhere one,
    and one more for the follow-up's date where the page has not read the certificates.
    """
    user = context.get("user")
    if outline is None or user is None or not user.is_authenticated:
        return None
    checkin, state = _checkin_and_state(user, outline.course)
    if checkin is None:
        return None
    finished_on = None
    if outline.is_complete and checkin.follow_up_weeks:
        finished_on = _finished_on(context, user, outline.course.pk)
    moment = moment_offered(
        checkin=checkin,
        state=state,
        done=outline.done,
        total=outline.total,
        finished_on=finished_on,
        today=timezone.localdate(),
    )
    if moment is None:
        return None
    return {"checkin": checkin, "course": outline.course, "moment": Moment(moment)}


@register.filter
def with_next_session(plans):
    """
    The dashboard's groups with a session planned from today on, soonest first (their next
    session is read with the groups: outcomes/sessions.py next_session_annotations).
    """
    groups = [plan.group for plan in plans or () if getattr(plan.group, "next_session_date", None)]
    return sorted(groups, key=lambda group: (group.next_session_date, group.name))
