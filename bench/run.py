"""
The benchmark: `make bench` (or `.venv/bin/python bench/run.py --help`).

1. Builds (once) a PostgreSQL database of realistic size with `manage.py bench_data`.
2. Serves the site as production does: collected static files, DEBUG off, a production WSGI
   server (gunicorn with threads, or granian) on 127.0.0.1.
3. Drives load from wrk (a second process) with many signed-in parents' sessions, page by
   page, and measures each page's queries with Django's test client on the same database.
4. Prints a table and saves it as JSON under bench/results/. bench/README.md explains it.

Everything runs on loopback, in bounded runs (--duration seconds per page).
"""

import argparse
import contextlib
import gzip
import json
import os
import platform
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from endpoints import SESSIONS, endpoints_build, visitors_create
from inprocess import csv_peak_memory, explain, profile, queries_count, timing
from server import cpu_seconds, rss_mb, server_running
from table import table

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable


# --- the environment every process shares ---------------------------------------------------


def bench_env(args, static_root):
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="circle.settings",
        DATABASE_URL=f"{base.rstrip('/')}/{args.database}",
        # Production mode (DEBUG unset), with what plain http on loopback needs.
        DJANGO_SECRET_KEY=args.secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_BENCHMARK="true",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_EMAIL="console",
    )
    return env


def manage(env, *command, quiet=False):
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def database_prepare(args, env):
    """Create and fill the database unless it already holds benchmark data of this scale."""
    import psycopg

    admin_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone()
        if exists and args.rebuild:
            conn.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.database}"')
    manage(env, "migrate", "--noinput", quiet=True)  # also applies new indexes to an old build
    manage(env, "createcachetable")
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        parents = conn.execute(
            "SELECT count(*) FROM accounts_user WHERE email LIKE %s AND role = 'parent'",
            ["%@bench.example"],
        ).fetchone()[0]
    if parents == 0:
        print(f"Building benchmark data in {args.database} (scale {args.scale})...")
        manage(env, "bench_data", "--scale", str(args.scale))
    else:
        print(f"Using {args.database}: {parents} parents (--rebuild to start again).")
    # Sessions, attendance and check-in answers (outcomes/); skipped when they are there.
    manage(env, "bench_outcomes")


def csv_rss_growth(port, workers, endpoints, seconds, args, workdir):
    """
    On the server, after every page has run: each worker's resident memory before and after
    `seconds` of the 12-parent CSV, then the same for the 500-parent CSV. A streamed export
    should leave both flat; one held whole in memory would grow with the group.
    """
    found = {}
    for endpoint in endpoints:
        if not endpoint.name.endswith("-csv") or endpoint.skipped:
            continue
        before = [rss_mb(pid) for pid in workers]
        run = wrk_run(port, endpoint, seconds, args, workdir)
        after = [rss_mb(pid) for pid in workers]
        found[endpoint.name] = {
            "requests": run["requests"],
            "bytes_per_request": run["bytes_per_request"],
            "rss_before_mb": before,
            "rss_after_mb": after,
            "growth_mb": round(max(a - b for b, a in zip(before, after, strict=True)), 1),
        }
    return found


# --- load ------------------------------------------------------------------------------------


def wrk_run(port, endpoint, seconds, args, workdir):
    listing = workdir / f"{endpoint.name}.tsv"
    listing.write_text(
        "".join(
            f"{r.method}\t{r.path}\t{r.session}\t{r.csrf}\t{r.body}\n" for r in endpoint.requests
        )
    )
    command = [
        "wrk", "--threads", str(args.wrk_threads), "--connections", str(args.connections),
        "--duration", f"{seconds}s", "--timeout", "10s", "--script", str(BENCH / "load.lua"),
        f"http://127.0.0.1:{port}", "--", str(listing), str(endpoint.expected),
        str(args.wrk_threads),
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["latency_us"]["p50"] / 1000, 2),
        "p95_ms": round(raw["latency_us"]["p95"] / 1000, 2),
        "p99_ms": round(raw["latency_us"]["p99"] / 1000, 2),
        "errors": sum(raw["errors"].values()),
        "unexpected_status": raw["unexpected_status"],
        "bytes_per_request": round(raw["bytes"] / max(1, raw["requests"])),
    }


