"""
Several machines (README, "Several machines"): the balancer, PgBouncer and systemd files under
deploy/ and the loopback ones `make cluster` writes (bench/cluster_setup.py) are all valid, and
production settings with Redis, PgBouncer and a proxy in front are what the README says.
These run in `make test` without root and start no service: nginx and HAProxy only check their
files (`-t`, `-c`), and a tool that is not installed skips its test with the reason.
`make cluster` is the proof with real processes.
"""

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_settings import PRODUCTION, run_django

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(ROOT / "bench"))

import cluster_setup  # noqa: E402  (bench/ is a folder of scripts, not a package)


def tool(name):
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install {name}; make cluster installs it)")
    return path


def run(command):
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603


@pytest.fixture
def certificate(tmp_path):
    """A throwaway self-signed certificate, where the examples name Let's Encrypt's files."""
    openssl = tool("openssl")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = run([
        openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=course.example.org", "-keyout", str(key), "-out", str(cert),
    ])  # fmt: skip
    assert made.returncode == 0, made.stderr
    return key, cert


def nginx_test(nginx, config, folder):
    return run([nginx, "-t", "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")])


def test_the_loopback_nginx_config_of_make_cluster_is_valid(tmp_path):
    nginx = tool("nginx")
    config = tmp_path / "nginx.conf"
    config.write_text(
        cluster_setup.nginx_config(folder=tmp_path, port=8270, upstreams=[8271, 8272])
    )
    result = nginx_test(nginx, config, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_production_nginx_example_is_valid(tmp_path, certificate):
    nginx = tool("nginx")
    key, cert = certificate
    site = (DEPLOY / "nginx" / "circle.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/course.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/course.example.org/privkey.pem", str(key))
    (tmp_path / "circle.conf").write_text(site)
    # The site file goes inside Debian's http block; this stands in for /etc/nginx/nginx.conf.
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/circle.conf;\n}}\n"
    )
    result = nginx_test(nginx, main, tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_nginx_example_skips_a_dead_app_server_and_trusts_nothing_else():
    site = (DEPLOY / "nginx" / "circle.conf").read_text()
    assert "proxy_next_upstream error timeout;" in site
    # A 503 (the database is away) must reach the visitor with its Retry-After, not be retried.
    assert "http_503" not in re.sub(r"#.*", "", site)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site


def test_the_haproxy_configs_are_valid(tmp_path, certificate):
    haproxy = tool("haproxy")
    (tmp_path / "haproxy-503.http").write_text(cluster_setup.HAPROXY_503)
    loopback = tmp_path / "loopback.cfg"
    loopback.write_text(
        cluster_setup.haproxy_config(folder=tmp_path, port=8270, upstreams=[8271, 8272])
    )
    result = run([haproxy, "-c", "-f", str(loopback)])
    assert result.returncode == 0, result.stdout + result.stderr

    key, cert = certificate
    (tmp_path / "both.pem").write_text(cert.read_text() + key.read_text())
    example = (DEPLOY / "haproxy" / "haproxy.cfg").read_text()
    example = example.replace(
        "/etc/haproxy/certs/course.example.org.pem", str(tmp_path / "both.pem")
    )
    example = example.replace(
        "/etc/haproxy/errors/circle-503.http", str(DEPLOY / "haproxy" / "circle-503.http")
    )
    # Checking as an ordinary user: the haproxy account exists only where the package is.
    example = re.sub(r"^\s*(user|group) haproxy\n", "", example, flags=re.M)
    production = tmp_path / "production.cfg"
    production.write_text(example)
    result = run([haproxy, "-c", "-f", str(production)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_haproxys_own_503_page_asks_to_come_back_later():
    page = (DEPLOY / "haproxy" / "circle-503.http").read_bytes()
    head, _, body = page.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 503 ")
    assert b"\r\nRetry-After: 30" in head
    assert b"<title>" in body


def pgbouncer_settings(text):
    parser = configparser.ConfigParser(comment_prefixes=(";", "#"), inline_comment_prefixes=None)
    parser.read_string(text)
    return parser


@pytest.mark.parametrize("source", ["example", "loopback"])
def test_pgbouncer_runs_in_transaction_mode_and_comes_back_quickly(source, tmp_path):
    if source == "example":
        text = (DEPLOY / "pgbouncer" / "pgbouncer.ini").read_text()
    else:
        text = cluster_setup.pgbouncer_config(folder=tmp_path, port=6543, database="circle_x")
    config = pgbouncer_settings(text)
    bouncer = config["pgbouncer"]
    assert bouncer["pool_mode"] == "transaction"
    assert int(bouncer["listen_port"]) > 0
    assert int(bouncer["server_login_retry"]) <= 2
    assert int(bouncer["default_pool_size"]) > 0
    assert "extra_float_digits" in bouncer["ignore_startup_parameters"]
    [(name, target)] = config["databases"].items()
    assert "host=" in target and f"dbname={name}" in target


def units():
    return sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))


def test_every_process_of_the_site_has_a_unit_reading_the_shared_environment():
    services = {path.name for path in DEPLOY.glob("*.service")}
    assert {"circle-web.service", "circle-worker.service", "circle-reminders.service"} <= services
    for path in DEPLOY.glob("*.service"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.read_string(path.read_text())
        assert unit["Service"]["EnvironmentFile"] == "/etc/circle/env", path.name
        assert unit["Service"]["ExecStart"].startswith("/srv/circle/.venv/bin/"), path.name


def test_the_systemd_units_verify(tmp_path):
    analyze = tool("systemd-analyze")
    for path in units():
        # Where the site is installed on a real machine, here: this checkout and its .venv.
        (tmp_path / path.name).write_text(path.read_text().replace("/srv/circle", str(ROOT)))
    result = run([analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())])
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr, result.stderr


def test_the_environment_example_names_only_settings_the_site_reads():
    settings_code = (ROOT / "circle" / "settings.py").read_text()
    names = re.findall(r"^#?\s*([A-Z][A-Z_]+)=", (DEPLOY / "env.example").read_text(), re.M)
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_BEHIND_TLS_PROXY"} <= set(
        names
    )
    for name in names:
        assert f'"{name}"' in settings_code, f"{name} is not read by circle/settings.py"


