"""
The pieces `make cluster` starts on loopback (bench/cluster.py): the configuration files of the
load balancer (nginx, or HAProxy) and of PgBouncer, written into a temporary folder, and the
child processes, each in a process group of its own so that stopping one stops all it started.

The configs here are the loopback twins of the commented examples under deploy/ (no TLS, temp
paths, ports chosen at run time); tests/test_cluster_configs.py checks that both kinds parse.
"""

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- configuration files ---------------------------------------------------------------------


def nginx_config(*, folder, port, upstreams):
    """
    nginx in the foreground (`nginx -p folder -c nginx.conf`), everything under `folder`.
    A dead app server is skipped: a refused or timed-out connection passes the request to the
    other server (proxy_next_upstream; POSTs too, since nothing reached the dead one), and
    max_fails=1 keeps the dead one out of the rotation for fail_timeout. A 503 from the app
    (the database is away) is passed on as it is: the other server would answer the same.
    """
    servers = "\n".join(
        f"        server 127.0.0.1:{upstream} max_fails=1 fail_timeout=3s;"
        for upstream in upstreams
    )
    return f"""# Written by bench/cluster.py for one run (production example: deploy/nginx/).
daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log off;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;

    upstream circle_app {{
{servers}
        keepalive 32;
    }}

    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 10m;

        location / {{
            proxy_pass http://circle_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            # Which app server answered: the checks count how the load was shared.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def haproxy_config(*, folder, port, upstreams):
    """
    HAProxy in the foreground (`haproxy -db -f haproxy.cfg`): active health checks on /health/
    every second, a failed connection retried on the other server (retries + redispatch). When
    the database is away /health/ answers 503 on every server, HAProxy takes them all out and
    answers its own 503, which carries Retry-After like the site's (errorfile below).
    """
    servers = "\n".join(
        f"    server app{number} 127.0.0.1:{upstream} check"
        for number, upstream in enumerate(upstreams, start=1)
    )
    return f"""# Written by bench/cluster.py for one run (production example: deploy/haproxy/).
global
    maxconn 1024

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch 1
    option forwardfor
    errorfile 503 {folder}/haproxy-503.http

frontend www
    bind 127.0.0.1:{port}
    http-request set-header X-Forwarded-Proto http
    default_backend circle_app

backend circle_app
    balance roundrobin
    option httpchk
    # Django answers only the host names it serves (DJANGO_ALLOWED_HOSTS): say which.
    http-check send meth GET uri /health/ ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    http-response set-header X-Upstream %[srv_name]
{servers}
"""


HAPROXY_503 = (
    "HTTP/1.0 503 Service Unavailable\r\n"
    "Cache-Control: no-cache\r\n"
    "Retry-After: 30\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Connection: close\r\n"
    "\r\n"
    '<!doctype html><html lang="en"><title>Back in a moment</title>'
    "<p>The course is taking a short break. Please try again in a minute.</p></html>\n"
)


def pgbouncer_config(*, folder, port, database, upstream_port=5432):
    """
    PgBouncer in transaction mode: a server connection serves one transaction, then another
    client's. The site runs with DATABASE_PGBOUNCER=true (no server-side cursors, no prepared
    statements). server_login_retry is short so that the site is back a second after PostgreSQL.
    """
    return f"""; Written by bench/cluster.py for one run (production example: deploy/pgbouncer/).
[databases]
{database} = host=127.0.0.1 port={upstream_port} dbname={database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/userlist.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
reserve_pool_size = 5
server_login_retry = 1
query_wait_timeout = 20
ignore_startup_parameters = extra_float_digits
"""


# --- child processes -------------------------------------------------------------------------


class Children:
    """
    Every process the cluster run starts, each the leader of its own process group. stop()
    ends one (SIGTERM to its group, SIGKILL after a grace period); stop_all() ends the rest, in
    reverse order of starting, and runs whatever happens (a failed check, Ctrl-C).
    """

    def __init__(self, logs):
        self.logs = Path(logs)
        self.running = {}
        self.supervised = {}  # name: how to start it again
        self.restarts = {}
        self.lock = threading.RLock()
        self.ending = threading.Event()
        self.watcher = None

    def supervise(self, name, command, *, env=None, cwd=None):
        """
        Start a process and start it again whenever it exits, two seconds later, as systemd's
        Restart=always does for the task worker (deploy/circle-worker.service).
        """
        self.supervised[name] = {"command": command, "env": env, "cwd": cwd}
        self.start(name, command, env=env, cwd=cwd)
        if self.watcher is None:
            self.watcher = threading.Thread(target=self._watch, daemon=True)
            self.watcher.start()

    def _watch(self):
        while not self.ending.wait(1):
            with self.lock:
                for name, how in self.supervised.items():
                    process = self.running.get(name)
                    if process is not None and process.poll() is not None:
                        self.running.pop(name)
                        self.restarts[name] = self.restarts.get(name, 0) + 1
                        threading.Timer(2, self._start_again, args=(name, how)).start()

    def _start_again(self, name, how):
        with self.lock:
            if not self.ending.is_set() and name not in self.running:
                self.start(name, how["command"], env=how["env"], cwd=how["cwd"])

    def start(self, name, command, *, env=None, cwd=None, user=None):
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            user=user,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.running[name] = process
        return process

    def stop(self, name, *, grace=15, sig=signal.SIGTERM):
        with self.lock:
            process = self.running.pop(name, None)
        if process is None:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # Anything of its group still alive (a worker that ignored its master) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return process.returncode

    def stop_all(self):
        with self.lock:
            self.ending.set()
        for name in reversed(list(self.running)):
            self.stop(name)

    def alive(self, name):
        process = self.running.get(name)
        return process is not None and process.poll() is None

    def log_tail(self, name, lines=20):
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_for_port(port, *, timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return True
        time.sleep(0.2)
    return False


def wait_for_health(port, *, timeout=40, process=None):
    """True once GET /health/ answers 200 on the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        url = f"http://127.0.0.1:{port}/health/"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=3) as answer:
            if answer.status == 200:
                return True
        time.sleep(0.3)
    return False
