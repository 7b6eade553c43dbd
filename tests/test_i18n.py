"""
The site in every language it speaks: the catalogues are complete, every page reads in Spanish,
the language follows the person, and mail is written in theirs.

The lesson content itself is not translated here (it stays as written until its translation
task): the page checks treat everything that comes from the database as data, not interface.
"""

import datetime
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts.groups import invitation_send
from accounts.language import friendly_date, language_for_user, weekday_date
from accounts.models import Invitation, ParentGroup, User
from courses.checks import question_answer
from courses.models import Lesson, Module, Reflection
from tests.conftest import logged_in
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    MembershipFactory,
    PracticeNoteFactory,
    ReflectionFactory,
    UserFactory,
    add_questions,
)
from tests.test_access_matrix import PERSONAS, RULES, world  # noqa: F401 (world: a fixture)

BASE_DIR = Path(settings.BASE_DIR)
SPANISH = "es"
ENGLISH = "en-GB"
OTHER_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


# The catalogues ------------------------------------------------------------------------------


def catalogue_entries(path):
    """{(context, msgid): (translations, flags)} of a .po file, read with GNU gettext's msgcat."""
    # msgcat writes every entry on one line per field, which keeps this reader small.
    text = subprocess.run(  # noqa: S603
        ["msgcat", "--no-wrap", "--no-location", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = {}
    for block in text.split("\n\n"):
        fields = {"flags": set(), "msgctxt": None, "msgstr": []}
        for line in block.splitlines():
            if line.startswith("#,"):
                fields["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif match := re.match(
                r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line
            ):
                key, value = match.groups()
                if key.startswith("msgstr"):
                    fields["msgstr"].append(value)
                else:
                    fields[key] = value
        if fields.get("msgid"):
            key = (fields["msgctxt"], fields["msgid"])
            entries[key] = (fields["msgstr"], fields["flags"])
    return entries


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """What `makemessages` finds in the code today, run on a copy so the real files stay put."""
    copy = tmp_path_factory.mktemp("site") / "site"
    # What `make messages` reads: everything but these (I18N_IGNORE and tests in the Makefile).
    skipped = [".venv", ".cache", "var", "staticfiles", "bench", "tests", ".git", "static"]
    ignore = shutil.ignore_patterns(*skipped, "__pycache__", "*.mo", "*.sqlite3", "content")
    shutil.copytree(BASE_DIR, copy, ignore=ignore)
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--all",
            "--no-obsolete",
            "--extension=html,txt,py",
            "--verbosity=0",
        ],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", "HOME": str(copy)},
        check=True,
    )
    return copy / "locale"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_string_of_the_code_is_in_the_catalogue_and_translated(fresh_catalogues, language):
    folder = language.replace("-", "_")
    found = catalogue_entries(fresh_catalogues / folder / "LC_MESSAGES" / "django.po")
    kept = catalogue_entries(BASE_DIR / "locale" / folder / "LC_MESSAGES" / "django.po")
    missing = sorted(set(found) - set(kept), key=str)
    stale = sorted(set(kept) - set(found), key=str)
    assert not missing, f"Run `make messages` and translate these: {missing}"
    assert not stale, f"No longer in the code (run `make messages`): {stale}"
    assert len(kept) > 700  # the whole interface, not a stub


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_entry_of_a_catalogue_is_empty_fuzzy_or_has_broken_placeholders(language):
    path = BASE_DIR / "locale" / language.replace("-", "_") / "LC_MESSAGES" / "django.po"
    entries = catalogue_entries(path)
    empty = [msgid for msgid, (msgstrs, _) in entries.items() if not all(msgstrs)]
    fuzzy = [msgid for msgid, (_, flags) in entries.items() if "fuzzy" in flags]
    assert empty == []
    assert fuzzy == []
    # The same check compilemessages makes: every %(name)s of the English is in the translation.
    checked = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--output-file=/dev/null", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_languages_are_english_and_every_catalogue():
    codes = [code for code, _ in settings.LANGUAGES]
    assert codes[0] == settings.LANGUAGE_CODE == "en-gb"
    assert SPANISH in codes
    assert dict(settings.LANGUAGES) == {"en-gb": "English", "es": "Español"}


