"""
The vocabulary of a lesson's fields beyond its words, and the rules on them that the loader and
the lesson form both apply: the child's needs on the circle (in the framework's own words, and
from the lesson's own half), the ages a lesson has an example for, and the slugs no lesson may
take. Kept apart from models.py so the rules read in one place.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildAge


class CircleNeed(models.TextChoices):
    """What a child needs on the circle, in the framework's own words (see seed/README.md)."""

    WATCH_OVER_ME = "watch_over_me", _("Watch over me")
    DELIGHT_IN_ME = "delight_in_me", _("Delight in me")
    HELP_ME = "help_me", _("Help me")
    ENJOY_WITH_ME = "enjoy_with_me", _("Enjoy with me")
    PROTECT_ME = "protect_me", _("Protect me")
    COMFORT_ME = "comfort_me", _("Comfort me")
    ORGANISE_MY_FEELINGS = "organise_my_feelings", _("Organise my feelings")


# The top half ("support my exploration") and the bottom ("welcome my coming to you"); delight
# in me is on both.
TOP_NEEDS = ("watch_over_me", "delight_in_me", "help_me", "enjoy_with_me")
BOTTOM_NEEDS = ("protect_me", "comfort_me", "delight_in_me", "organise_my_feelings")
# By CirclePlace value (models.py imports this module, so not the other way round).
NEEDS_BY_PLACE = {
    "exploration": TOP_NEEDS,
    "safe_haven": BOTTOM_NEEDS,
    "hands": (),
    "whole": tuple(CircleNeed.values),
}

# A lesson's example for each age a parent can pick (accounts.ChildAge), by field name.
AGE_EXAMPLE_FIELDS = {
    ChildAge.BABY: "example_baby",
    ChildAge.TODDLER: "example_toddler",
    ChildAge.SCHOOL_AGE: "example_school_age",
}


def circle_needs_problem(needs, place=None):
    """
    Why `needs` is not a valid list of needs (for a lesson at `place`, if given), or "".
    Needs come from CircleNeed, once each, and from the lesson's own half of the circle.
    """
    if not isinstance(needs, list) or not all(isinstance(need, str) for need in needs):
        return _("The needs on the circle must be a list of names.")
    unknown = [need for need in needs if need not in CircleNeed.values]
    if unknown:
        return _("Unknown need on the circle: %(needs)s. Use %(known)s.") % {
            "needs": ", ".join(unknown),
            "known": ", ".join(CircleNeed.values),
        }
    if len(set(needs)) != len(needs):
        return _("Each need on the circle is named once.")
    if place in NEEDS_BY_PLACE:
        elsewhere = [need for need in needs if need not in NEEDS_BY_PLACE[place]]
        if place == "hands" and elsewhere:
            return _("A lesson on the hands has no needs of its own; leave the needs empty.")
        if elsewhere:
            labels = dict(CircleNeed.choices)
            return _("%(needs)s is not on this lesson's half of the circle.") % {
                "needs": ", ".join(str(labels[need]) for need in elsewhere)
            }
    return ""


def validate_circle_needs(value):
    problem = circle_needs_problem(value)
    if problem:
        raise ValidationError(problem)


# Course pages whose address would hide a lesson with this slug (courses/urls.py).
RESERVED_LESSON_SLUGS = ("certificate", "glossary")


def reserved_slug_problem(slug):
    if slug in RESERVED_LESSON_SLUGS:
        return _("'%(slug)s' is the address of a course page; give the lesson another slug.") % {
            "slug": slug
        }
    return ""
