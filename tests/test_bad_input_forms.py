"""
Generated input against every form of the parent and facilitator pages, and tampered ids in
every URL that names an object: never a 500, foreign or unknown ids answer 404, over-long text
is refused with a message, and nothing is lost or changed by a refused form.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import ParentGroup
from courses.models import Lesson, PracticeNote, Reflection
from tests.conftest import logged_in
from tests.factories import (
    ChoiceFactory,
    MembershipFactory,
    ParentGroupFactory,
    PracticeNoteFactory,
    ReflectionFactory,
)

PLAN_FIELDS = ("planned", "opens_on", "due_on")

pytestmark = pytest.mark.django_db

RELAXED = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(max_size=400)
ids = st.integers(min_value=-(2**31), max_value=2**31 - 1)


@pytest.fixture
def place(course, parent, second_parent, facilitator):
    lesson = Lesson.objects.get(slug="one")
    group = ParentGroupFactory(course=course, facilitators=[facilitator])
    MembershipFactory(group=group, user=parent)
    return {
        "lesson": lesson,
        "group": group,
        "question": ChoiceFactory(question__lesson=lesson, is_correct=True).question,
        "reflection": ReflectionFactory(user=parent, lesson=lesson, text="Mine alone."),
        "note": PracticeNoteFactory(user=parent, lesson=lesson),
        "parent": logged_in(parent),
        "facilitator": logged_in(facilitator),
        "outsider": logged_in(second_parent),
    }


LESSON = {"course_slug": "circle", "lesson_slug": "one"}

# (who posts, URL name, its arguments from the place, the form's fields)
FORMS = [
    ("parent", "accounts:join", lambda p: {}, ["code"]),
    ("parent", "courses:reflection-save", lambda p: LESSON, ["text"]),
    (
        "parent",
        "courses:practice-note-add",
        lambda p: LESSON,
        ["key", "noted_on", "tried", "happened"],
    ),  # noqa: E501
    (
        "parent",
        "courses:practice-note-edit",
        lambda p: {"pk": p["note"].pk},
        ["noted_on", "tried", "happened"],
    ),  # noqa: E501
    ("parent", "courses:question-answer", lambda p: {**LESSON, "pk": p["question"].pk}, ["choice"]),  # noqa: E501
    (
        "parent",
        "courses:reflection-share",
        lambda p: {"pk": p["reflection"].pk},
        ["shared", "next"],
    ),  # noqa: E501
    ("parent", "accounts:delete", lambda p: {}, ["password"]),
    ("facilitator", "accounts:facilitator-group-new", lambda p: {}, ["name", "course"]),
    ("facilitator", "accounts:facilitator-group-name", lambda p: {"pk": p["group"].pk}, ["name"]),
    ("facilitator", "accounts:facilitator-group-code", lambda p: {"pk": p["group"].pk}, ["action"]),
    (
        "facilitator",
        "accounts:facilitator-invite",
        lambda p: {"pk": p["group"].pk},
        ["invite-email"],
    ),  # noqa: E501
    (
        "facilitator",
        "accounts:facilitator-cofacilitator",
        lambda p: {"pk": p["group"].pk},
        ["cofacilitator-email"],
    ),  # noqa: E501
    (
        "facilitator",
        "courses:facilitator-assignments",
        lambda p: {"pk": p["group"].pk},
        # The plan form's fields carry each module's prefix.
        lambda p: [
            f"m{p['lesson'].module_id}-{name}" for name in ("planned", "opens_on", "due_on")
        ],
    ),  # noqa: E501
]


@pytest.mark.parametrize(("who", "name", "kwargs", "fields"), FORMS, ids=[f[1] for f in FORMS])
def test_every_form_survives_any_input(place, who, name, kwargs, fields):
    url = reverse(name, kwargs=kwargs(place))
    browser = place[who]
    fields = fields(place) if callable(fields) else fields

    @RELAXED
    @given(values=st.lists(text, min_size=len(fields), max_size=len(fields)))
    def post_anything(values):
        response = browser.post(url, dict(zip(fields, values, strict=True)))
        assert response.status_code < 500, (name, values)
        if response.status_code in (301, 302):
            # Wherever a form sends people on to, it is this site (no open redirects).
            assert response["Location"].startswith("/"), response["Location"]
            assert not response["Location"].startswith("//")

    post_anything()
    # The parent's own words survive every refused attempt.
    assert Reflection.objects.filter(pk=place["reflection"].pk).exists()


# (URL name, its arguments with a tampered id)
OBJECT_URLS = [
    ("courses:reflection-share", "post", lambda i: {"pk": i}),
    ("courses:reflection-delete", "get", lambda i: {"pk": i}),
    ("courses:practice-note-edit", "get", lambda i: {"pk": i}),
    ("courses:practice-note-delete", "get", lambda i: {"pk": i}),
    ("courses:question-answer", "post", lambda i: {**LESSON, "pk": i}),
    ("accounts:facilitator-group", "get", lambda i: {"pk": i}),
    ("courses:facilitator-report", "get", lambda i: {"pk": i}),
    ("courses:facilitator-report-csv", "get", lambda i: {"pk": i}),
    ("accounts:leave", "get", lambda i: {"pk": i}),
]


@pytest.mark.parametrize(("name", "method", "kwargs"), OBJECT_URLS, ids=[u[0] for u in OBJECT_URLS])
def test_tampered_ids_answer_404(place, name, method, kwargs):
    own = {place["reflection"].pk, place["note"].pk, place["question"].pk, place["group"].pk}

    @RELAXED
    @given(pk=ids.filter(lambda pk: pk not in own and pk >= 0))
    def tamper(pk):
        response = getattr(place["parent"], method)(reverse(name, kwargs=kwargs(pk)))
        assert response.status_code == 404

    tamper()


def test_an_outsider_cannot_reach_another_parents_records_by_id(place):
    outsider = place["outsider"]
    reflection, note = place["reflection"], place["note"]
    for url in [
        reverse("courses:reflection-delete", args=[reflection.pk]),
        reverse("courses:practice-note-edit", args=[note.pk]),
        reverse("courses:practice-note-delete", args=[note.pk]),
    ]:
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {"tried": "x", "noted_on": "2020-01-01"}).status_code == 404
    assert (
        outsider.post(
            reverse("courses:reflection-share", args=[reflection.pk]), {"shared": "yes"}
        ).status_code
        == 404
    )
    reflection.refresh_from_db()
    assert not reflection.shared and PracticeNote.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize(
    ("who", "name", "kwargs", "field", "limit"),
    [
        ("parent", "courses:reflection-save", lambda p: LESSON, "text", 5000),
        (
            "facilitator",
            "accounts:facilitator-group-name",
            lambda p: {"pk": p["group"].pk},
            "name",
            120,
        ),  # noqa: E501
    ],
)
def test_over_long_text_is_refused_with_a_message_and_kept(place, who, name, kwargs, field, limit):
    words = "x" * (limit + 1)
    response = place[who].post(reverse(name, kwargs=kwargs(place)), {field: words})
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert str(limit) in html.replace(",", "")  # the message names the limit
    if who == "parent":
        assert words in html  # what they wrote comes back to them, not lost
    assert not ParentGroup.objects.filter(name=words).exists()