# --- page weight -----------------------------------------------------------------------------


def fetch(url, cookie="", encoding="br, gzip"):
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        # Lower-case names: servers differ in how they spell headers.
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def page_weight(port, endpoint):
    """What a phone downloads for one lesson page: the HTML and every CSS and JS file it names."""
    base = f"http://127.0.0.1:{port}"
    request = endpoint.requests[0]
    html, headers = fetch(base + request.path, request.session)
    text = (gzip.decompress(html) if headers.get("content-encoding") == "gzip" else html).decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    scripts = re.findall(r'<script src="([^"]+)"', text)
    files = []
    for url in stylesheets + scripts:
        body, file_headers = fetch(base + url)
        files.append(
            {
                "url": url,
                "bytes": len(body),
                "encoding": file_headers.get("content-encoding", "identity"),
                "cache_control": file_headers.get("cache-control", ""),
                "hashed_name": bool(re.search(r"\.[0-9a-f]{12}\.(css|js)$", url)),
            }
        )
    html_sent = len(html)
    total = html_sent + sum(item["bytes"] for item in files)
    return {
        "html_bytes": html_sent,
        "html_encoding": headers.get("content-encoding", "identity"),
        "html_gzip_bytes": len(gzip.compress(text.encode(), 6)),
        "css_files": len(stylesheets),
        "js_files": len(scripts),
        "files": files,
        "total_kb": round(total / 1024, 1),
        "all_cacheable": all(
            item["hashed_name"] and "immutable" in item["cache_control"] for item in files
        ),
    }


# --- report ----------------------------------------------------------------------------------


