"""
The servers the benchmark loads (gunicorn with threads, granian) on 127.0.0.1, and what it
reads of their worker processes from /proc: resident memory and CPU time.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTS = {"gunicorn": 8170, "granian": 8171}


def server_command(name, port, workers, threads):
    if name == "gunicorn":
        return [
            str(BIN / "gunicorn"), "circle.wsgi:application",
            "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
            "--bind", f"127.0.0.1:{port}", "--worker-tmp-dir", "/dev/shm",
            "--log-level", "warning",
        ]  # fmt: skip
    return [
        str(BIN / "granian"), "--interface", "wsgi", "circle.wsgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--blocking-threads", str(threads), "--no-ws", "--log-level", "warning",
    ]  # fmt: skip


def children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def rss_mb(pid):
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def cpu_seconds(pid):
    """User plus system CPU time of a process so far (/proc/<pid>/stat), in seconds."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def workers_of(process, expected):
    """The worker processes: the master's Python children (granian and gunicorn alike)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pids = [pid for pid in children(process.pid) if rss_mb(pid)]
        if len(pids) >= expected:
            return sorted(pids)
        time.sleep(0.2)
    raise SystemExit(f"the server started {len(pids)} workers, expected {expected}")


@contextlib.contextmanager
def server_running(name, args, env):
    port = PORTS[name]
    command = server_command(name, port, args.workers, args.threads)
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5):  # noqa: S310
                    break
            except OSError:  # refused, reset or timed out while the workers boot
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{name} did not start: {' '.join(command)}") from None
                time.sleep(0.3)
        yield port, process, workers_of(process, args.workers)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
