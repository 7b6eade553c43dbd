"""
`make cluster` (or `.venv/bin/python bench/cluster.py --help`): the site as several machines,
on loopback, and the proof that they act as one site.

It builds a fresh PostgreSQL database (circle_cluster: migrated, the course loaded, parents and
an admin made), then starts, each as a child of this script: optionally PgBouncer in
transaction mode (--pgbouncer), two granian app servers in production mode on two ports
("machines" A and B), a load balancer in front (nginx, or HAProxy with --balancer haproxy) and
two task workers (db_worker), all sharing the running Redis (a key prefix of their own). Then
six checks, each printed PASS or FAIL with its numbers (bench/cluster_checks.py):

  1. a session made on one app server is good on the other, and through the balancer;
  2. an admin's edit on A shows on B at once (B's per-worker content cache notices);
  3. failed logins alternating between A and B are counted together;
  4. the reminder sweep run on both machines at once sends each email once;
  5. stopping one app server under load: the other answers, no errors beyond those in flight;
  6. restarting PostgreSQL under load (skip with --no-restart: it pauses every database user of
     this machine for a second or two): 503 with Retry-After during the outage, 200 again
     within seconds after, and every acknowledged write is in the database.

Every process is stopped at the end whatever happens; the exit status is 1 if a check failed.
"""

import argparse
import getpass
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import cluster_checks as checks
from cluster_setup import (
    HAPROXY_503,
    Children,
    free_port,
    haproxy_config,
    nginx_config,
    pgbouncer_config,
    wait_for_health,
    wait_for_port,
)
from cluster_web import Load

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRANIAN = str(Path(sys.executable).parent / "granian")
PASSWORD = "cluster-demo-2026"
REDIS_URL = "redis://127.0.0.1:6379/0"
KEY_PREFIX = "circle-cluster"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
CHECKS = {
    "sessions": checks.check_sessions,
    "admin": checks.check_admin_edit,
    "limits": checks.check_rate_limits,
    "reminders": checks.check_reminders,
    "stop": checks.check_app_server_stop,
    "restart": checks.check_database_restart,
}


@dataclass
class Person:
    id: int
    email: str
    name: str


@dataclass
class LessonRef:
    id: int
    title: str
    path: str


