"""
Two of everything, for the tests that catch cross-talk (tests/test_crosstalk_*.py).

A test that sets up one group, one parent and one invitation cannot tell a query that filters
by group, parent or token from one that forgets to: with one of each, "all of them" and "this
one" are the same rows. This world has two of everything a rule separates, so a forgotten
filter shows (tests/MUTATION.md lists the filters each test was checked against).

On the `course` (The circle: lessons one and two in module 1, three in module 2):
- The facilitator (`facilitator`) runs two groups: Tuesday evening (the `group` fixture) and
  Thursday morning.
- Pat (`parent`) is in both. Kim (`second_parent`) is in Tuesday only, Sam in Thursday only.
  Lee was in Tuesday and left: Lee has no membership any more, but keeps their own records.
- Open invitations: Ann and Ben to Tuesday, Cat to Thursday (sent a minute apart, Ben's first,
  so "the first invitation in the table" is never the one a test uses by accident).
On a second course, `other_course` (one module, lessons "other-one" and "other-two"), the
second facilitator runs the Saturday group with Kim in it: the same parent, another course.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from accounts.groups import invitation_send
from accounts.models import Invitation, ParentGroup, User
from courses.models import Course, Lesson
from tests.factories import (
    CourseFactory,
    LessonFactory,
    MembershipFactory,
    ModuleFactory,
    ParentGroupFactory,
    UserFactory,
)

INVITED = {"ann": "ann@example.com", "ben": "ben@example.com", "cat": "cat@example.com"}


@dataclass
class World:
    course: Course
    other_course: Course
    facilitator: User
    second_facilitator: User
    tuesday: ParentGroup
    thursday: ParentGroup
    saturday: ParentGroup
    pat: User
    kim: User
    sam: User
    lee: User
    # The link token of each open invitation, by the invited person's first name.
    tokens: dict = field(default_factory=dict)

    def lesson(self, slug):
        return Lesson.objects.select_related("module__course").get(slug=slug)

    def invitation(self, name):
        return Invitation.objects.get(email=INVITED[name])


def invitation_link_catcher(tokens, name):
    """A link_for for invitation_send that keeps the token, as the email's reader would."""

    def link_for(token):
        tokens[name] = token
        return f"http://testserver/groups/invitation/{token}/"

    return link_for


def build_world(*, course, group, facilitator, second_facilitator, parent, second_parent):
    """The world above, around the conftest personas; the mail outbox is left empty."""
    thursday = ParentGroupFactory(
        name="Thursday morning group", course=course, facilitators=[facilitator]
    )
    other_course = CourseFactory(slug="other", title="Another course")
    other_module = ModuleFactory(course=other_course, slug="other-module", position=1)
    LessonFactory(module=other_module, slug="other-one", title="Other one", position=1)
    LessonFactory(module=other_module, slug="other-two", title="Other two", position=2)
    saturday = ParentGroupFactory(
        name="Saturday group", course=other_course, facilitators=[second_facilitator]
    )
    sam = UserFactory(email="sam@example.com", display_name="Sam")
    lee = UserFactory(email="lee@example.com", display_name="Lee")
    MembershipFactory(group=group, user=second_parent)
    MembershipFactory(group=thursday, user=parent)
    MembershipFactory(group=thursday, user=sam)
    MembershipFactory(group=saturday, user=second_parent)

    tokens = {}
    now = timezone.now()
    invitations = [(3, "ben", group), (2, "cat", thursday), (1, "ann", group)]
    for minutes_ago, name, invited_to in invitations:
        invitation_send(
            group=invited_to,
            email=INVITED[name],
            invited_by=facilitator,
            link_for=invitation_link_catcher(tokens, name),
        )
        Invitation.objects.filter(email=INVITED[name]).update(
            sent_at=now - timedelta(minutes=minutes_ago)
        )
    mail.outbox.clear()
    return World(
        course=course,
        other_course=other_course,
        facilitator=facilitator,
        second_facilitator=second_facilitator,
        tuesday=group,
        thursday=thursday,
        saturday=saturday,
        pat=parent,
        kim=second_parent,
        sam=sam,
        lee=lee,
        tokens=tokens,
    )
