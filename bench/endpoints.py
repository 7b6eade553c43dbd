"""
What the benchmark's load is made of: signed-in parents' sessions, and the requests of each
page measured (bench/run.py loads them with wrk; bench/inprocess.py replays them in-process).
Imported after django.setup().
"""

import secrets
from dataclasses import dataclass, field

SESSIONS = 512  # distinct signed-in parents the load is spread over
FACILITATOR_SESSIONS = 8  # sessions of the one facilitator who opens a group's report


class NotYet(Exception):
    """A page the benchmark knows about but this build cannot serve yet."""


@dataclass
class Request:
    method: str
    path: str
    session: str
    csrf: str = ""
    body: str = ""


@dataclass
class Endpoint:
    name: str
    label: str
    expected: int
    requests: list = field(default_factory=list)
    skipped: str = ""
    before: object = None  # a function run before the load (to reset state)


def session_create(user):
    """A signed-in session, as Django's login() would leave it, without the password dance."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    # The site's own session engine (accounts/sessions/): the session row names its person.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save(must_create=True)
    return session.session_key


@dataclass
class Visitor:
    user: object
    session: str
    csrf: str

    @property
    def cookie(self):
        return f"sessionid={self.session}; csrftoken={self.csrf}"


def visitors_create(count, rng):
    from accounts.models import User

    ids = list(
        User.objects.filter(email__endswith="@bench.example", role=User.Role.PARENT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = set(rng.sample(ids, min(count, len(ids))))
    users = User.objects.filter(pk__in=chosen).order_by("pk")
    # The cookie holds the unmasked 32-character secret; Django accepts it back in the header.
    return [Visitor(user, session_create(user), secrets.token_hex(16)) for user in users]


def live_lessons():
    from courses.models import Course, Lesson

    course = Course.objects.published().order_by("position", "id").first()
    lessons = list(
        Lesson.objects.published().filter(module__course=course).in_course_order().select_related()
    )
    return course, lessons


def endpoints_build(visitors, rng):
    from django.urls import reverse

    course, lessons = live_lessons()

    def each(method, path_for, body=""):
        out = []
        for visitor in visitors:
            path = path_for(visitor)
            out.append(Request(method, path, visitor.cookie, visitor.csrf if body else "", body))
        rng.shuffle(out)
        return out

    # A group that began recently keeps its later modules locked (the page answers 403 and
    # mark-complete sends the parent back): each parent is sent only to lessons open to them.
    from courses.assignments import parent_plans

    open_to = {
        visitor.user.pk: [
            lesson
            for lesson in lessons
            if lesson.module_id not in parent_plans(user=visitor.user, course=course).locks
        ]
        for visitor in visitors
    }

    def lesson_path(visitor):
        return rng.choice(open_to[visitor.user.pk]).get_absolute_url()

    pairs = [(visitor, lesson) for visitor in visitors for lesson in open_to[visitor.user.pk]]
    rng.shuffle(pairs)
    complete = [
        Request(
            "POST",
            reverse("courses:lesson-complete", args=[course.slug, lesson.slug]),
            visitor.cookie,
            visitor.csrf,
            "complete=yes",
        )
        for visitor, lesson in pairs
    ]
    user_ids = [visitor.user.pk for visitor in visitors]

    def completions_reset():
        # Repeatable runs: the chosen parents' live-course lessons are not done again, so most
        # POSTs complete something for real (the rest hit the idempotent path, as double
        # submits do).
        from courses.models import LessonProgress

        LessonProgress.objects.filter(user_id__in=user_ids, lesson__in=lessons).update(
            completed_at=None
        )

    def lesson_variant(name, label):
        return Endpoint(name, label, 200, each("GET", lambda v: f"/bench/{name}" + lesson_path(v)))

    endpoints = [
        # Without a session cookie: with one, the language middleware reads the person (their
        # saved language), and the "bare" ceiling became the signed-in one.
        Endpoint(
            "ceiling",
            "ceiling (bare view)",
            200,
            [Request("GET", "/bench/ceiling/", "", "", "") for _ in visitors],
        ),
        Endpoint(
            "ceiling-signed-in",
            "signed-in ceiling",
            200,
            each("GET", lambda v: "/bench/ceiling/signed-in/"),
        ),
        # The same with a body as long as the lesson page's (benchmark/views.py).
        Endpoint(
            "ceiling-signed-in-page",
            "signed-in, page-sized",
            200,
            each("GET", lambda v: "/bench/ceiling/signed-in/page-sized/"),
        ),
        Endpoint("lesson", "lesson page", 200, each("GET", lesson_path)),
        # The lesson page's work with no template, at /bench/<name>/... (benchmark/views.py):
        # its own reads and visit write; then the floors of a rebuild (bench/README.md): all of
        # it as one statement, one read and the write, six statements one after another, and
        # the six in one round trip.
        *(
            lesson_variant(name, label)
            for name, label in [
                ("lesson-reads", "lesson page, reads only"),
                ("lesson-floor", "lesson page, two round trips"),
                ("lesson-read-write", "lesson page, one read + write"),
                ("lesson-statements", "lesson page, six statements"),
                ("lesson-pipelined", "lesson page, six pipelined"),
            ]
        ),
        Endpoint("course", "course page", 200, each("GET", lambda v: course.get_absolute_url())),
        Endpoint(
            "dashboard", "dashboard", 200, each("GET", lambda v: reverse("courses:dashboard"))
        ),
        Endpoint("complete", "mark complete (POST)", 302, complete, before=completions_reset),
    ]
    for name, label, size, url_name in [
        ("report-12", "group report, 12 parents", 12, "courses:facilitator-report"),
        ("report-500", "group report, 500 parents", 500, "courses:facilitator-report"),
        ("report-12-csv", "CSV export, 12 parents", 12, "courses:facilitator-report-csv"),
        ("report-500-csv", "CSV export, 500 parents", 500, "courses:facilitator-report-csv"),
        ("outcomes-12", "outcome report, 12 parents", 12, "outcomes:report"),
        ("outcomes-500", "outcome report, 500 parents", 500, "outcomes:report"),
    ]:
        endpoint = Endpoint(name, label, 200)
        try:
            endpoint.requests = group_report_requests(size=size, url_name=url_name)
        except NotYet as reason:
            endpoint.skipped = str(reason)
        endpoints.append(endpoint)
    return endpoints


def group_report_requests(*, size, url_name):
    """
    A facilitator reloading a page of "Bench group of <size>" (built by bench_data): its
    progress report, its CSV, or its outcome report (url_name). Several sessions of that one
    facilitator (phone, laptop...): wrk deals the lines to its threads, and every thread needs
    at least one.
    """
    from django.urls import reverse

    from accounts.models import ParentGroup

    group = ParentGroup.objects.filter(name=f"Bench group of {size}").first()
    if group is None:
        raise NotYet(f'no "Bench group of {size}" in this database (run with --rebuild)')
    facilitator = group.facilitators.order_by("pk").first()
    path = reverse(url_name, args=[group.pk])
    return [
        Request(
            "GET",
            path,
            Visitor(facilitator, session_create(facilitator), secrets.token_hex(16)).cookie,
        )
        for _ in range(FACILITATOR_SESSIONS)
    ]
