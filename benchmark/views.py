"""The benchmark's ceilings: what this stack costs before any page does its own work."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse

from courses.access import get_lesson_for_parent
from courses.checks import lesson_questions
from courses.content_cache import course_lessons, lesson_body_html
from courses.journal import practice_notes_on
from courses.progress import progress_record_visit


def ceiling(request):
    """
    The fastest page this stack can serve: every middleware runs, but no query, no template.
    The benchmark divides each page's requests per second by this one's.
    """
    return HttpResponse(b"ok", content_type="text/plain")


# As long as the lesson page's HTML (bench/README.md: 27,415 bytes), so the server and the
# network carry the same weight as for the page itself.
LESSON_SIZED = b"<!DOCTYPE html>" + b"." * 27400


def ceiling_signed_in(request):
    """
    The fastest page that knows who is signed in: the session and the user are read (one
    query, accounts/sessions/), nothing else. Every real page of a parent costs at least this;
    the benchmark shows each page against it too (bench/README.md).
    """
    return HttpResponse(str(request.user.pk).encode(), content_type="text/plain")


def ceiling_signed_in_page(request):
    """
    The signed-in ceiling answering with a body as long as the lesson page's: what carrying
    the page's bytes costs the server and the network, apart from any work to make them.
    """
    request.user.pk  # noqa: B018 - the session and the user are read, as on every page
    return HttpResponse(LESSON_SIZED, content_type="text/html")


@login_required
def lesson_reads(request, course_slug, lesson_slug):
    """
    The lesson page's own work without its template: the same reads and the same visit write
    as courses.views.parent.render_lesson_page, then a body as long as the page. Between the
    signed-in ceiling and the lesson page, it tells the queries' share from the rendering's.
    """
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug, with_own_records=True)
    course_lessons(lesson.module.course)
    progress_record_visit(
        user=request.user, lesson=lesson, progress=lesson.own_progress(request.user)
    )
    lesson.own_reflection(request.user)
    lesson_body_html(lesson)
    lesson_questions(user=request.user, lesson=lesson)
    practice_notes_on(user=request.user, lesson=lesson)
    return HttpResponse(LESSON_SIZED, content_type="text/html")


# Everything the lesson page reads about the parent, and its visit write, as one statement:
# the floor of a page built from two round trips (the session, then this). Written by hand for
# the benchmark only (bench/README.md, "Seventh session"); the site keeps its one rule per read.
_LESSON_FLOOR_SQL = """
WITH target AS (
    SELECT l.id AS lesson_id, c.id AS course_id
    FROM courses_lesson l
    JOIN courses_module m ON m.id = l.module_id
    JOIN courses_course c ON c.id = m.course_id
    WHERE l.slug = %(lesson)s AND c.slug = %(course)s AND l.archived_at IS NULL
      AND l.is_published AND m.is_published AND c.is_published
), visit AS (
    UPDATE courses_lessonprogress p SET last_seen_at = now()
    FROM target t WHERE p.user_id = %(user)s AND p.lesson_id = t.lesson_id
    RETURNING p.id, p.started_at, p.last_seen_at, p.completed_at
)
SELECT l.*, m.*, c.*,
    (SELECT row_to_json(v) FROM visit v) AS progress,
    (SELECT row_to_json(r) FROM courses_reflection r
        WHERE r.user_id = %(user)s AND r.lesson_id = l.id) AS reflection,
    (SELECT json_agg(json_build_array(g.id, g.name, a.id, a.module_id, a.opens_on, a.due_on,
            am.title, am.slug, am.position, am.is_published) ORDER BY g.name, g.id)
        FROM accounts_membership ms
        JOIN accounts_parentgroup g ON g.id = ms.group_id
        LEFT JOIN courses_assignment a ON a.group_id = g.id
        LEFT JOIN courses_module am ON am.id = a.module_id
        WHERE ms.user_id = %(user)s AND g.course_id = c.id AND g.archived_at IS NULL) AS plans,
    (SELECT json_agg(json_build_array(qa.question_id, qa.choice_id))
        FROM courses_questionattempt qa WHERE qa.id IN (
            SELECT max(qa2.id) FROM courses_questionattempt qa2
            JOIN courses_question q ON q.id = qa2.question_id
            WHERE q.lesson_id = l.id AND qa2.user_id = %(user)s GROUP BY qa2.question_id
        )) AS attempts,
    (SELECT json_agg(n ORDER BY n.noted_on DESC, n.id DESC) FROM courses_practicenote n
        WHERE n.user_id = %(user)s AND n.lesson_id = l.id) AS notes
FROM target t
JOIN courses_lesson l ON l.id = t.lesson_id
JOIN courses_module m ON m.id = l.module_id
JOIN courses_course c ON c.id = m.course_id
"""


@login_required
def lesson_floor(request, course_slug, lesson_slug):
    """
    What the lesson page could cost at best if it were rebuilt around two round trips and HTML
    kept whole: the session read, then one statement with the lesson, the parent's progress
    (the visit written in the same statement), reflection, groups' plans, last answers and
    notes, and a body as long as the page with no rendering. Not a page of the site: a
    measurement of the rebuild the issue's ratios would need (bench/README.md).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _LESSON_FLOOR_SQL,
            {"lesson": lesson_slug, "course": course_slug, "user": request.user.pk},
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such lesson.")
    return HttpResponse(LESSON_SIZED, content_type="text/html")


