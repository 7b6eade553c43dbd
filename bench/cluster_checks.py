"""
The six checks of `make cluster` (bench/cluster.py), each returning a Result with its numbers.
They run against the live processes: app servers A and B on their own ports, the balancer in
front, two task workers, PostgreSQL (through PgBouncer with --pgbouncer) and Redis.
"""

import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cluster_web import Browser, form_fields, succeeded

ROOT = Path(__file__).resolve().parent.parent
WRONG_PASSWORD = "The email address or password is not right."  # the site's words (locale/en_GB)
TOO_MANY = "Too many failed login attempts"


@dataclass
class Result:
    name: str
    passed: bool = True
    lines: list = field(default_factory=list)

    def expect(self, condition, line):
        """Record one finding; a false condition fails the check."""
        self.lines.append(("ok   " if condition else "FAIL ") + line)
        self.passed = self.passed and bool(condition)

    def note(self, line):
        self.lines.append("     " + line)


def statuses(answers):
    return dict(sorted(Counter(str(a.status) for a in answers).items()))


# --- 1. one session, every server -------------------------------------------------------------


def check_sessions(cluster):
    result = Result("a session is good on every app server")
    a, b, lb = cluster.ports["a"], cluster.ports["b"], cluster.ports["balancer"]
    first, second = cluster.parents[0], cluster.parents[1]
    browser = Browser(a)
    login = browser.log_in(first.email, cluster.password)
    result.expect(login.status == 302, f"log in on A (:{a}) answers {login.status} (302 expected)")
    on_b = browser.on(b).get("/dashboard/")
    result.expect(on_b.status == 200, f"the same cookie on B (:{b}): dashboard {on_b.status}")
    result.expect(first.name in on_b.text, f"B greets {first.name!r} by name")
    anonymous = Browser(b).get("/dashboard/")
    result.expect(
        anonymous.status == 302, f"control: no cookie on B sends to log in ({anonymous.status})"
    )
    through = [browser.on(lb).get("/dashboard/") for _ in range(8)]
    upstreams = Counter(answer.header("x-upstream") for answer in through)
    result.expect(
        all(answer.status == 200 for answer in through),
        f"through the balancer (:{lb}): 8 dashboards {statuses(through)}",
    )
    result.expect(
        len(upstreams) == 2, f"both app servers served them: {dict(sorted(upstreams.items()))}"
    )
    other = Browser(lb)
    login = other.log_in(second.email, cluster.password)
    result.expect(
        login.status == 302, f"a second parent logs in through the balancer ({login.status})"
    )
    both = [other.on(port).get("/dashboard/").status for port in (a, b)]
    result.expect(both == [200, 200], f"...and is logged in on A and on B directly: {both}")
    logout = other.on(b).post("/accounts/logout/")
    after = other.on(a).get("/dashboard/").status
    result.expect(
        logout.status == 302 and after == 302,
        f"logging out on B ends the session on A too (A then answers {after})",
    )
    cluster.parent_browser = browser
    return result


# --- 2. an admin's edit shows everywhere at once ---------------------------------------------


def check_admin_edit(cluster):
    result = Result("an admin's edit on A shows on B at once")
    a, b = cluster.ports["a"], cluster.ports["b"]
    before, target = cluster.lessons[0], cluster.lessons[1]
    parent_b = cluster.parent_browser.on(b)
    # Fill B's per-worker content caches: the previous lesson's page names the target as "Next".
    warm = [parent_b.get(before.path) for _ in range(12)]
    result.expect(
        all(answer.status == 200 and target.title in answer.text for answer in warm),
        f"B's page of the lesson before shows 'Next: {target.title}' ({len(warm)} times)",
    )
    version_before = cluster.content_version()
    admin = Browser(a)
    login = admin.log_in(cluster.admin_email, cluster.password)
    result.expect(login.status == 302, f"the admin logs in on A ({login.status})")
    change = f"/admin/courses/lesson/{target.id}/change/"
    page = admin.get(change)
    fields = form_fields(page.text, "lesson_form")
    result.expect(page.status == 200 and fields, f"the admin's change form on A ({page.status})")
    new_title = f"{target.title} (edited {time.strftime('%H:%M:%S')})"
    form = [(name, new_title if name == "title" else value) for name, value in fields]
    form.append(("_save", "Save"))
    saved = admin.post(change, form)
    edited_at = time.monotonic()
    result.expect(
        saved.status == 302,
        f"saving the new title on A answers {saved.status} (302 expected)"
        + ("" if saved.status == 302 else f": {errors_in(saved.text)}"),
    )
    pages = [parent_b.get(target.path) for _ in range(6)]
    pages += [parent_b.get(before.path) for _ in range(12)]
    seconds = time.monotonic() - edited_at
    fresh = sum(answer.status == 200 and new_title in answer.text for answer in pages)
    result.expect(
        fresh == len(pages),
        f"B shows {new_title!r} on {fresh} of {len(pages)} pages read in the next "
        f"{seconds:.2f} s (the lesson itself and the 'Next' link from B's cached list)",
    )
    version_after = cluster.content_version()
    result.note(
        f"the course's content_version went {version_before} -> {version_after}: B's workers "
        "looked up lists under the new version, so none served the old one"
    )
    return result