# Every page, read in Spanish -----------------------------------------------------------------

# Words that are the same in both languages on purpose: the framework's and its authors' names
# (a trademark is not translated), file formats, and Markdown.
SAME_IN_BOTH = {
    "circle", "security", "international", "parenting", "glen", "cooper", "kent", "hoffman",
    "robert", "marvin", "bert", "powell", "csv", "json", "pdf", "zip", "markdown",
    # ...and words Spanish and English share: "ideas", "base segura", "min", "editor de texto",
    # "ya has iniciado sesión" beside "if that address has an account".
    "ideas", "base", "min", "editor", "personal", "plan", "cookies", "web", "ctrl", "mac", "has",
}  # fmt: skip
TEXT_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}


class VisibleText(HTMLParser):
    """
    The words a person meets on a page: text, <title>, the description, labels for screen
    readers and the words on buttons. Anything marked with another language than the page's
    (the switcher's other languages, an English fallback block) is left out: it says so itself.
    """

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.page_language = None
        self.stack = []  # (tag, skipped)
        self.pieces = []

    def _skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_language = (attrs.get("lang") or "").lower()
        lang = (attrs.get("lang") or "").lower()
        skipped = self._skipped() or tag in ("script", "style", "textarea")
        skipped = skipped or bool(lang and self.page_language and lang != self.page_language)
        if not skipped:
            self.pieces += [value for name, value in attrs.items() if name in TEXT_ATTRIBUTES]
            if tag == "meta" and attrs.get("name") == "description":
                self.pieces.append(attrs.get("content") or "")
            if tag == "input" and attrs.get("type") in ("submit", "button"):
                self.pieces.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._skipped():
            self.pieces.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return [piece for piece in (" ".join(p.split()) for p in parser.pieces if p) if piece]


# Stored values that are codes, not words on a page.
NOT_SHOWN = {"password", "language", "token_hash", "slug", "join_code", "code"}


def texts_in(value):
    """
    The strings in a stored value: itself, or every string inside a JSON list or object except
    the keys that name things (a statement's "key" and its "theme" are codes, not words).
    """
    if isinstance(value, dict):
        value = [item for name, item in value.items() if name not in ("key", "theme")]
    if isinstance(value, list):
        for item in value:
            yield from texts_in(item)
    elif isinstance(value, str):
        yield value


