"""
Who may open what: every URL pattern of the project, for every persona.

The URL list is discovered from the resolver, so a new URL without an entry in RULES fails
`test_every_url_is_in_the_matrix`. Outcomes: 200, "login" (a redirect to the login page), a
plain redirect (302), 400 (a form sent back with its errors), 403, 404 or 405. Foreign objects
answer 404, never 403, so nothing leaks.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.groups import invitation_send
from accounts.models import User
from courses.models import Lesson
from reminders.models import CalendarFeed
from reminders.tokens import unsubscribe_token
from tests.conftest import logged_in
from tests.factories import (
    AssignmentFactory,
    CertificateFactory,
    ChoiceFactory,
    MembershipFactory,
    ParentGroupFactory,
    PracticeNoteFactory,
    ReflectionFactory,
    UserFactory,
)
from tests.outcome_factories import (
    AttendanceFactory,
    GroupSessionFactory,
    SessionGuideFactory,
    all_same,
    answer,
    make_checkin,
)

pytestmark = pytest.mark.django_db

# locked_parent is in a group that opens lesson one's module next week: every lesson URL, read
# or write, refuses them (403, the kind "opens on" page) until then.
PERSONAS = [
    "anonymous",
    "parent",
    "second_parent",
    "locked_parent",
    "facilitator",
    "other_facilitator",
    "staff",
]
LOGIN = "login"


def everyone(outcome):
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome, anonymous=LOGIN):
    return {**everyone(outcome), "anonymous": anonymous}


def group_facilitators_only(outcome=200):
    """Only the group's own facilitator gets in; everyone else, staff included, gets 404."""
    return {**signed_in(404), "facilitator": outcome}


def facilitators_only(outcome=200):
    return {**signed_in(404), "facilitator": outcome, "other_facilitator": outcome}


def owner_only(outcome=200):
    """The parent's own record: theirs alone (staff and their facilitator included get 404)."""
    return {**signed_in(404), "parent": outcome}


LESSON_ONE = {"course_slug": "circle", "lesson_slug": "one"}
CHECKIN_START = {"course_slug": "circle", "moment": "start"}


def lesson_rule(outcome):
    """A lesson URL: signed-in people get `outcome`, a parent whose group has not opened it 403."""
    return {**signed_in(outcome), "locked_parent": 403}


def staff_only():
    # The admin sends everyone else to its login, which allauth's secure_admin_login guards:
    # anonymous people are sent on to the site's login, signed-in non-staff get 403 there.
    return {**everyone(302), "staff": 200}