class Cluster:
    """The running processes, the people made for the checks, and what the checks ask of both."""

    def __init__(self, args, folder):
        self.args = args
        self.folder = folder
        (folder / "logs").mkdir()
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()
        self.children = Children(folder / "logs")
        self.ports = {"a": free_port(), "b": free_port(), "balancer": free_port()}
        if args.pgbouncer:
            self.ports["pgbouncer"] = free_port()
        self.password = PASSWORD
        self.secret_key = secrets.token_urlsafe(50)
        direct = f"{POSTGRES}/{args.database}"
        through = (
            f"postgres://postgres@127.0.0.1:{self.ports['pgbouncer']}/{args.database}"
            if args.pgbouncer
            else direct
        )
        self.app_env = {"a": self.env(through), "b": self.env(through)}
        # This script reads and writes the database directly (never through the balancer), and
        # without a pool: its connections are closed around the PostgreSQL restart.
        self.own_env = {**self.env(direct), "DATABASE_POOL": "false"}
        self.restart_command = postgres_restart_command()
        self.parent_browser = None

    def env(self, database_url):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE", "REDIS"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="circle.settings",
            # Production mode (DJANGO_DEBUG unset): every machine has the same secret key.
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="false",  # plain http on loopback; TLS ends at the proxy
            DJANGO_BEHIND_TLS_PROXY="true",
            DJANGO_STATIC_ROOT=str(self.folder / "static"),
            DJANGO_STATIC_BUNDLE_ROOT=str(self.folder / "static-bundles"),
            DJANGO_EMAIL="file",
            DJANGO_EMAIL_FILE_PATH=str(self.mail_dir),
            DJANGO_LOG_LEVEL="WARNING",
            REDIS_URL=REDIS_URL,
            DJANGO_CACHE_KEY_PREFIX=KEY_PREFIX,
            DATABASE_URL=database_url,
            # Four app workers and two task workers, each with a pool, share max_connections.
            DATABASE_POOL_MAX="4",
        )
        if self.args.pgbouncer:
            env["DATABASE_PGBOUNCER"] = "true"
        return env

    # --- building ----------------------------------------------------------------------------

    def database_create(self):
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.args.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.args.database}"')
        for command in (
            ["migrate", "--noinput"],
            ["load_course"],
            ["collectstatic", "--noinput"],
        ):
            manage(self.own_env, *command)

    def redis_flush(self):
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{KEY_PREFIX}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return len(keys)

    def django_setup(self):
        for key in [k for k in os.environ if k.startswith(("DJANGO_", "DATABASE", "REDIS"))]:
            del os.environ[key]
        os.environ.update(self.own_env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

    def people_create(self):
        """Parents for the checks and the load, an admin, and a group whose module opens today."""
        from allauth.account import app_settings as allauth_settings
        from allauth.account.models import EmailAddress
        from django.contrib.auth.hashers import make_password
        from django.db import connections
        from django.utils import timezone

        from accounts.models import Membership, ParentGroup, User
        from courses.models import Assignment, Course, Lesson

        hashed = make_password(PASSWORD)

        def person(email, name, **extra):
            user = User.objects.create(email=email, display_name=name, password=hashed, **extra)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            return Person(user.pk, email, name)

        self.parents = [person(f"parent{n}@cluster.example", f"Parent {n}") for n in (1, 2, 3)]
        self.rate_limited = person("many-tries@cluster.example", "Sam")
        self.admin_email = "admin@cluster.example"
        person(self.admin_email, "Admin", is_staff=True, is_superuser=True)
        self.load_people = [person(f"load{n}@cluster.example", f"Load {n}") for n in range(1, 9)]
        course = Course.objects.published().order_by("position", "id").first()
        self.course_id = course.pk
        lessons = list(
            Lesson.objects.published()
            .filter(module__course=course)
            .select_related("module__course")
            .in_course_order()
        )
        self.lessons = [LessonRef(x.pk, x.title, x.get_absolute_url()) for x in lessons]
        # The reminder sweep's world: a group whose second module opens today.
        group = ParentGroup.objects.create(name="Cluster group", course=course)
        second = course.modules.order_by("position")[1]
        today = timezone.localdate()
        Assignment.objects.create(group=group, module=second, opens_on=today)
        self.reminder_parents = self.args.reminder_parents
        for n in range(1, self.reminder_parents + 1):
            member = person(f"group{n}@cluster.example", f"Member {n}")
            Membership.objects.create(group=group, user_id=member.id)
        self.reminder_moment = f"{today.isoformat()}T23:00"
        limits = allauth_settings.RATE_LIMITS["login_failed"]
        self.login_attempts_limit = next(
            int(part.split("/")[0]) for part in limits.split(",") if part.endswith("/key")
        )
        self.sessions = {p.id: self.session_create(p.id) for p in self.load_people}
        connections.close_all()

    def session_create(self, user_id):
        """A signed-in session as login() leaves it, in the shared store (Redis and the table)."""
        from importlib import import_module

        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        from accounts.models import User

        user = User.objects.get(pk=user_id)
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return {settings.SESSION_COOKIE_NAME: session.session_key}

    # --- processes ---------------------------------------------------------------------------

    def start_pgbouncer(self):
        folder = self.folder / "pgbouncer"
        folder.mkdir()
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        config = folder / "pgbouncer.ini"
        config.write_text(
            pgbouncer_config(
                folder=folder, port=self.ports["pgbouncer"], database=self.args.database
            )
        )
        user = None
        if os.geteuid() == 0:  # PgBouncer refuses to run as root
            user = "postgres"
            shutil.chown(folder, user)
            for path in folder.iterdir():
                shutil.chown(path, user)
        process = self.children.start("pgbouncer", ["pgbouncer", str(config)], user=user)
        if not wait_for_port(self.ports["pgbouncer"], process=process):
            raise SystemExit("PgBouncer did not start:\n" + self.children.log_tail("pgbouncer"))

    def start_app(self, name):
        port = self.ports[name]
        command = [
            GRANIAN, "--interface", "wsgi", "circle.wsgi:application",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(self.args.workers),
            "--blocking-threads", str(self.args.threads), "--no-ws", "--log-level", "warning",
        ]  # fmt: skip
        process = self.children.start(f"app-{name}", command, env=self.app_env[name], cwd=ROOT)
        if not wait_for_health(port, process=process):
            raise SystemExit(
                f"app server {name} did not start:\n" + self.children.log_tail(f"app-{name}")
            )

    def start_balancer(self):
        upstreams = [self.ports["a"], self.ports["b"]]
        port = self.ports["balancer"]
        if self.args.balancer == "nginx":
            config = self.folder / "nginx.conf"
            config.write_text(nginx_config(folder=self.folder, port=port, upstreams=upstreams))
            command = [
                "nginx", "-p", str(self.folder), "-c", str(config),
                "-e", str(self.folder / "nginx-error.log"),
            ]  # fmt: skip
        else:
            (self.folder / "haproxy-503.http").write_text(HAPROXY_503)
            config = self.folder / "haproxy.cfg"
            config.write_text(haproxy_config(folder=self.folder, port=port, upstreams=upstreams))
            command = ["haproxy", "-db", "-f", str(config)]
        process = self.children.start("balancer", command)
        if not wait_for_health(port, process=process):
            raise SystemExit("the balancer did not start:\n" + self.children.log_tail("balancer"))

    def start_workers(self):
        for number, name in ((1, "a"), (2, "b")):
            command = [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "1"]
            self.children.supervise(f"worker-{number}", command, env=self.app_env[name], cwd=ROOT)

    # --- what the checks ask -----------------------------------------------------------------

    def upstream_name(self, name):
        """How the balancer's X-Upstream header names an app server."""
        if self.args.balancer == "haproxy":
            return {"a": "app1", "b": "app2"}[name]
        return f"127.0.0.1:{self.ports[name]}"

    def load(self):
        paths = [lesson.path for lesson in self.lessons[:8]]
        readers, writers = self.load_people[:4], self.load_people[4:]
        return Load(
            port=self.ports["balancer"],
            readers=[(self.sessions[p.id], paths[n:] + paths[:n]) for n, p in enumerate(readers)],
            writers=[
                (p.id, self.sessions[p.id], [(x.id, x.path) for x in self.lessons[:8]])
                for p in writers
            ],
        )

    def content_version(self):
        from django.db import connections

        from courses.models import Course

        version = Course.objects.values_list("content_version", flat=True).get(pk=self.course_id)
        connections.close_all()
        return version

    def messages_waiting(self):
        return self.message_counts()["waiting"] > 0

    def message_counts(self):
        from django.db import connections

        from reminders.models import Kind, Message

        status = Message.Status
        counts = {
            "sent": Message.objects.filter(status=status.SENT).count(),
            "failed": Message.objects.filter(status=status.FAILED).count(),
            "waiting": Message.objects.filter(status__in=[status.PENDING, status.SENDING]).count(),
            "module_opens": Message.objects.filter(kind=Kind.MODULE_OPENS).count(),
        }
        connections.close_all()
        return counts

    def message_recipients(self):
        from collections import Counter

        from django.db import connections

        from reminders.models import Message

        sent = Message.objects.filter(status=Message.Status.SENT)
        found = Counter(sent.values_list("user__email", flat=True))
        connections.close_all()
        return found

    def reset_completions(self):
        from django.db import connections

        from courses.models import LessonProgress

        writers = [p.id for p in self.load_people[4:]]
        LessonProgress.objects.filter(user_id__in=writers).update(completed_at=None)
        connections.close_all()

    def writes_missing(self, acknowledged):
        from django.db import connections

        from courses.models import LessonProgress, PracticeNote

        keys = {write[1] for write in acknowledged if write[0] == "note"}
        found = {
            str(key)
            for key in PracticeNote.objects.filter(key__in=keys).values_list("key", flat=True)
        }
        done = set(
            LessonProgress.objects.filter(completed_at__isnull=False).values_list(
                "user_id", "lesson_id"
            )
        )
        connections.close_all()
        missing = [("note", key) for key in keys - found]
        missing += [w for w in acknowledged if w[0] == "complete" and (w[1], w[2]) not in done]
        return missing

    def checkpoint(self):
        """
        Write dirty pages out before the restart: the shutdown's own checkpoint is then short,
        and so is the pause for everyone using this PostgreSQL.
        """
        from django.db import connection, connections

        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        connections.close_all()

    def wait_for_postgres(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"],
                check=False,
            )
            if ready.returncode == 0:
                return time.monotonic()
            time.sleep(0.1)
        raise SystemExit("PostgreSQL did not come back within a minute")


def manage(env, *command):
    subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def postgres_restart_command():
    """The local cluster on port 5432, restarted the Debian way (pg_ctlcluster, no systemd)."""
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in listing.stdout.splitlines():
        version, name, port, *_ = line.split()
        if port == "5432":
            return ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"]
    return None


def tools_missing(args):
    needed = ["nginx" if args.balancer == "nginx" else "haproxy", "pg_isready"]
    if args.pgbouncer:
        needed.append("pgbouncer")
    missing = [tool for tool in needed if not shutil.which(tool)]
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        missing.append("a Redis server on 127.0.0.1:6379")
    return missing


def report(results, args):
    print(f"\n== make cluster: {args.balancer}, " + (
        "PgBouncer in transaction mode" if args.pgbouncer else "PostgreSQL directly"
    ) + " ==")  # fmt: skip
    for result in results:
        print(f"{'PASS' if result.passed else 'FAIL'}  {result.name}")
        for line in result.lines:
            print(f"      {line}")
    failed = sum(not result.passed for result in results)
    print(f"\n{len(results)} checks: {len(results) - failed} passed, {failed} failed")
    return failed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pgbouncer", action="store_true", help="App servers through PgBouncer.")
    parser.add_argument("--balancer", choices=["nginx", "haproxy"], default="nginx")
    parser.add_argument(
        "--no-restart", action="store_true", help="Skip the PostgreSQL restart (check 6)."
    )
    parser.add_argument(
        "--hard-stop", action="store_true", help="Check 5 kills app server A (SIGKILL)."
    )
    parser.add_argument("--only", help=f"Comma-separated checks of: {', '.join(CHECKS)}.")
    parser.add_argument("--database", default="circle_cluster")
    parser.add_argument("--workers", type=int, default=2, help="granian workers per app server.")
    parser.add_argument("--threads", type=int, default=4, help="Threads per granian worker.")
    parser.add_argument("--reminder-parents", type=int, default=40)
    parser.add_argument("--load-seconds", type=float, default=4, help="Load before and after.")
    parser.add_argument("--recovery-seconds", type=float, default=5)
    parser.add_argument("--keep", action="store_true", help="Keep the temp folder (logs, mail).")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(CHECKS)
    if args.no_restart and "restart" in chosen:
        chosen.remove("restart")
    if unknown := set(chosen) - set(CHECKS):
        parser.error(f"unknown checks: {', '.join(sorted(unknown))}")
    if "restart" in chosen and os.geteuid() != 0 and getpass.getuser() != "postgres":
        raise SystemExit(
            "Check 6 restarts PostgreSQL, which needs root (or the postgres user): "
            "run as root, or pass --no-restart."
        )
    if missing := tools_missing(args):
        raise SystemExit(f"make cluster needs: {', '.join(missing)}")

    # A SIGTERM (or Ctrl-C) still runs the finally below, which stops every child.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = Path(tempfile.mkdtemp(prefix="circle-cluster-"))
    folder.chmod(0o755)  # PgBouncer (as postgres) and nginx's workers read below it
    cluster = Cluster(args, folder)
    if "restart" in chosen and cluster.restart_command is None:
        raise SystemExit("No PostgreSQL cluster on port 5432 to restart: use --no-restart.")
    results = []
    try:
        started = time.monotonic()
        print(f"Building {args.database} and starting the cluster in {folder} ...")
        cluster.database_create()
        flushed = cluster.redis_flush()
        cluster.django_setup()
        cluster.people_create()
        if args.pgbouncer:
            cluster.start_pgbouncer()
        cluster.start_app("a")
        cluster.start_app("b")
        cluster.start_balancer()
        cluster.start_workers()
        ports = cluster.ports
        print(
            f"Up in {time.monotonic() - started:.0f} s: {args.balancer} :{ports['balancer']} -> "
            f"app A :{ports['a']}, app B :{ports['b']} (granian, {args.workers} workers each)"
            + (f" -> PgBouncer :{ports['pgbouncer']}" if args.pgbouncer else "")
            + f" -> PostgreSQL :5432/{args.database}; 2 db_workers; Redis prefix "
            f"{KEY_PREFIX!r} ({flushed} old keys removed)"
        )
        for name in chosen:
            print(f"Check: {name} ...", flush=True)
            try:
                results.append(CHECKS[name](cluster))
            except Exception:  # one check's crash is its failure; the others still run
                failed = checks.Result(name, passed=False)
                failed.lines = traceback.format_exc().splitlines()[-12:]
                results.append(failed)
    finally:
        cluster.children.stop_all()
        if args.keep:
            print(f"Logs and mail kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    failed = report(results, args)
    sys.exit(1 if failed or len(results) < len(chosen) else 0)


if __name__ == "__main__":
    main()
