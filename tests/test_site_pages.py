"""Home, about, health and the headers every page carries."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_explains_the_course_with_the_circle_diagram(client, course):
    response = client.get(reverse("circle:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and '<title id="circle-title">' in html
    assert "Exploration" in html and "Safe Haven" in html and "hands" in html
    assert "The circle" in html  # the catalogue
    assert reverse("account_signup") in html and reverse("account_login") in html


def test_home_diagram_links_to_the_course(client, course):
    html = client.get(reverse("circle:home")).content.decode()
    assert 'href="/courses/circle/#lesson-one"' in html


def test_home_for_a_parent_links_to_the_dashboard(parent_client):
    html = parent_client.get(reverse("circle:home")).content.decode()
    assert reverse("courses:dashboard") in html
    assert "Log out" in html


def test_about_credits_the_authors_and_says_not_affiliated(client):
    html = client.get(reverse("circle:about")).content.decode()
    for name in ["Glen Cooper", "Kent Hoffman", "Robert Marvin", "Bert Powell"]:
        assert name in html
    assert "not affiliated with or endorsed by Circle of Security International" in html


def test_health_check_answers_ok(client):
    response = client.get(reverse("circle:health"))
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/about/", "/courses/", "/accounts/login/"])
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/about/", "/courses/circle/", "/accounts/signup/"])
def test_pages_have_no_inline_styles_or_scripts_and_no_third_party_requests(client, course, url):
    html = client.get(url).content.decode()
    assert "style=" not in html and "<style" not in html
    for chunk in html.split("<script")[1:]:
        assert chunk.lstrip().startswith("src=") or " src=" in chunk.split(">")[0]
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_the_benchmark_ceiling_view_answers_with_two_bytes(rf):
    from benchmark.views import ceiling

    response = ceiling(rf.get("/bench/ceiling/"))
    assert (response.status_code, response.content) == (200, b"ok")


def test_the_signed_in_ceiling_reads_the_session_and_the_user(
    rf, parent, django_assert_num_queries
):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.session_auth import AuthenticationMiddleware
    from accounts.sessions.db import SessionStore
    from benchmark.views import ceiling_signed_in

    session = SessionStore()
    session[SESSION_KEY] = str(parent.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = parent.get_session_auth_hash()
    session.save()
    request = rf.get("/bench/ceiling/signed-in/")
    request.session = SessionStore(session.session_key)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with django_assert_num_queries(1):  # the session, with its user (accounts/sessions/)
        response = ceiling_signed_in(request)
    assert (response.status_code, response.content) == (200, str(parent.pk).encode())


def test_the_page_sized_signed_in_ceiling_answers_as_long_as_a_lesson_page(rf, parent):
    from benchmark.views import LESSON_SIZED, ceiling_signed_in_page

    request = rf.get("/bench/ceiling/signed-in/page-sized/")
    request.user = parent
    response = ceiling_signed_in_page(request)
    assert (response.status_code, response.content) == (200, LESSON_SIZED)


@pytest.mark.parametrize(
    ("view", "statements"),
    [
        ("lesson_floor", 1),
        ("lesson_read_then_write", 2),
        ("lesson_statements", 6),
        ("lesson_pipelined", 6),
    ],
)
def test_the_benchmark_floor_pages_write_only_their_parents_visit(
    rf, parent, second_parent, course, django_assert_num_queries, view, statements
):
    """
    bench's floors of a rebuild (bench/README.md) read and write what the lesson page does,
    in one statement, in six, or in six sent together: the parent's visit is written, nobody
    else's, and an unknown lesson is a 404. PostgreSQL's SQL, so PostgreSQL only.
    """
    import datetime

    from django.db import connection
    from django.http import Http404

    if connection.vendor != "postgresql":
        pytest.skip("the benchmark's floor statement is PostgreSQL's (set DATABASE_URL)")
    from benchmark import views
    from courses.models import Lesson, LessonProgress
    from tests.conftest import logged_in

    # The one-read page's statement is the floor's without its write (made from it by text).
    assert "UPDATE" in views._LESSON_FLOOR_SQL and "UPDATE" not in views._LESSON_ONE_READ_SQL
    lesson = Lesson.objects.get(slug="one")
    for person in (parent, second_parent):
        logged_in(person).get(lesson.get_absolute_url())  # starts the lesson for each
    long_ago = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    LessonProgress.objects.update(last_seen_at=long_ago)
    request = rf.get("/bench/lesson-floor" + lesson.get_absolute_url())
    request.user = parent
    floor = getattr(views, view)
    with django_assert_num_queries(statements):
        assert floor(request, "circle", "one").status_code == 200
    seen = dict(LessonProgress.objects.values_list("user_id", "last_seen_at"))
    assert seen[parent.pk] > long_ago
    assert seen[second_parent.pk] == long_ago
    with pytest.raises(Http404):
        floor(request, "circle", "no-such-lesson")


def test_the_reads_only_benchmark_page_makes_the_lesson_pages_queries(rf, parent, course):
    """bench's "lesson page, reads only" stays the lesson page without its template."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmark.views import lesson_reads
    from courses.models import Lesson
    from tests.conftest import logged_in
    from tests.factories import PracticeNoteFactory, add_questions

    lesson = Lesson.objects.get(slug="one")
    add_questions(lesson, 2)
    PracticeNoteFactory(user=parent, lesson=lesson)
    browser = logged_in(parent)
    browser.get(lesson.get_absolute_url())  # the first visit starts the lesson: a different write
    with CaptureQueriesContext(connection) as page:
        browser.get(lesson.get_absolute_url())
    request = rf.get("/bench/lesson-reads" + lesson.get_absolute_url())
    request.user = parent
    with CaptureQueriesContext(connection) as reads:
        assert lesson_reads(request, "circle", "one").status_code == 200

    def shape(query):  # the statement without its values
        return re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"])

    # The page reads the session (with its user) first; the rest must be the same queries.
    assert [shape(q) for q in reads] == [shape(q) for q in page][1:]
    assert len(reads) == 5
