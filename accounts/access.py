"""
The one way to look up a group for a person. Each helper scopes the lookup through the
person's own relation to groups and answers 404 (Http404) to everyone else, so a view cannot
forget the check and an outsider cannot even learn that a group exists.
"""

from django.shortcuts import get_object_or_404

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
