"""
HTML rendered once and shared between people (circle/fragments.py, {% shared %}): each person
still gets their own CSRF token, their own records and their own state, and an edit to the
content shows on the next request.
"""

import re
from pathlib import Path

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from circle.fragments import CSP_PLACEHOLDER, CSRF_PLACEHOLDER
from courses.models import Lesson
from tests.factories import LessonProgressFactory, ReflectionFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
NOW = timezone.now()
PAGES = [
    reverse("courses:lesson", args=["circle", "one"]),
    reverse("courses:course", args=["circle"]),
    reverse("courses:dashboard"),
]


def signed_in(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_each_person_gets_their_own_csrf_token_from_a_shared_fragment(course, path):
    first, second = UserFactory(), UserFactory()
    first_page = page(signed_in(first), path)
    second_page = page(signed_in(second), path)
    assert len(caches["fragments"]._cache) > 0  # the second page was served from fragments
    for html in (first_page, second_page):
        assert CSRF_PLACEHOLDER not in html
        tokens = TOKEN.findall(html)
        assert tokens and all(tokens)
        assert len(set(tokens)) == 1  # one token per page, as Django renders it
    assert set(TOKEN.findall(first_page)).isdisjoint(TOKEN.findall(second_page))


def test_a_form_inside_a_shared_fragment_posts_with_its_token(course, parent, second_parent):
    page(signed_in(second_parent), PAGES[0])  # someone else fills the fragments first
    client = signed_in(parent)
    html = page(client, PAGES[0])
    footer = html[html.index('class="site-footer') :]
    token = TOKEN.search(footer).group(1)
    data = {"theme": "dark", "next": PAGES[0], "csrfmiddlewaretoken": token}
    assert client.post(reverse("circle:theme"), data).status_code == 302


def test_one_parents_records_never_show_on_anothers_page(course, parent, second_parent):
    lesson = Lesson.objects.get(slug="one")
    ReflectionFactory(user=parent, lesson=lesson, text="Only mine: the blue kite.")
    LessonProgressFactory(user=parent, lesson=lesson, started_at=NOW, completed_at=NOW)
    assert "blue kite" in page(signed_in(parent), PAGES[0])
    for path in PAGES:
        page(signed_in(parent), path)
        assert "blue kite" not in page(signed_in(second_parent), path)
    # The second parent has done nothing: their course page says so, not the first's state.
    course_page = page(signed_in(second_parent), PAGES[1])
    assert "0 of 3 lessons done" in course_page
    assert "1 of 3 lessons done" in page(signed_in(parent), PAGES[1])


def test_progress_shows_at_once_on_the_next_request(course, parent):
    client = signed_in(parent)
    assert "0 of 3 lessons done" in page(client, PAGES[1])
    one = Lesson.objects.get(slug="one")
    LessonProgressFactory(user=parent, lesson=one, started_at=NOW, completed_at=NOW)
    assert "1 of 3 lessons done" in page(client, PAGES[1])


def test_a_content_edit_shows_on_the_next_request(course, parent):
    client = signed_in(parent)
    assert "Lesson one" in page(client, PAGES[0])
    lesson = Lesson.objects.get(slug="one")
    lesson.title = "A new title for lesson one"
    lesson.save()
    html = page(client, PAGES[0])
    assert "A new title for lesson one" in html
    assert "A new title for lesson one" in page(client, PAGES[1])


def test_without_a_request_the_tag_renders_in_place():
    template = Template('{% load fragments %}{% shared "plain" 1 %}{{ word }}{% endshared %}')
    assert template.render(Context({"word": "hello"})) == "hello"
    assert template.render(Context({"word": "again"})) == "again"


def test_the_key_holds_the_named_values_and_the_language():
    template = Template(
        '{% load fragments %}{% shared "t" value %}{{ value }}{{ other }}{% endshared %}'
    )
    request = RequestFactory().get("/")
    first = template.render(Context({"request": request, "value": 1, "other": "a"}))
    again = template.render(Context({"request": request, "value": 1, "other": "b"}))
    changed = template.render(Context({"request": request, "value": 2, "other": "b"}))
    assert (first, again, changed) == ("1a", "1a", "2b")
    with translation.override("es"):
        assert template.render(Context({"request": request, "value": 1, "other": "c"})) == "1c"


@pytest.mark.parametrize(
    ("values", "written"),
    [
        ({"csrf_token": "tokenOfThisResponse1"}, "tokenOfThisResponse1"),
        ({}, ""),
        ({"csrf_token": "NOTPROVIDED"}, ""),
    ],
    ids=["own-token", "no-token", "django-no-token-marker"],
)
def test_a_shared_form_carries_this_responses_token_or_none(values, written):
    """
    A response without a token of its own (a context with none, or Django's NOTPROVIDED) gets
    an empty value in a cached form: never the placeholder, the word "None" or Django's marker
    posted as if it were a token. Checked on the render that fills the fragment and on the one
    served from it, after another response's token has been through.
    """
    template = Template('{% load fragments %}{% shared "form" %}{% csrf_token %}{% endshared %}')
    request = RequestFactory().get("/")
    expected = f'<input type="hidden" name="csrfmiddlewaretoken" value="{written}">'
    for before in (None, "tokenOfAnotherResponse2"):
        if before:
            template.render(Context({"request": request, "csrf_token": before}))
        assert template.render(Context({"request": request, **values})) == expected


@pytest.mark.parametrize("nonce", ["nonceOfThisResponse", None], ids=["own-nonce", "no-nonce"])
def test_a_shared_script_carries_this_responses_nonce_or_none(nonce):
    """
    A script in a fragment gets this response's CSP nonce, and a response without one (no CSP
    on that page) gets no nonce attribute, as Django writes it: never nonce="None" or another
    response's nonce. Checked on the render that fills the fragment and on the one served from it.
    """
    body = "<script {% csp_nonce_attr %}></script>"
    shared = Template('{% load fragments %}{% shared "script" %}' + body + "{% endshared %}")
    request = RequestFactory().get("/")
    values = {"request": request} if nonce is None else {"request": request, "csp_nonce": nonce}
    as_django_writes_it = Template(body).render(Context(values))
    assert as_django_writes_it == (
        "<script ></script>" if nonce is None else f'<script nonce="{nonce}"></script>'
    )
    assert shared.render(Context(values)) == as_django_writes_it
    shared.render(Context({"request": request, "csp_nonce": "nonceOfAnotherResponse"}))
    assert shared.render(Context(values)) == as_django_writes_it


def test_a_name_is_required():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% shared value %}x{% endshared %}")


