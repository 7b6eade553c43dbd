"""
The page of one lesson's shared reflections, for the group's facilitators (from the group
report): newest first, paged, names told apart, and nothing private or from elsewhere.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from courses.models import Lesson, Reflection
from tests.conftest import SHARED_MARKER, logged_in
from tests.factories import (
    LessonFactory,
    MembershipFactory,
    ParentGroupFactory,
    ReflectionFactory,
)
from tests.test_group_report import build_group, folded, shared_text, shared_url

pytestmark = pytest.mark.django_db


def members_sharing(group, lesson, count, name="Sharer", shared=True):
    """`count` new members of the group, each with a reflection on the lesson."""
    users = User.objects.bulk_create(
        User(email=f"{name.lower()}{i}-{group.pk}@example.com", display_name=f"{name} {i}")
        for i in range(count)
    )
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in users)
    Reflection.objects.bulk_create(
        Reflection(user=user, lesson=lesson, text=f"{name} words {i}.", shared=shared)
        for i, user in enumerate(users)
    )
    return users


def articles(html):
    return html.count('<article class="shared-reflection"')


SHARED_PAGE_BUDGET = 7  # session, user, group, lesson, the count, the page (and one spare)


class TestSharedReflectionsPage:
    def test_lists_the_lessons_shared_reflections_newest_first_with_dates(
        self, facilitator_client, reflections, parent, second_parent
    ):
        one, two = Lesson.objects.filter(slug__in=["one", "two"]).order_by("position")
        now = timezone.now()
        Reflection.objects.filter(user=parent, lesson=one).update(
            created_at=now - timedelta(days=30), updated_at=now
        )
        Reflection.objects.filter(user=second_parent, lesson=one).update(
            text="Kim shares this now.", shared=True, created_at=now - timedelta(days=2)
        )
        ReflectionFactory(user=second_parent, lesson=two, text="Kim on lesson two.", shared=True)
        html = shared_text(facilitator_client, reflections)
        assert "2 shared reflections, newest first." in html
        assert articles(html) == 2
        assert html.index("Kim shares this now.") < html.index(SHARED_MARKER)
        pat = html.split('<article class="shared-reflection" aria-label="Pat">')[1]
        written = timezone.localdate(now - timedelta(days=30))
        time = f'<time datetime="{written.isoformat()}">{written.strftime("%-d %B %Y")}</time>'
        assert time in pat
        assert f", changed {timezone.localdate(now).strftime('%-d %B %Y')}" in pat
        assert "Kim on lesson two." not in html
        assert "Kim on lesson two." in shared_text(facilitator_client, reflections, slug="two")

    def test_members_of_other_groups_are_not_shown(
        self, facilitator, facilitator_client, reflections
    ):
        # Another group of the same facilitator, on the same course: its words stay on its page.
        other = ParentGroupFactory(course=reflections.course, facilitators=[facilitator])
        lesson = Lesson.objects.get(slug="one")
        members_sharing(other, lesson, 2, name="Elsewhere")
        html = shared_text(facilitator_client, reflections)
        assert "Elsewhere" not in html and articles(html) == 1
        assert articles(shared_text(facilitator_client, other)) == 2

    def test_private_reflections_are_not_counted_or_shown(self, facilitator_client, group):
        lesson = Lesson.objects.get(slug="one")
        members_sharing(group, lesson, 3, name="Quiet", shared=False)
        html = shared_text(facilitator_client, group)
        assert "Quiet" not in html and articles(html) == 0
        assert "No parent in Tuesday evening group has shared a reflection on this lesson" in html
        assert "when someone does, it shows here" in html
        assert "Back to the group's progress" in html

    def test_lessons_outside_the_report_are_404(self, facilitator_client, group):
        unpublished = Lesson.objects.get(slug="hidden")
        other_course = LessonFactory()
        for lesson in [unpublished, other_course]:
            assert facilitator_client.get(shared_url(group, lesson)).status_code == 404
        url = reverse("courses:facilitator-shared-reflections", args=[group.pk, 999999])
        assert facilitator_client.get(url).status_code == 404

    def test_only_the_groups_facilitators_get_in(
        self, client, reflections, parent, second_parent, second_facilitator
    ):
        url = shared_url(reflections, Lesson.objects.get(slug="one"))
        for outsider in [second_facilitator, parent, second_parent]:
            response = logged_in(outsider).get(url)
            assert response.status_code == 404
            assert SHARED_MARKER not in response.content.decode()
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_fifty_a_page(self, facilitator_client, group):
        lesson = Lesson.objects.get(slug="one")
        members_sharing(group, lesson, 120)
        url = shared_url(group, lesson)
        first = folded(facilitator_client.get(url))
        assert "120 shared reflections, newest first." in first
        assert articles(first) == 50 and "Page 1 of 3" in first
        assert (
            'href="?page=2" rel="next">Older reflections</a>' in first and 'rel="prev"' not in first
        )
        last = folded(facilitator_client.get(url, {"page": 3}))
        assert articles(last) == 20 and "Page 3 of 3" in last
        assert (
            'href="?page=2" rel="prev">Newer reflections</a>' in last and 'rel="next"' not in last
        )
        pages = [first, folded(facilitator_client.get(url, {"page": 2})), last]
        names = {f"Sharer {i}" for i in range(120)}
        shown = [name for name in names if any(f'aria-label="{name}"' in page for page in pages)]
        assert len(shown) == 120  # every one, once each page's worth
        # A page number that makes no sense shows a real page rather than an error.
        assert "Page 1 of 3" in folded(facilitator_client.get(url, {"page": "many"}))
        assert "Page 3 of 3" in folded(facilitator_client.get(url, {"page": 99}))

    def test_queries_do_not_grow_with_the_shared_reflections(self, db):
        counts = []
        for parents in [3, 120]:
            group, facilitator = build_group(0)
            lesson = group.course.modules.first().lessons.first()
            members_sharing(group, lesson, parents)
            members_sharing(group, lesson, parents, name="Private", shared=False)
            browser = logged_in(facilitator)
            with CaptureQueriesContext(connection) as captured:
                html = folded(browser.get(shared_url(group, lesson)))
            assert articles(html) == min(parents, 50)
            counts.append(len(captured))
        assert counts[0] == counts[1] <= SHARED_PAGE_BUDGET


def test_shared_reflections_of_two_parents_of_the_same_name_are_told_apart(
    facilitator_client, group, parent, second_parent
):
    second_parent.display_name = parent.display_name
    second_parent.save()
    MembershipFactory(group=group, user=second_parent)
    lesson = Lesson.objects.get(slug="one")
    ReflectionFactory(user=parent, lesson=lesson, text="First words.", shared=True)
    ReflectionFactory(user=second_parent, lesson=lesson, text="Second words.", shared=True)
    url = reverse("courses:facilitator-shared-reflections", args=[group.pk, lesson.pk])
    html = facilitator_client.get(url).content.decode()
    assert f'<span class="report-email">({parent.email})</span>' in html
    assert f'<span class="report-email">({second_parent.email})</span>' in html