# name -> (method, kwargs from the world, {persona: outcome})
RULES = {
    "circle:home": ("get", None, everyone(200)),
    "circle:about": ("get", None, everyone(200)),
    "circle:health": ("get", None, everyone(200)),
    # Anyone may choose light or dark; a post without a choice is refused.
    "circle:theme": ("post", None, everyone(400)),
    "courses:catalogue": ("get", None, everyone(200)),
    "courses:course": ("get", lambda w: {"course_slug": "circle"}, everyone(200)),
    "courses:dashboard": ("get", None, signed_in(200)),
    "courses:lesson": ("get", lambda w: LESSON_ONE, lesson_rule(200)),
    # Staff preview any lesson, published or not; to everyone else it does not exist.
    "courses:lesson-preview": (
        "get",
        lambda w: {"course_slug": "circle", "lesson_slug": "hidden"},
        {**signed_in(404), "staff": 200},
    ),
    "courses:lesson-complete": ("post", lambda w: LESSON_ONE, lesson_rule(302)),
    # A parent's own writing: only its writer may open or change it, everyone else gets 404.
    "courses:journal": ("get", None, signed_in(200)),
    # Empty forms come back with their message (the lesson page, 200) or a redirect.
    "courses:reflection-save": ("post", lambda w: LESSON_ONE, lesson_rule(200)),
    "courses:reflection-share": ("post", lambda w: {"pk": w["reflection"].pk}, owner_only(302)),
    "courses:reflection-delete": ("get", lambda w: {"pk": w["reflection"].pk}, owner_only()),
    "courses:practice-note-add": ("post", lambda w: LESSON_ONE, lesson_rule(200)),
    "courses:practice-note-edit": ("get", lambda w: {"pk": w["note"].pk}, owner_only()),
    "courses:practice-note-delete": ("get", lambda w: {"pk": w["note"].pk}, owner_only()),
    "courses:question-answer": (
        "post",
        lambda w: {**LESSON_ONE, "pk": w["question"].pk},
        lesson_rule(302),
    ),
    "courses:certificate": ("get", lambda w: {"course_slug": "circle"}, signed_in(200)),
    # The glossary is public, like the course outline it belongs to.
    "courses:glossary": ("get", lambda w: {"course_slug": "circle"}, everyone(200)),
    # A module's handout follows the rule of its lessons: locked for a group not there yet.
    "courses:module-handout": (
        "get",
        lambda w: {"course_slug": "circle", "module_slug": w["lesson"].module.slug},
        lesson_rule(200),
    ),
    # The public check of a certificate: name, course and date, for anyone with the code.
    "courses:certificate-verify": ("get", lambda w: {"code": w["certificate"].code}, everyone(200)),
    "accounts:account": ("get", None, signed_in(200)),
    # Anyone signed in sets their own child's age; an empty form comes back with its message.
    "accounts:child-age": ("post", None, signed_in(400)),
    "accounts:my-data": ("get", None, signed_in(200)),
    "accounts:my-data-download": ("post", None, signed_in(200)),
    "accounts:delete": ("get", None, signed_in(200)),
    # The language switcher: anyone may pick a language; it sends them back to the page.
    "accounts:language": ("post", None, everyone(302)),
    # Parents' side of groups.
    "accounts:groups": ("get", None, signed_in(200)),
    "accounts:join": ("get", None, signed_in(200)),
    # A join link is a bearer link: anyone signed in may follow it; a member is sent on.
    "accounts:join-link": (
        "get",
        lambda w: {"code": w["group"].join_code},
        {
            **signed_in(200),
            "parent": 302,
        },
    ),
    "accounts:leave": ("get", lambda w: {"pk": w["group"].pk}, {**signed_in(404), "parent": 200}),
    "accounts:invitation": ("get", lambda w: {"token": w["invitation_token"]}, everyone(200)),
    # Facilitators: the groups list is theirs alone; a group's pages are its facilitators'.
    "accounts:facilitator-groups": ("get", None, facilitators_only()),
    "accounts:facilitator-group-new": ("get", None, facilitators_only()),
    "accounts:facilitator-group": (
        "get",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(),
    ),
    "accounts:facilitator-group-name": (
        "post",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(400),
    ),
    "accounts:facilitator-group-code": (
        "post",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(302),
    ),
    "accounts:facilitator-group-language": (
        "post",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(302),
    ),
    "accounts:facilitator-group-archive": (
        "post",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(302),
    ),
    "accounts:facilitator-invite": (
        "post",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(400),
    ),
    "accounts:facilitator-invitation-cancel": (
        "post",
        lambda w: {"pk": w["group"].pk, "invitation_pk": w["invitation"].pk},
        group_facilitators_only(302),
    ),
    "accounts:facilitator-cofacilitator": (
        "post",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(400),
    ),
    "accounts:facilitator-member-remove": (
        "get",
        lambda w: {"pk": w["group"].pk, "user_pk": w["parent"].pk},
        group_facilitators_only(),
    ),
    "courses:facilitator-assignments": (
        "get",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(),
    ),
    "courses:facilitator-report": (
        "get",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(),
    ),
    # One member's row, on a page of its own: the group's facilitators only.
    "courses:facilitator-member-progress": (
        "get",
        lambda w: {"pk": w["group"].pk, "user_pk": w["parent"].pk},
        group_facilitators_only(),
    ),
    "courses:facilitator-report-csv": (
        "get",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(),
    ),
    "courses:facilitator-shared-reflections": (
        "get",
        lambda w: {"pk": w["group"].pk, "lesson_pk": w["lesson"].pk},
        group_facilitators_only(),
    ),
    # Reminders: a person's own choices; their calendar of a group they are in.
    "reminders:preferences": ("get", None, signed_in(200)),
    "reminders:calendar-renew": (
        "post",
        lambda w: {"pk": w["group"].pk},
        {**signed_in(404), "parent": 302},
    ),
    # Bearer addresses (calendar apps and one-click unsubscribe cannot log in): the token is the
    # key, and a made-up one is not found.
    "reminders:calendar": ("get", lambda w: {"token": w["calendar_token"]}, everyone(200)),
    "reminders:unsubscribe": ("get", lambda w: {"token": w["unsubscribe_token"]}, everyone(200)),
    # A group's facilitators post announcements (an empty form comes back) and nudge members.
    "reminders:announcement-post": (
        "post",
        lambda w: {"pk": w["group"].pk},
        group_facilitators_only(400),
    ),
    "reminders:nudge": (
        "post",
        lambda w: {"pk": w["group"].pk, "user_pk": w["parent"].pk},
        group_facilitators_only(302),
    ),
    # A parent's check-ins: each person's own page, about their own answers only (an empty
    # page for someone with none); nobody reaches another parent's answers by any URL.
    "outcomes:my-checkins": ("get", lambda w: {"course_slug": "circle"}, signed_in(200)),
    "outcomes:checkin-delete": ("get", lambda w: {"course_slug": "circle"}, signed_in(200)),
    # `parent` answered the start check-in already: they are sent to their own answers.
    "outcomes:checkin": ("get", lambda w: CHECKIN_START, {**signed_in(200), "parent": 302}),
    "outcomes:checkin-answer": (
        "get",
        lambda w: CHECKIN_START,
        {**signed_in(200), "parent": 302},
    ),
    "outcomes:checkin-skip": ("post", lambda w: CHECKIN_START, signed_in(302)),
    # A group's sessions, guides and outcome figures: its facilitators only.
    "outcomes:sessions": ("get", lambda w: {"pk": w["group"].pk}, group_facilitators_only()),
    "outcomes:session-attendance": (
        "get",
        lambda w: {"pk": w["group"].pk, "session_pk": w["session"].pk},
        group_facilitators_only(),
    ),
    "outcomes:session-edit": (
        "get",
        lambda w: {"pk": w["group"].pk, "session_pk": w["session"].pk},
        group_facilitators_only(),
    ),
    "outcomes:session-delete": (
        "post",
        lambda w: {"pk": w["group"].pk, "session_pk": w["session"].pk},
        group_facilitators_only(302),
    ),
    "outcomes:session-guide": (
        "get",
        lambda w: {"pk": w["group"].pk, "module_pk": w["lesson"].module_id},
        group_facilitators_only(),
    ),
    "outcomes:report": ("get", lambda w: {"pk": w["group"].pk}, group_facilitators_only()),
    "outcomes:report-csv": ("get", lambda w: {"pk": w["group"].pk}, group_facilitators_only()),
    # A course's outcomes across its groups: staff only; to everyone else it does not exist.
    "outcomes:course-report": (
        "get",
        lambda w: {"course_slug": "circle"},
        {**signed_in(404), "staff": 200},
    ),
    "outcomes:course-report-csv": (
        "get",
        lambda w: {"course_slug": "circle"},
        {**signed_in(404), "staff": 200},
    ),
    # allauth: pages for visitors send signed-in people on, account pages need a login.
    "account_login": ("get", None, signed_in(302, anonymous=200)),
    "account_signup": ("get", None, signed_in(302, anonymous=200)),
    "account_logout": ("get", None, signed_in(200, anonymous=302)),
    "account_inactive": ("get", None, everyone(200)),
    "account_reauthenticate": ("get", None, signed_in(200)),
    "account_email": ("get", None, signed_in(200)),
    "account_email_verification_sent": ("get", None, everyone(200)),
    "account_change_password": ("get", None, signed_in(200)),
    "account_set_password": ("get", None, signed_in(302)),
    "account_reset_password": ("get", None, everyone(200)),
    "account_reset_password_done": ("get", None, everyone(200)),
    "account_reset_password_from_key_done": ("get", None, everyone(200)),
    "account_confirm_login_code": ("get", None, signed_in(302)),
    "account_confirm_email": ("get", lambda w: {"key": "not-a-real-key"}, everyone(200)),
    "account_reset_password_from_key": (
        "get",
        lambda w: {"uidb36": "zz", "key": "not-a-real-key"},
        everyone(200),
    ),
}


