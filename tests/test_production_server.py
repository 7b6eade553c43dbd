"""The production server starts as README.md says, in production mode, and answers."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRANIAN = Path(sys.executable).parent / "granian"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback
        return response.status, response.headers, response.read()  # headers: any case


def test_granian_serves_the_site_in_production_mode(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="circle.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",  # plain http on loopback, behind no proxy
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    command = [
        str(GRANIAN), "--interface", "wsgi", "circle.wsgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--blocking-threads", "2", "--no-ws",
    ]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = get(f"http://127.0.0.1:{port}/health/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "granian did not answer within 30 s"
                time.sleep(0.2)
        assert status == 200
        assert body == b'{"status": "ok"}'
        # Production settings are in force: the security headers of a non-DEBUG site.
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" in headers
    finally:
        server.terminate()
        server.wait(timeout=10)
