"""
What this app's includes on courses' pages need, fetched by the includes themselves, so the
courses views stay untouched and never import this app (templates/outcomes/includes/).
"""

from django import template
from django.utils import timezone

from courses.models import Certificate
from outcomes.checkins import moment_offered, parent_checkins
from outcomes.models import Checkin, Moment

register = template.Library()


@register.simple_tag(takes_context=True)
def checkin_prompt(context, outline):
    """
    The check-in moment to offer on a card beside this course outline, as a dict, or None.
    Two queries (three once the course is finished, for the follow-up's date).
    """
    user = context.get("user")
    if outline is None or user is None or not user.is_authenticated:
        return None
    checkin = Checkin.objects.filter(course_id=outline.course.pk, is_published=True).first()
    if checkin is None:
        return None
    finished_on = None
    if outline.is_complete and checkin.follow_up_weeks:
        finished_on = (
            Certificate.objects.filter(user=user, course_id=outline.course.pk)
            .values_list("completed_on", flat=True)
            .first()
        )
    moment = moment_offered(
        checkin=checkin,
        state=parent_checkins(user=user, checkin=checkin),
        done=outline.done,
        total=outline.total,
        finished_on=finished_on,
        today=timezone.localdate(),
    )
    if moment is None:
        return None
    return {"checkin": checkin, "course": outline.course, "moment": Moment(moment)}
