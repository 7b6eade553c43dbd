"""
The one way to look up a group for a person. Each helper scopes the lookup through the
person's own relation to groups and answers 404 (Http404) to everyone else, so a view cannot
forget the check and an outsider cannot even learn that a group exists.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from accounts.models import ParentGroup


def get_group_for_facilitator(user, pk):
    """A group this person facilitates (archived or not); 404 for anyone else."""
    return get_object_or_404(
        ParentGroup.objects.for_facilitator(user).select_related("course"), pk=pk
    )


def get_group_for_member(user, pk):
    """An active group this parent belongs to; 404 for anyone else."""
    return get_object_or_404(
        ParentGroup.objects.active().for_member(user).select_related("course"), pk=pk
    )


def group_view(methods=("GET",)):
    """
    For a view about one group, run by its facilitators: logged in, an allowed method, and the
    group through get_group_for_facilitator (404 to anyone else), passed in place of its pk.
    """

    def decorator(view):
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            group = get_group_for_facilitator(request.user, pk)
            return view(request, group, *args, **kwargs)

        return wrapper

    return decorator