def errors_in(html):
    """The form's error messages, for a failed save."""
    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return " / ".join(" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in found)[:300]


# --- 3. login limits counted together --------------------------------------------------------


def check_rate_limits(cluster):
    result = Result("login limits count across both app servers")
    a, b = cluster.ports["a"], cluster.ports["b"]
    person = cluster.rate_limited
    answers = []
    for attempt in range(cluster.login_attempts_limit):
        port = (a, b)[attempt % 2]
        answer = Browser(port).log_in(person.email, "not-the-password")
        answers.append(("AB"[attempt % 2], answer))
    refused = [side for side, answer in answers if WRONG_PASSWORD in answer.text]
    result.expect(
        len(refused) == cluster.login_attempts_limit,
        f"{cluster.login_attempts_limit} wrong passwords, alternating {''.join(refused)}: "
        "each told the password is not right",
    )
    for side, port in (("B", b), ("A", a)):
        right = Browser(port).log_in(person.email, cluster.password)
        result.expect(
            right.status == 200 and TOO_MANY in right.text,
            f"then the right password on {side}: {right.status}, "
            + ("'Too many failed login attempts'" if TOO_MANY in right.text else "let in"),
        )
    control = Browser(b).log_in(cluster.parents[2].email, cluster.password)
    result.expect(control.status == 302, f"control: another parent logs in on B ({control.status})")
    return result


# --- 4. the reminder sweep on both machines ---------------------------------------------------


def check_reminders(cluster):
    result = Result("a sweep on both machines sends each email once")
    moment = cluster.reminder_moment
    sweep = [sys.executable, "manage.py", "send_reminders", "--now", moment]
    sweeps = [
        subprocess.Popen(
            sweep, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for env in (cluster.app_env["a"], cluster.app_env["b"])
    ]
    outputs = [process.communicate(timeout=300)[0] for process in sweeps]
    codes = [process.returncode for process in sweeps]
    result.expect(codes == [0, 0], f"two sweeps at once for {moment}, exit codes {codes}")
    for number, output in enumerate(outputs, start=1):
        result.note(f"sweep {number}: {' '.join(output.split())[:160]}")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and cluster.messages_waiting():
        time.sleep(0.5)
    counts = cluster.message_counts()
    result.expect(
        counts["waiting"] == 0,
        f"the two workers sent the queue: {counts['sent']} sent, {counts['waiting']} waiting, "
        f"{counts['failed']} failed",
    )
    result.expect(
        counts["module_opens"] == cluster.reminder_parents,
        f"{counts['module_opens']} 'module opens' messages recorded for "
        f"{cluster.reminder_parents} parents in the group",
    )
    time.sleep(1)  # the last file is closed just after its row says sent
    sent = recipients(cluster.mail_dir)
    per_person = cluster.message_recipients()
    result.expect(
        sum(sent.values()) == counts["sent"] and sent == per_person,
        f"{sum(sent.values())} emails in the mail folder to {len(sent)} people; "
        f"most to one person: {max(sent.values(), default=0)}; matches the outbox: "
        f"{sent == per_person}",
    )
    return result


def recipients(mail_dir):
    found = Counter()
    for path in Path(mail_dir).iterdir():
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                found[line.removeprefix("To: ").strip()] += 1
    return found


# --- 5. one app server stops under load -------------------------------------------------------


def check_app_server_stop(cluster):
    result = Result("one app server stops under load; the other answers")
    load = cluster.load()
    load.start()
    time.sleep(cluster.args.load_seconds)
    in_flight = load.snapshot()
    stopped_at = time.monotonic()
    # SIGTERM is `systemctl stop` (granian finishes what it holds); SIGKILL (--hard-stop) is a
    # machine that dies with requests in its hands.
    code = cluster.children.stop(
        "app-a", sig=signal.SIGKILL if cluster.args.hard_stop else signal.SIGTERM
    )
    stopped_in = time.monotonic() - stopped_at
    time.sleep(cluster.args.load_seconds)
    load.stop()
    outcomes = load.outcomes
    before = [o for o in outcomes if o.answer.started < stopped_at]
    after = [o for o in outcomes if o.answer.started >= stopped_at + stopped_in]
    bad = [o for o in outcomes if not succeeded(o)]
    errors = [o for o in outcomes if o.answer.status is None or o.answer.status >= 500]
    result.note(
        f"{len(outcomes)} requests through the balancer by {len(load.threads)} browsers; "
        f"{in_flight} in flight when A got {'SIGKILL' if cluster.args.hard_stop else 'SIGTERM'} "
        f"(it exited with {code} in {stopped_in:.1f} s)"
    )
    result.note(f"answers: {statuses(o.answer for o in outcomes)}")
    result.note(f"served before the stop by {share(before)}; after it by {share(after)}")
    result.expect(
        len(errors) <= in_flight,
        f"5xx or connection errors: {len(errors)} (allowed: the {in_flight} in flight)",
    )
    result.expect(len(bad) <= in_flight, f"answers other than the expected 200/302: {len(bad)}")
    # nginx names every server it tried: "A, B" is a request it passed on to B after A refused.
    answered_by = Counter(last_upstream(o) for o in after if succeeded(o))
    passed_on = sum(1 for o in outcomes if "," in o.answer.header("x-upstream"))
    result.expect(
        after and set(answered_by) == {cluster.upstream_name("b")},
        f"after the stop every good answer came from B ({len(after)} requests; {passed_on} were "
        "passed on to B by the balancer after A refused the connection)",
    )
    cluster.start_app("a")
    result.note("A started again for the next check")
    return result


def last_upstream(outcome):
    return outcome.answer.header("x-upstream").split(",")[-1].strip()


def share(outcomes):
    counts = Counter(last_upstream(o) or "none" for o in outcomes)
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "nobody"


# --- 6. PostgreSQL restarts under load --------------------------------------------------------


def check_database_restart(cluster):
    result = Result("PostgreSQL restarts under load: 503s, then 200s, no write lost")
    cluster.reset_completions()
    cluster.checkpoint()
    load = cluster.load()
    load.start()
    time.sleep(cluster.args.load_seconds)
    down_at = time.monotonic()
    restart = subprocess.run(cluster.restart_command, capture_output=True, text=True, check=False)
    restarted_at = time.monotonic()
    up_at = cluster.wait_for_postgres()
    time.sleep(cluster.args.load_seconds + 4)
    load.stop()
    result.expect(
        restart.returncode == 0,
        f"{' '.join(cluster.restart_command)}: exit {restart.returncode} after "
        f"{restarted_at - down_at:.1f} s {restart.stderr.strip()[:200]}",
    )
    outcomes = load.outcomes
    result.note(
        f"{len(outcomes)} requests by {len(load.threads)} browsers; PostgreSQL accepted "
        f"connections again {up_at - down_at:.1f} s after the restart began"
    )
    result.note(f"answers: {statuses(o.answer for o in outcomes)}")
    server_errors = [o for o in outcomes if o.answer.status == 500]
    no_answer = [o for o in outcomes if o.answer.status is None]
    unavailable = [o for o in outcomes if o.answer.status == 503]
    result.expect(not server_errors, f"500 answers: {len(server_errors)}")
    result.expect(not no_answer, f"requests with no answer at all: {len(no_answer)}")
    with_retry = sum(1 for o in unavailable if o.answer.header("retry-after"))
    result.expect(
        with_retry == len(unavailable),
        f"503 answers: {len(unavailable)}, with Retry-After: {with_retry}",
    )
    failures = [o for o in outcomes if not succeeded(o)]
    if failures:
        first = min(o.answer.started for o in failures) - down_at
        last = max(o.answer.ended for o in failures) - up_at
        result.note(
            f"answers other than 200/302: to requests sent from {first:+.1f} s (from the "
            f"restart's start) until answered {last:+.1f} s (from PostgreSQL's return)"
        )
        late = [o for o in failures if o.answer.ended > up_at + cluster.args.recovery_seconds]
    else:
        late = []
    outside = [o for o in failures if o.answer.ended < down_at]
    result.expect(
        not late and not outside,
        f"every answer is 200/302 again within {cluster.args.recovery_seconds} s of "
        f"PostgreSQL's return ({len(late)} later, {len(outside)} before the restart)",
    )
    after = [o for o in outcomes if o.answer.started > up_at + cluster.args.recovery_seconds]
    result.expect(
        after and all(succeeded(o) for o in after),
        f"after that: {len(after)} requests, {statuses(o.answer for o in after)}",
    )
    acknowledged = [o.write for o in outcomes if o.write and succeeded(o)]
    missing = cluster.writes_missing(acknowledged)
    result.expect(
        acknowledged and not missing,
        f"acknowledged writes: {len(acknowledged)} "
        f"({sum(1 for w in acknowledged if w[0] == 'note')} practice notes, "
        f"{sum(1 for w in acknowledged if w[0] == 'complete')} lessons marked done); "
        f"missing from the database: {len(missing)}",
    )
    restarts = sum(cluster.children.restarts.values())
    result.note(
        f"task workers that exited on the outage and were started again (as systemd's "
        f"Restart=always does): {restarts}"
    )
    return result