# The same reads and write as _LESSON_FLOOR_SQL, as six statements of their own (each finds the
# lesson by its slugs, so none waits for another's answer): sent one after another, or all in
# one round trip with psycopg's pipeline mode. Beside the floor, they tell the round trips'
# share from the statements' (bench/README.md, "Seventh session").
_LESSON_OF_SLUGS = """(SELECT l.id FROM courses_lesson l
    JOIN courses_module m ON m.id = l.module_id JOIN courses_course c ON c.id = m.course_id
    WHERE l.slug = %(lesson)s AND c.slug = %(course)s AND l.archived_at IS NULL
      AND l.is_published AND m.is_published AND c.is_published)"""
_LESSON_STATEMENTS = [
    sql.replace("LESSON_ID", _LESSON_OF_SLUGS)
    for sql in (
        """SELECT l.*, m.*, c.* FROM courses_lesson l
        JOIN courses_module m ON m.id = l.module_id JOIN courses_course c ON c.id = m.course_id
        WHERE l.id = LESSON_ID""",
        """UPDATE courses_lessonprogress SET last_seen_at = now()
        WHERE user_id = %(user)s AND lesson_id = LESSON_ID
        RETURNING id, started_at, last_seen_at, completed_at""",
        """SELECT * FROM courses_reflection
        WHERE user_id = %(user)s AND lesson_id = LESSON_ID""",
        """SELECT g.id, g.name, a.id, a.module_id, a.opens_on, a.due_on,
            am.title, am.slug, am.position, am.is_published
        FROM accounts_membership ms
        JOIN accounts_parentgroup g ON g.id = ms.group_id
        JOIN courses_course c ON c.id = g.course_id
        LEFT JOIN courses_assignment a ON a.group_id = g.id
        LEFT JOIN courses_module am ON am.id = a.module_id
        WHERE ms.user_id = %(user)s AND c.slug = %(course)s AND g.archived_at IS NULL
        ORDER BY g.name, g.id""",
        """SELECT qa.question_id, qa.choice_id FROM courses_questionattempt qa WHERE qa.id IN (
            SELECT max(qa2.id) FROM courses_questionattempt qa2
            JOIN courses_question q ON q.id = qa2.question_id
            WHERE q.lesson_id = LESSON_ID AND qa2.user_id = %(user)s
            GROUP BY qa2.question_id)""",
        """SELECT * FROM courses_practicenote
        WHERE user_id = %(user)s AND lesson_id = LESSON_ID
        ORDER BY noted_on DESC, id DESC""",
    )
]


def _lesson_statements(request, course_slug, lesson_slug, *, pipelined):
    values = {"lesson": lesson_slug, "course": course_slug, "user": request.user.pk}
    if pipelined:
        connection.ensure_connection()
        with connection.connection.pipeline():
            cursors = [connection.cursor() for _ in _LESSON_STATEMENTS]
            for cursor, sql in zip(cursors, _LESSON_STATEMENTS, strict=True):
                cursor.execute(sql, values)
            found = [cursor.fetchall() for cursor in cursors]
    else:
        found = []
        for sql in _LESSON_STATEMENTS:
            with connection.cursor() as cursor:
                cursor.execute(sql, values)
                found.append(cursor.fetchall())
    if not found[0]:
        raise Http404("No such lesson.")
    return HttpResponse(LESSON_SIZED, content_type="text/html")


# The floor's read without its write, for a page that reads in one statement and writes the
# visit in another (what the ORM can build: the parent's rows as subqueries of the lesson's).
_LESSON_ONE_READ_SQL = _LESSON_FLOOR_SQL.replace(
    """), visit AS (
    UPDATE courses_lessonprogress p SET last_seen_at = now()
    FROM target t WHERE p.user_id = %(user)s AND p.lesson_id = t.lesson_id
    RETURNING p.id, p.started_at, p.last_seen_at, p.completed_at
)""",
    ")",
).replace(
    "(SELECT row_to_json(v) FROM visit v) AS progress",
    """(SELECT row_to_json(v) FROM courses_lessonprogress v
        WHERE v.user_id = %(user)s AND v.lesson_id = l.id) AS progress""",
)


@login_required
def lesson_read_then_write(request, course_slug, lesson_slug):
    """
    The floor's reads as one statement, then the visit written by a second (the page's own
    UPDATE): three round trips with the session's, no template.
    """
    values = {"lesson": lesson_slug, "course": course_slug, "user": request.user.pk}
    with connection.cursor() as cursor:
        cursor.execute(_LESSON_ONE_READ_SQL, values)
        row = cursor.fetchone()
        if row is None:
            raise Http404("No such lesson.")
        cursor.execute(_LESSON_STATEMENTS[1], values)
    return HttpResponse(LESSON_SIZED, content_type="text/html")


@login_required
def lesson_statements(request, course_slug, lesson_slug):
    """The floor's reads and write as six statements, one round trip each, no template."""
    return _lesson_statements(request, course_slug, lesson_slug, pipelined=False)


@login_required
def lesson_pipelined(request, course_slug, lesson_slug):
    """The same six statements in one round trip (psycopg's pipeline mode), no template."""
    return _lesson_statements(request, course_slug, lesson_slug, pipelined=True)