def test_production_for_several_machines_has_what_the_readme_says():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], "
        "s.SESSION_ENGINE.rsplit('.', 1)[-1], "
        "d.get('DISABLE_SERVER_SIDE_CURSORS'), d['OPTIONS']['prepare_threshold'], "
        "'pool' in d['OPTIONS'], s.SECURE_PROXY_SSL_HEADER[0], s.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "s.CACHES['content']['BACKEND'].rsplit('.', 1)[-1])"
    )
    result = run_django(
        code,
        DATABASE_URL="postgres://circle@127.0.0.1:6432/circle",
        DATABASE_PGBOUNCER="true",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_BEHIND_TLS_PROXY="true",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "RedisCache",  # sessions and rate limits shared by every app server
        "cached_db",  # read from Redis, kept in PostgreSQL: a Redis restart logs nobody out
        "True",  # no server-side cursors through PgBouncer
        "None",  # no prepared statements
        "True",  # each worker still keeps its own small pool of connections (to PgBouncer)
        "HTTP_X_FORWARDED_PROTO",
        "1",
        "SharedObjectCache",  # course content in each worker's memory, keyed on content_version
    ]


def test_the_cluster_script_explains_itself():
    result = run([sys.executable, str(ROOT / "bench" / "cluster.py"), "--help"])
    assert result.returncode == 0, result.stderr
    assert "--pgbouncer" in result.stdout
    assert "--no-restart" in result.stdout


@pytest.mark.django_db
def test_the_cluster_checks_look_for_the_words_the_login_page_says(client):
    """`make cluster` is not part of CI: its login-limit check must still match the page."""
    import cluster_checks  # bench/ is on the path (above)

    person = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": "not-the-password"}
    )
    assert cluster_checks.WRONG_PASSWORD in response.content.decode()
