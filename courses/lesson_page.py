"""
What a lesson page shows beside the lesson's own words: its examples for each age (the age the
parent picked first), and where it sits on the circle, in a picture and in words. Shared by
the parent's lesson page and the staff preview, so both show the same thing. No queries: the
lesson and the signed-in user are already loaded.
"""

from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import ChildAgeForm
from accounts.models import ChildAge
from courses.content_cache import course_glossary
from courses.lesson_fields import AGE_EXAMPLE_FIELDS, BOTTOM_NEEDS, TOP_NEEDS, CircleNeed
from courses.models import CirclePlace


@dataclass
class AgeExample:
    age: str  # a ChildAge value
    label: str
    text: str
    is_chosen: bool = False


def lesson_age_examples(lesson, child_age=""):
    """The lesson's examples that are written, in age order, with the parent's age first."""
    examples = [
        AgeExample(age=age.value, label=age.label, text=text, is_chosen=age == child_age)
        for age, name in AGE_EXAMPLE_FIELDS.items()
        if (text := lesson.tr(name))
    ]
    return sorted(examples, key=lambda example: not example.is_chosen)


# Where the words sit in the picture (templates/courses/lesson_extras.html#circle): one row per
# need, top half from the top down, bottom half from the middle down.
TOP_ROWS = (86, 106, 126, 146)
BOTTOM_ROWS = (184, 204, 224, 244)

PLACE_WORDS = {
    CirclePlace.EXPLORATION: gettext_lazy(
        "the top of the circle, where your child goes out to explore"
    ),
    CirclePlace.SAFE_HAVEN: gettext_lazy(
        "the bottom of the circle, where your child comes back to you"
    ),
    CirclePlace.HANDS: gettext_lazy("the hands on the circle: you, holding both halves"),
    CirclePlace.WHOLE: gettext_lazy("the whole circle"),
}


@dataclass
class NeedLabel:
    need: str
    label: str
    y: int
    is_here: bool


@dataclass
class LessonCircle:
    """The small circle in a lesson: which part is lit, which needs, and the same in words."""

    place: str
    top: list = field(default_factory=list)
    bottom: list = field(default_factory=list)
    description: str = ""

    @property
    def top_is_here(self):
        return self.place in (CirclePlace.EXPLORATION, CirclePlace.WHOLE)

    @property
    def bottom_is_here(self):
        return self.place in (CirclePlace.SAFE_HAVEN, CirclePlace.WHOLE)

    @property
    def hands_are_here(self):
        return self.place in (CirclePlace.HANDS, CirclePlace.WHOLE)


def lesson_circle(lesson):
    needs = set(lesson.circle_needs or [])
    labels = dict(CircleNeed.choices)
    place = lesson.circle_place
    # Delight in me sits on both halves: it lights up on the half the lesson is about.
    top_lit = place in (CirclePlace.EXPLORATION, CirclePlace.WHOLE)
    bottom_lit = place in (CirclePlace.SAFE_HAVEN, CirclePlace.WHOLE)
    top = [
        NeedLabel(need, str(labels[need]), y, top_lit and need in needs)
        for need, y in zip(TOP_NEEDS, TOP_ROWS, strict=True)
    ]
    bottom = [
        NeedLabel(need, str(labels[need]), y, bottom_lit and need in needs)
        for need, y in zip(BOTTOM_NEEDS, BOTTOM_ROWS, strict=True)
    ]
    named = [str(labels[need]).lower() for need in CircleNeed.values if need in needs]
    where = PLACE_WORDS.get(place, PLACE_WORDS[CirclePlace.WHOLE])
    if named:
        description = _("This lesson is about %(place)s: %(needs)s.") % {
            "place": where,
            "needs": ", ".join(named),
        }
    else:
        description = _("This lesson is about %(place)s.") % {"place": where}
    return LessonCircle(place=place, top=top, bottom=bottom, description=description)


def lesson_extras_context(lesson, user, *, body_html):
    """
    The lesson page's context for templates/courses/lesson_extras.html. The parts are
    callables, which the template calls when it renders them: on the lesson page that is only
    when its shared fragment is rendered (circle/fragments.py), not on every request.
    """
    child_age = getattr(user, "child_age", "") or ""
    return {
        "body_html": body_html,
        "age_examples": partial(lesson_age_examples, lesson, child_age),
        "child_age": child_age,
        "child_age_label": dict(ChildAge.choices).get(child_age, ""),
        "child_age_form": partial(
            ChildAgeForm, initial={"child_age": child_age or ChildAgeForm.ALL}
        ),
        "lesson_circle": partial(lesson_circle, lesson),
        # Read with the course's lessons (courses/content_cache.py): no query of its own.
        "glossary": partial(course_glossary, lesson.module.course),
    }