def machine():
    return {
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit():
    with contextlib.suppress(Exception):
        return subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    return None


def run_server(name, args, env, endpoints, queries, workdir):
    results = {"server": name, "pages": {}}
    with server_running(name, args, env) as (port, process, workers):
        booted = [rss_mb(pid) for pid in workers]
        # Warm up every page (imports, template caches, connection pools) before measuring.
        for endpoint in endpoints:
            if not endpoint.skipped:
                wrk_run(port, endpoint, args.warmup, args, workdir)
        start = [rss_mb(pid) for pid in workers]
        ends = []  # each worker's RSS at the end of each pass over the pages
        for number in range(1, args.passes + 1):
            for endpoint in endpoints:
                row = {"label": endpoint.label}
                if endpoint.skipped:
                    row["skipped"] = endpoint.skipped
                else:
                    if endpoint.before:
                        endpoint.before()
                    cpu_before = [cpu_seconds(pid) for pid in workers]
                    row.update(wrk_run(port, endpoint, args.duration, args, workdir))
                    # How the load was shared: with keep-alive connections one worker can end
                    # up serving nearly all of them (bench/README.md, gunicorn).
                    row["worker_cpu_s"] = [
                        round(cpu_seconds(pid) - before, 1)
                        for pid, before in zip(workers, cpu_before, strict=True)
                    ]
                    row["queries"] = queries[endpoint.name]
                    print(f"  {name} pass {number} {endpoint.label}: {row['rps']} req/s, p95 "
                          f"{row['p95_ms']} ms, worker CPU s {row['worker_cpu_s']}")  # fmt: skip
                results["pages"][endpoint.name] = row  # the last pass's numbers are kept
            ends.append([rss_mb(pid) for pid in workers])
        end = ends[-1]
        lesson = next((e for e in endpoints if e.name == "lesson"), None)
        if lesson is not None:
            results["lesson_weight"] = page_weight(port, lesson)
        results["csv_rss"] = csv_rss_growth(port, workers, endpoints, args.duration, args, workdir)
    results["memory_mb"] = {
        "booted": booted,
        "start": start,
        "end": end,
        "growth_percent": _growth(start, end),
    }
    if len(ends) > 1:
        # Growth over the last pass alone: near 0 when the first pass only reached the
        # workers' high-water mark (the biggest page served by every thread at once), not a leak.
        results["memory_mb"]["pass_ends"] = ends
        results["memory_mb"]["last_pass_growth_percent"] = _growth(ends[-2], ends[-1])
    return results


def _growth(before, after):
    """The largest growth of any worker, in percent."""
    return round(max((a - b) / b * 100 for b, a in zip(before, after, strict=True)), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="10 builds 100,000 parents.")
    parser.add_argument("--server", choices=["granian", "gunicorn", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page.")
    parser.add_argument("--warmup", type=int, default=2, help="Seconds of warm-up per page.")
    parser.add_argument(
        "--passes", type=int, default=1, help="Load every page this many times (memory check)."
    )
    parser.add_argument("--only", help="Comma-separated pages, e.g. ceiling,lesson.")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4, help="Threads per worker.")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rebuild", action="store_true", help="Drop and rebuild the data.")
    parser.add_argument("--label", default="", help="A note saved with the results.")
    parser.add_argument(
        "--profile", help="Profile these pages (e.g. lesson,complete) instead of loading them."
    )
    parser.add_argument("--repeat", type=int, default=300, help="Requests per profiled page.")
    parser.add_argument("--explain", help="EXPLAIN ANALYZE each query of these pages.")
    parser.add_argument("--time", help="Milliseconds per request of these pages, in-process.")
    parser.add_argument(
        "--database", help="Default: circle_bench (scale 1), circle_bench_x10 (scale 10)..."
    )
    args = parser.parse_args()
    args.database = args.database or (
        "circle_bench" if args.scale == 1 else f"circle_bench_x{args.scale}"
    )
    args.secret_key = secrets.token_urlsafe(50)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="circle-bench-"))
    try:
        static_root = workdir / "static"
        env = bench_env(args, static_root)
        database_prepare(args, env)
        manage(env, "collectstatic", "--noinput", "-v0")

        for key in [k for k in os.environ if k.startswith(("DJANGO_", "DATABASE"))]:
            del os.environ[key]
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        rng = random.Random(7)  # noqa: S311 - repeatable choices, not secrets
        visitors = visitors_create(SESSIONS, rng)
        endpoints = endpoints_build(visitors, rng)
        if args.only:
            wanted = set(args.only.split(","))
            wanted |= {"ceiling", "ceiling-signed-in"}
            endpoints = [e for e in endpoints if e.name in wanted]
        if args.profile:
            profile(endpoints, set(args.profile.split(",")), args.repeat)
            return
        if args.explain:
            explain(endpoints, set(args.explain.split(",")))
            return
        if args.time:
            timing(endpoints, set(args.time.split(",")), args.repeat)
            return
        queries = {e.name: queries_count(e) for e in endpoints if not e.skipped}
        csv_peaks = csv_peak_memory(endpoints)
        from django.db import connections

        connections.close_all()

        servers = ["gunicorn", "granian"] if args.server == "both" else [args.server]
        results = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "label": args.label,
            "scale": args.scale,
            "database": args.database,
            "settings": {
                "duration_s": args.duration,
                "passes": args.passes,
                "workers": args.workers,
                "threads": args.threads,
                "wrk_threads": args.wrk_threads,
                "connections": args.connections,
                "sessions": len(visitors),
            },
            "machine_before": machine(),
            "csv_peak_memory": csv_peaks,
            "runs": [],
        }
        for name in servers:
            print(f"Load on {name} ({args.duration} s per page)...")
            results["runs"].append(run_server(name, args, env, endpoints, queries, workdir))
        results["machine_after"] = machine()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-x{args.scale}-{args.server}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    for run in results["runs"]:
        print(f"\n== {run['server']}, scale {args.scale}, load average before "
              f"{results['machine_before']['load_average'][0]:.2f} ==")  # fmt: skip
        print(table(run))
    for name, row in results["csv_peak_memory"].items():
        print(
            f"{name} in-process: {row['csv_bytes']} B file, Python peak "
            f"{row['peak_python_kb']} KB while streaming (streaming: {row['streaming']})"
        )
    print(f"\nSaved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