def discover(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            name = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from discover(pattern.url_patterns, name)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    unknown = {name for name in discover() if name not in RULES and not name.startswith("admin:")}
    assert not unknown, f"Add these URLs to RULES with who may open them: {sorted(unknown)}"


@pytest.fixture
def world(course, parent, second_parent, facilitator, staff):
    other_facilitator = UserFactory(
        email="other.facilitator@example.com", role=User.Role.FACILITATOR
    )
    people = {
        "parent": parent,
        "second_parent": second_parent,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "staff": staff,
    }
    group = ParentGroupFactory(course=course, name="Tuesday group", facilitators=[facilitator])
    MembershipFactory(group=group, user=parent)
    lesson = Lesson.objects.get(slug="one")
    AssignmentFactory(group=group, module=lesson.module)
    locked_parent = UserFactory(email="locked.parent@example.com")
    people["locked_parent"] = locked_parent
    later_group = ParentGroupFactory(course=course, name="Group that starts next week")
    MembershipFactory(group=later_group, user=locked_parent)
    AssignmentFactory(
        group=later_group,
        module=lesson.module,
        opens_on=timezone.localdate() + timedelta(days=7),
    )
    tokens = []
    invitation, _ = invitation_send(
        group=group,
        email="invited@example.com",
        invited_by=facilitator,
        link_for=lambda token: tokens.append(token) or f"https://example.org/{token}",
    )
    reflection = ReflectionFactory(user=parent, lesson=lesson, text="Private words.")
    note = PracticeNoteFactory(user=parent, lesson=lesson)
    question = ChoiceFactory(question__lesson=lesson, is_correct=True).question
    certificate = CertificateFactory(user=second_parent, course=course)
    calendar = CalendarFeed.objects.create(user=parent, group=group)
    checkin = make_checkin(course)
    answer(parent, checkin, "start", all_same(3))
    session = GroupSessionFactory(group=group, module=lesson.module)
    AttendanceFactory(session=session, user=parent)
    guide = SessionGuideFactory(module=lesson.module)
    return {
        "calendar_token": calendar.token,
        "unsubscribe_token": unsubscribe_token(user_id=parent.pk, kind="practice"),
        "checkin": checkin,
        "session": session,
        "guide": guide,
        "course": course,
        "lesson": lesson,
        "reflection": reflection,
        "note": note,
        "question": question,
        "certificate": certificate,
        "group": group,
        "invitation": invitation,
        "invitation_token": tokens[0],
        **people,
    }


def outcome_of(response):
    if response.status_code in (301, 302):
        if response["Location"].startswith(reverse("account_login")):
            return LOGIN
        return 302
    return response.status_code


def check(world, name, method, kwargs, expected, language=None, extra_headers=None):
    """Every persona's answer; with `language`, their browser asks for it (Accept-Language)."""
    from django.test import Client

    url = reverse(name, kwargs=kwargs)
    headers = {"Accept-Language": language} if language else {}
    headers.update(extra_headers or {})
    failures = []
    for persona in PERSONAS:
        browser = Client() if persona == "anonymous" else logged_in(world[persona])
        response = getattr(browser, method)(url, headers=headers)
        # Every answer, whoever asks and whatever it is, carries the site's headers.
        policy = response.get("Content-Security-Policy", "")
        if "frame-ancestors 'none'" not in policy or "unsafe-inline" in policy:
            failures.append(f"{persona}: {method.upper()} {url} has no strict CSP: {policy!r}")
        if response.get("X-Content-Type-Options") != "nosniff":
            failures.append(f"{persona}: {method.upper()} {url} lacks X-Content-Type-Options")
        if "camera=()" not in response.get("Permissions-Policy", ""):
            failures.append(f"{persona}: {method.upper()} {url} lacks the Permissions-Policy")
        # Whatever a signed-in person is shown may be personal: never kept by the browser.
        caching = response.get("Cache-Control", "")
        if persona != "anonymous" and not {"private", "no-store"} <= set(caching.split(", ")):
            failures.append(f"{persona}: {method.upper()} {url} may be cached: {caching!r}")
        if outcome_of(response) != expected[persona]:
            failures.append(
                f"{persona}: {method.upper()} {url} -> {outcome_of(response)}, "
                f"expected {expected[persona]}"
            )
    return failures


# The same answers whatever language the page is shown in.
@pytest.mark.parametrize("language", ["en-GB", "es"])
@pytest.mark.parametrize("name", sorted(RULES))
def test_site_urls_answer_each_persona_as_expected(world, name, language):
    method, kwargs_for, expected = RULES[name]
    kwargs = kwargs_for(world) if kwargs_for else {}
    assert check(world, name, method, kwargs, expected, language) == []


# The lesson page's forms answered in place (htmx sends HX-Request, courses/in_place.py): the
# lesson's rule as for the whole page, with the box of the page (200) where it redirected.
IN_PLACE = {
    "courses:question-answer": lesson_rule(200),
    "courses:reflection-save": lesson_rule(200),
    "courses:practice-note-add": lesson_rule(200),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_answers_follow_the_lessons_rule(world, name):
    method, kwargs_for, _ = RULES[name]
    headers = {"HX-Request": "true"}
    assert check(world, name, method, kwargs_for(world), IN_PLACE[name], None, headers) == []


ADMIN_OBJECT_URLS = {"change", "delete", "history"}


# Admin URLs that cannot be opened bare: autocomplete needs its query parameters (staff get 403
# without them) and view_on_site redirects to the object's own page.
ADMIN_SPECIAL = {"admin:autocomplete", "admin:view_on_site", "admin:login", "admin:logout"}


# Progress and certificates are earned by parents, never typed in by staff; the outline's
# buttons and version restores are POST-only forms, so a bare GET is refused even for staff.
ADMIN_OVERRIDES = {
    "admin:courses_lessonprogress_add": {**staff_only(), "staff": 403},
    "admin:courses_certificate_add": {**staff_only(), "staff": 403},
    "admin:courses_course_outline_move": {**staff_only(), "staff": 405},
    "admin:courses_course_outline_publish": {**staff_only(), "staff": 405},
    "admin:courses_lesson_restore": {**staff_only(), "staff": 405},
    "admin:courses_lesson_archive": {**staff_only(), "staff": 405},
    # The outbox is read-only: nobody writes a message by hand.
    "admin:reminders_message_add": {**staff_only(), "staff": 403},
    "admin:reminders_announcement_add": {**staff_only(), "staff": 403},
    # django-tasks-db's queue: tasks are queued by code, never added by hand.
    "admin:django_tasks_database_dbtaskresult_add": {**staff_only(), "staff": 403},
}


def admin_pattern_args():
    """{url name: its argument names} for the admin's URL patterns."""
    from django.contrib import admin

    found = {}
    for pattern in admin.site.get_urls():
        resolvers = [pattern] if isinstance(pattern, URLPattern) else []
        if isinstance(pattern, URLResolver):
            resolvers = [p for p in pattern.url_patterns if isinstance(p, URLPattern)]
        for inner in resolvers:
            if inner.name:
                found[f"admin:{inner.name}"] = list(inner.pattern.regex.groupindex)
    return found


def admin_kwargs(name, args, world):
    """Arguments for an admin URL from the world, or None where it has no such object."""
    if name == "admin:app_list":
        return {"app_label": "courses"}
    objects = {
        "courses_course": world["course"].pk,
        "courses_module": world["lesson"].module_id,
        "courses_lesson": world["lesson"].pk,
        "accounts_user": world["parent"].pk,
        "auth_user": world["parent"].pk,  # Django's UserAdmin names its password page so
        "accounts_parentgroup": world["group"].pk,
        "outcomes_checkin": world["checkin"].pk,
        "outcomes_sessionguide": world["guide"].pk,
    }
    model = "_".join(name.removeprefix("admin:").split("_")[:2])
    kwargs = {}
    for arg in args:
        if arg in ("object_id", "pk", "id"):
            if model not in objects:
                return None
            kwargs[arg] = objects[model]
        elif arg == "version_pk":
            kwargs[arg] = world["lesson"].versions.latest("pk").pk
        elif arg == "language":  # a translation's language (courses/admin/translations.py)
            kwargs[arg] = "es"
        else:
            raise AssertionError(f"The matrix does not know the admin argument {arg!r} ({name})")
    return kwargs


def test_admin_urls_are_for_staff_only(world):
    failures = []
    without_object = []
    pattern_args = admin_pattern_args()
    for name in discover():
        if not name.startswith("admin:") or name in ADMIN_SPECIAL:
            continue
        kwargs = admin_kwargs(name, pattern_args[name], world)
        if kwargs is None:
            without_object.append(name)
            continue
        expected = ADMIN_OVERRIDES.get(name, staff_only())
        failures += check(world, name, "get", kwargs, expected)
    assert failures == []
    # Object pages of models the world has no object for: their list pages were checked above.
    assert all(name.rsplit("_", 1)[-1] in ADMIN_OBJECT_URLS for name in without_object)
    assert len(without_object) < len(pattern_args) / 2
