"""
The one way to look up this app's objects for a person; each answers 404 (Http404) to
everyone else, so a view cannot forget the check.

A parent's check-in answers are reached only through `get_checkin_for_parent` and the parent's
own user: no helper here, and so no page, reads one parent's answers for anyone else.
Everything about a group goes through accounts.access.get_group_for_facilitator first.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.access import get_course_for_visitor
from courses.models import Course, Module
from outcomes.models import Checkin, GroupSession, Moment


def get_checkin_for_parent(user, course_slug):
    """The published check-in of a published course, for a signed-in parent."""
    if not user.is_authenticated:
        raise ValueError("get_checkin_for_parent needs a signed-in user; guard the view.")
    course = get_course_for_visitor(course_slug)
    return get_object_or_404(
        Checkin.objects.select_related("course"), course=course, is_published=True
    )


def get_moment(checkin, moment):
    if moment not in checkin.moments:
        raise Http404("No such check-in moment.")
    return Moment(moment)


def get_session_for_group(group, pk):
    """A session of this group (already checked with get_group_for_facilitator)."""
    return get_object_or_404(GroupSession.objects.select_related("module"), pk=pk, group=group)


def get_module_for_group(group, pk):
    """A published module of the group's course that has a session guide."""
    return get_object_or_404(
        Module.objects.published().select_related("session_guide", "course"),
        pk=pk,
        course_id=group.course_id,
        session_guide__isnull=False,
    )


def get_course_for_staff(user, slug):
    """Any course, for active staff; 404 for everyone else."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404("No such page.")
    return get_object_or_404(Course, slug=slug)