@pytest.mark.parametrize("text", ["", "My <own> words & more\nsecond line"])
def test_the_reflection_field_is_what_crispy_renders(text):
    """The lesson page writes the empty-form reflection field by hand; it must not drift."""
    from courses.forms import ReflectionForm

    form = ReflectionForm(initial={"text": text})
    crispy = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
        Context({"form": form})
    )
    by_hand = Template(
        '{% include "courses/lesson_tools.html#reflection_field" with field=form.text %}'
    ).render(Context({"form": form}))

    def words(html):
        return (
            re.sub(r"\s+", " ", html.replace("> <", "><"))
            .replace("> ", ">")
            .replace(" <", "<")
            .strip()
        )

    assert words(by_hand) == words(crispy)
    assert "&lt;own&gt; words &amp; more" in by_hand or not text


def test_the_note_key_is_what_its_widget_renders():
    """The lesson page writes the note form's hidden key by hand; it must not drift."""
    from courses.forms import PracticeNoteForm

    form = PracticeNoteForm()
    by_hand = Template(
        '{% include "courses/lesson_tools.html#hidden_field" with field=form.key %}'
    ).render(Context({"form": form}))
    assert by_hand.strip() == str(form["key"])
    assert str(form["key"].value()) in by_hand


def test_the_group_report_shows_new_progress_on_the_next_request(group, facilitator_client, parent):
    url = reverse("courses:facilitator-report", args=[group.pk])
    folded = " ".join(facilitator_client.get(url).content.decode().split())
    assert "0 of 1 done (0%), 0 started" in folded
    one = Lesson.objects.get(slug="one")
    LessonProgressFactory(user=parent, lesson=one, started_at=NOW, completed_at=NOW)
    folded = " ".join(facilitator_client.get(url).content.decode().split())
    assert "1 of 1 done (100%), 1 started" in folded


# Every {% shared %} in the templates, with what it names after its name.
SHARED_TAG = re.compile(r'{%\s*shared\s+"([^"]+)"([^%]*)%}')
# Fragments that show no course content, each with why.
CONTENT_FREE = {
    "nav": "the site's links and forms: the words are the interface's own",
    "footer": "the site's notice, language and theme forms",
    "practice-note-form": "an empty form: labels and help text",
    "group-plan": "its key holds the very titles and dates it shows (GroupPlan.state_key)",
}
# Keys that carry the course's content_version themselves (checked below).
VERSIONED_KEYS = ("summary_key", "bars_key", "picture_key", "module.state_key")


def shared_tags():
    from django.conf import settings

    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            for name, values in SHARED_TAG.findall(path.read_text()):
                yield path.name, name, values.split()


def test_every_fragment_of_course_content_is_keyed_on_the_content_version():
    """A fragment showing course content that did not name the version would outlive an edit."""
    tags = list(shared_tags())
    assert len(tags) >= 10
    unversioned = [
        (path, name, values)
        for path, name, values in tags
        if name not in CONTENT_FREE
        and not any("content_version" in value for value in values)
        and not any(value.endswith(VERSIONED_KEYS) for value in values)
    ]
    assert not unversioned, unversioned


def test_the_versioned_keys_change_with_the_content_version(course, parent):
    from courses.progress import build_outlines, circle_map

    def keys():
        outline = build_outlines(parent)[0]
        return (
            outline.summary_key,
            outline.bars_key,
            circle_map(outline).picture_key,
            [module.state_key for module in outline.modules],
        )

    before = keys()
    lesson = Lesson.objects.get(slug="one")
    lesson.title = "Lesson one, edited"
    lesson.save()
    after = keys()
    assert all(old != new for old, new in zip(before[:3], after[:3], strict=True))
    assert all(old != new for old, new in zip(before[3], after[3], strict=True))


def test_a_script_in_a_shared_fragment_carries_its_own_responses_csp_nonce(course, parent):
    client = signed_in(parent)
    nonces = []
    for _ in range(2):  # rendered, then served from the fragment
        response = client.get(PAGES[0])
        html = response.content.decode()
        header = response.headers["Content-Security-Policy"]
        listen = re.search(r'<script src="[^"]*listen[^"]*" nonce="([^"]+)"', html)
        assert listen, "the Listen script is on the lesson page"
        assert f"'nonce-{listen.group(1)}'" in header
        assert CSP_PLACEHOLDER not in html
        nonces.append(listen.group(1))
    assert nonces[0] != nonces[1]
