"""
What `make cluster` talks to the site with: a browser of one person (cookies kept by hand,
since production cookies are Secure and the loopback speaks plain http), a reader of the
admin's forms, and a load of many browsers at once that records every answer with its time.
"""

import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Answer:
    status: int | None  # None: no answer at all (refused, reset, timed out)
    headers: dict
    text: str
    started: float = 0.0
    ended: float = 0.0

    def header(self, name):
        return self.headers.get(name.lower(), "")


class Browser:
    """
    One person's browser on one server. `on(port)` is the same browser (the same cookies,
    so the same session) talking to another server. The CSRF cookie is a secret of its own,
    sent back in the X-CSRFToken header as Django accepts it.
    """

    def __init__(self, port, cookies=None, *, timeout=30):
        self.port = port
        self.cookies = cookies if cookies is not None else {}
        self.cookies.setdefault("csrftoken", secrets.token_hex(16))
        self.timeout = timeout
        self.connection = None

    def on(self, port):
        return Browser(port, self.cookies, timeout=self.timeout)

    def request(self, method, path, form=None):
        headers = {
            "Host": "127.0.0.1",
            "Accept-Language": "en",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        body = None
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form or {}, doseq=True)
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, ValueError) as error:  # refused, reset, timed out, broken pipe
            self.close()
            return Answer(None, {}, repr(error), started, time.monotonic())
        for line in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(line)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answer_headers, text, started, time.monotonic())

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form=None):
        return self.request("POST", path, form)

    def log_in(self, email, password):
        return self.post("/accounts/login/", {"login": email, "password": password})

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class FormReader(HTMLParser):
    """The fields of one form (by id) as a browser would send them, unchanged."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []  # [(name, value)] in page order
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "multiple": "multiple" in attrs,
                "chosen": [],
                "first": None,
            }
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            value = self.textarea[1]
            # The HTML parser keeps the newline a textarea starts with; browsers drop it.
            self.fields.append((self.textarea[0], value.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"]:
                chosen = [self.select["first"] or ""]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_fields(html, form_id):
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.fields


# --- load ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "read", "note" or "complete"
    answer: Answer
    write: tuple = ()  # what an acknowledged write promises: ("note", key) or ("complete", ...)


@dataclass
class Load:
    """
    Browsers through the balancer, each in a thread of its own: readers open lesson pages and
    the dashboard, writers add practice notes (each with a fresh key) and mark lessons done.
    Every answer is kept with its start and end time; `in_flight` counts requests sent and
    not yet answered at any moment.
    """

    port: int
    readers: list  # [(cookies, [lesson paths])]
    writers: list  # [(user id, cookies, [(lesson id, lesson path)])]
    outcomes: list = field(default_factory=list)
    in_flight: int = 0

    def __post_init__(self):
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = []

    def _send(self, browser, kind, method, path, form=None, write=()):
        with self.lock:
            self.in_flight += 1
        answer = browser.request(method, path, form)
        with self.lock:
            self.in_flight -= 1
            self.outcomes.append(Outcome(kind, answer, write))

    def _read(self, cookies, paths):
        browser = Browser(self.port, dict(cookies))
        turn = 0
        while not self.stopping.is_set():
            path = "/dashboard/" if turn % 4 == 3 else paths[turn % len(paths)]
            self._send(browser, "read", "GET", path)
            turn += 1
        browser.close()

    def _write(self, user_id, cookies, lessons):
        browser = Browser(self.port, dict(cookies))
        turn = 0
        while not self.stopping.is_set():
            lesson_id, path = lessons[turn % len(lessons)]
            if turn % 2 == 0:
                key = str(uuid.uuid4())
                form = {
                    "key": key,
                    "noted_on": time.strftime("%Y-%m-%d"),
                    "tried": f"Cluster note {key[:8]}: we read a story together.",
                    "happened": "",
                }
                self._send(browser, "note", "POST", path + "practice/", form, ("note", key))
            else:
                write = ("complete", user_id, lesson_id)
                self._send(
                    browser, "complete", "POST", path + "complete/", {"complete": "yes"}, write
                )
            turn += 1
        browser.close()

    def start(self):
        for cookies, paths in self.readers:
            self.threads.append(threading.Thread(target=self._read, args=(cookies, paths)))
        for user_id, cookies, lessons in self.writers:
            self.threads.append(
                threading.Thread(target=self._write, args=(user_id, cookies, lessons))
            )
        for thread in self.threads:
            thread.daemon = True
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def snapshot(self):
        with self.lock:
            return self.in_flight


def succeeded(outcome):
    """A page read is a 200; a write is acknowledged by its redirect back to the lesson."""
    answer = outcome.answer
    if outcome.kind == "read":
        return answer.status == 200
    anchor = "#practice-notes" if outcome.kind == "note" else "#progress"
    return answer.status == 302 and answer.header("location").endswith(anchor)
