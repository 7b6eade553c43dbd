"""
On PostgreSQL the site's queries are prepared once per connection (circle/settings.py: values
bound on the server, psycopg's prepare_threshold): a parent's pages read the same few queries
over and over, and PostgreSQL then plans them once instead of on every request.
"""

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (set DATABASE_URL)")


def prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_parents_pages_are_planned_once_not_on_every_request(
    on_postgresql, course, group, parent_client
):
    lesson = reverse("courses:lesson", args=["circle", "one"])
    pages = [parent_client.get(lesson) for _ in range(7)]
    assert {page.status_code for page in pages} == {200}
    statements = prepared()
    # The lesson with the parent's own records (courses/access.py), read on every lesson page.
    assert any('FROM "courses_lesson"' in text and "$1" in text for text in statements)
    assert len(statements) >= 5
    # And each page is still the page: the last one as the first, apart from its tokens.
    assert pages[-1].context["lesson"].slug == "one"