def data_strings():
    """
    Everything a page shows that comes from the database (lesson content, names, emails), as
    one pattern that matches them as whole words.
    """
    from django.apps import apps

    found = set()
    # The outcomes app stores content too (the check-in, its statements frozen as JSON in each
    # version, the session guides and where a session meets): its texts are data as well.
    models = [
        *apps.get_app_config("courses").get_models(),
        *apps.get_app_config("outcomes").get_models(),
        User,
        ParentGroup,
        Invitation,
    ]
    for model in models:
        fields = [
            f.name
            for f in model._meta.get_fields()
            if f.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField")
            and f.name not in NOT_SHOWN
        ]
        for row in model.objects.values_list(*fields):
            for value in (text for item in row for text in texts_in(item)):
                if not value:
                    continue
                found.add(str(value))
                found.update(line.strip() for line in str(value).splitlines() if line.strip())
                if "<" in str(value):  # rendered Markdown: its text, piece by piece
                    found.update(visible_text(str(value)))
    found.update(str(user) for user in User.objects.all())
    values = sorted((value for value in found if len(value) > 2), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")


def interface_words(html, data):
    """The words of the page's interface: its visible text without data and addresses."""
    words = set()
    for piece in visible_text(html):
        piece = data.sub(" ", piece) if data else piece
        piece = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", piece)
        # A word with a lower-case letter, three letters or more: codes (ABCD-EFGH) are data.
        words.update(w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]{3,}", piece) if w != w.upper())
    return words


def english_left_in_spanish(english_html, spanish_html, data):
    assert 'lang="es"' in spanish_html[:200]
    assert 'lang="en-GB"' in english_html[:200]
    return sorted(interface_words(spanish_html, data) & interface_words(english_html, data) -
                  SAME_IN_BOTH)  # fmt: skip


@pytest.fixture
def full_world(request, course):
    """The access matrix's world with something on every page: answers, shared words, notes."""
    people = request.getfixturevalue("world")
    parent, second_parent = people["parent"], people["second_parent"]
    lesson = people["lesson"]
    MembershipFactory(group=people["group"], user=second_parent)
    question = add_questions(Lesson.objects.get(slug="two"), 1)[0]
    question_answer(user=parent, question=question, choice=question.choices.get(text="Wrong"))
    ReflectionFactory(user=second_parent, lesson=lesson, text="Kim's shared words.", shared=True)
    PracticeNoteFactory(user=parent, lesson=Lesson.objects.get(slug="two"))
    browser = logged_in(parent)
    for slug in ["one", "two"]:
        browser.post(reverse("courses:lesson-complete", args=["circle", slug]), {"complete": "yes"})
    return people


def pages_of(people):
    """(persona, url) for every page of the access matrix that a persona may open (GET, 200)."""
    for name, (method, kwargs_for, expected) in sorted(RULES.items()):
        if method != "get" or name == "circle:health":
            continue
        url = reverse(name, kwargs=kwargs_for(people) if kwargs_for else {})
        for persona in PERSONAS:
            if expected[persona] == 200:
                yield persona, url
    yield "parent", reverse("courses:lesson", args=["circle", "two"])  # a knowledge check
    yield "anonymous", "/no-such-page/"
    yield "parent", "/no-such-page/"


def browser_for(people, persona, language):
    browser = Client() if persona == "anonymous" else logged_in(people[persona])
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return browser


def test_every_page_a_person_can_open_reads_in_spanish(full_world):
    data = data_strings()
    leftovers = {}
    pages = sorted(set(pages_of(full_world)))
    assert len(pages) > 60
    for persona, url in pages:
        english = browser_for(full_world, persona, ENGLISH).get(url)
        spanish = browser_for(full_world, persona, SPANISH).get(url)
        assert spanish.status_code == english.status_code, (persona, url)
        if "text/html" not in spanish["Content-Type"] or not spanish.content:
            continue
        assert spanish["Content-Language"] == SPANISH
        left = english_left_in_spanish(english.content.decode(), spanish.content.decode(), data)
        if left:
            leftovers[f"{persona} {url}"] = left
    assert leftovers == {}


@pytest.mark.parametrize("template", ["403.html", "403_csrf.html", "429.html", "500.html"])
def test_the_error_pages_read_in_spanish(db, template):
    def render(language):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        with translation.override(language):
            return render_to_string(template, request=request if template != "500.html" else None)

    assert english_left_in_spanish(render("en-gb"), render("es"), None) == []


def test_the_report_spreadsheet_has_spanish_headers_and_statuses(full_world):
    browser = browser_for(full_world, "facilitator", SPANISH)
    response = browser.get(reverse("courses:facilitator-report-csv", args=[full_world["group"].pk]))
    text = b"".join(response.streaming_content).decode()
    header = text.splitlines()[0]
    assert header.startswith("\ufeffMadre o padre,Correo electrónico,Se unió,Lecciones hechas")
    assert "hecha" in text and "Todo el grupo: familias que reflexionaron" in text
    assert "progreso" in response["Content-Disposition"]


# Choosing the language -----------------------------------------------------------------------


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_english_is_the_default_and_the_page_says_so(client, db):
    response = client.get("/")
    assert html_lang(response) == "en-GB"
    assert "Be there for your child" in response.content.decode()


def test_a_browser_asking_for_spanish_gets_spanish(client, db):
    for asked in ["es", "es-MX,es;q=0.9,en;q=0.5", "es-ES"]:
        response = client.get("/", headers={"Accept-Language": asked})
        assert html_lang(response) == "es"
        assert "Acompaña a tu hijo o hija" in response.content.decode()
    # A language the site does not speak falls back to English.
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"})) == "en-GB"


def test_the_switcher_is_a_plain_form_in_the_header_and_the_footer(client, db):
    html = client.get("/about/").content.decode()
    forms = re.findall(r'<form method="post" action="/language/".*?</form>', html, re.S)
    assert len(forms) == 2  # header and footer
    for form in forms:
        assert 'name="next" value="/about/"' in form
        assert 'name="language" value="es" lang="es"' in form
        assert ">Español</button>" in form
    assert html.count('<span class="language-current" lang="en-gb" aria-current="true">') == 2


def test_the_switcher_works_without_javascript_and_remembers_the_choice(client, db):
    response = client.post(reverse("accounts:language"), {"language": "es", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The cookie now wins over the browser's own language.
    page = client.get("/about/", headers={"Accept-Language": "en-GB"})
    assert html_lang(page) == "es" and "Sobre este sitio" in page.content.decode()
    client.post(reverse("accounts:language"), {"language": "en-gb", "next": "/about/"})
    assert html_lang(client.get("/about/", headers={"Accept-Language": "es"})) == "en-GB"


def test_the_switcher_refuses_a_language_the_site_lacks_and_foreign_next_pages(client, parent):
    browser = logged_in(parent)
    response = browser.post(
        reverse("accounts:language"), {"language": "fr", "next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    parent.refresh_from_db()
    assert parent.language == ""
    assert client.get(reverse("accounts:language")).status_code == 405


def test_the_saved_choice_follows_the_person_to_another_device(parent):
    phone = logged_in(parent)
    phone.post(reverse("accounts:language"), {"language": "es", "next": "/dashboard/"})
    parent.refresh_from_db()
    assert parent.language == "es"

    # The laptop's browser asks for English; logging in there shows Spanish all the same.
    laptop = Client(headers={"Accept-Language": "en-GB"})
    response = laptop.post(
        reverse("account_login"), {"login": parent.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("courses:dashboard")
    assert html_lang(response) == "es"
    assert "Hola, Pat" in response.content.decode()
    # The laptop remembers it too, so the pages after logging out stay in Spanish.
    assert laptop.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    laptop.post(reverse("account_logout"))
    assert html_lang(laptop.get("/")) == "es"


def test_the_saved_choice_wins_over_the_cookie_and_the_browser(parent):
    parent.language = "es"
    parent.save()
    browser = logged_in(parent)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    assert html_lang(browser.get("/journal/", headers={"Accept-Language": "en"})) == "es"


def test_switching_language_keeps_progress_reflections_and_answers(parent, course):
    browser = logged_in(parent)
    lesson_url = reverse("courses:lesson", args=["circle", "one"])
    browser.post(reverse("courses:lesson-complete", args=["circle", "one"]), {"complete": "yes"})
    browser.post(lesson_url + "reflection/", {"text": "Words written in English."})
    browser.post(reverse("accounts:language"), {"language": "es", "next": lesson_url})
    html = browser.get(lesson_url).content.decode()
    assert "Words written in English." in html
    assert "✓ Hecha</span> el" in html
    assert (
        "1 de 3 lecciones hechas"
        in browser.get(reverse("courses:course", args=["circle"])).content.decode()
    )
    assert Reflection.objects.filter(user=parent).count() == 1


def test_dates_and_numbers_follow_the_language():
    day = datetime.date(2026, 12, 7)
    today = datetime.date(2026, 1, 1)
    with translation.override("es"):
        assert friendly_date(day, today) == "lunes 7 de diciembre"
        assert friendly_date(day, datetime.date(2025, 1, 1)) == "lunes 7 de diciembre de 2026"
        assert weekday_date(day) == "lunes 7 de diciembre de 2026"
    with translation.override("en-gb"):
        assert friendly_date(day, today) == "Monday 7 December"
        assert weekday_date(day) == "Monday 7 December 2026"
    # A language without formats of its own still gets its dates in words (no weekday).
    with translation.override("fr"):
        assert friendly_date(day, today) == "7 décembre"


def test_a_module_opening_later_reads_as_a_whole_spanish_sentence(parent, group):
    opens_on = timezone.localdate() + datetime.timedelta(days=5)
    second = Module.objects.get(course=group.course, slug="second")
    AssignmentFactory(group=group, module=second, opens_on=opens_on)
    parent.language = SPANISH
    parent.save(update_fields=["language"])
    html = logged_in(parent).get(reverse("courses:dashboard")).content.decode()
    with translation.override(SPANISH):
        assert f"Módulo 2: se abre el {friendly_date(opens_on)}" in html


# Mail in the person's language ---------------------------------------------------------------


def test_a_group_language_is_set_by_its_facilitator_and_invitations_go_out_in_it(
    group, facilitator_client
):
    url = reverse("accounts:facilitator-group-language", args=[group.pk])
    response = facilitator_client.post(url, {"language": "es"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.language == "es"
    facilitator_client.post(
        reverse("accounts:facilitator-invite", args=[group.pk]), {"invite-email": "ana@example.com"}
    )
    message = mail.outbox[-1]
    assert message.subject == "[Curso del Círculo] Te invitan a unirte a Tuesday evening group"
    assert "te invita a unirte a «Tuesday evening group»" in message.body
    assert re.search(r"hasta el [a-zé]+ \d+ de [a-z]+ de \d{4}\.", message.body)
    # The facilitator's own page stays in their language.
    assert (
        "Invitation sent to ana@example.com."
        in facilitator_client.get(
            reverse("accounts:facilitator-group", args=[group.pk])
        ).content.decode()
    )


def test_an_unknown_group_language_is_refused(group, facilitator_client):
    url = reverse("accounts:facilitator-group-language", args=[group.pk])
    assert facilitator_client.post(url, {"language": "fr"}).status_code == 400
    group.refresh_from_db()
    assert group.language == ""


def test_someone_who_chose_a_language_is_invited_in_theirs(group, facilitator):
    UserFactory(email="maria@example.com", language="en-gb")
    group.language = "es"
    group.save()
    invitation_send(group=group, email="maria@example.com", invited_by=facilitator,
                    link_for=lambda token: f"https://example.org/{token}")  # fmt: skip
    assert (
        mail.outbox[-1].subject == "[Circle course] You are invited to join Tuesday evening group"
    )


def test_signing_up_in_spanish_keeps_the_language_and_confirms_in_spanish(client, db):
    client.post(
        reverse("account_signup"),
        {"email": "nuevo@example.com", "password1": PASSWORD, "password2": PASSWORD},
        headers={"Accept-Language": "es"},
    )
    person = User.objects.get(email="nuevo@example.com")
    assert person.language == "es"
    message = mail.outbox[-1]
    assert (
        message.subject
        == "[Curso del Círculo] Te damos la bienvenida: confirma tu correo electrónico"
    )
    assert message.body.startswith("Hola:")
    assert "Gracias por registrarte en el Curso del Círculo" in message.body


def test_a_password_reset_is_written_in_the_saved_language_whatever_the_page(client, parent):
    parent.language = "es"
    parent.save()
    client.post(reverse("account_reset_password"), {"email": parent.email})
    message = mail.outbox[-1]
    assert message.subject == "[Curso del Círculo] Cambia tu contraseña"
    assert "Alguien (esperamos que tú) pidió cambiar la contraseña" in message.body


def test_the_goodbye_email_is_in_the_language_the_person_used(
    parent, django_capture_on_commit_callbacks
):
    browser = logged_in(parent)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            reverse("accounts:delete"), {"password": PASSWORD}, headers={"Accept-Language": "es"}
        )
    assert mail.outbox[-1].subject == "[Curso del Círculo] Tu cuenta está borrada"
    assert mail.outbox[-1].body.startswith("Hola, Pat:")


def test_mail_outside_a_page_uses_the_saved_language_else_the_default(parent):
    assert language_for_user(parent) == "en-gb"
    parent.language = "es"
    assert language_for_user(parent) == "es"
    parent.language = "xx"  # a language the site stopped speaking
    assert language_for_user(parent, fallback="es") == "es"
