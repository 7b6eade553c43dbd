"""
The benchmark's measurements made in this process with Django's test client, against the same
database the servers use: queries per page, the CSV export's peak memory, pyinstrument
profiles and EXPLAIN plans. Imported by bench/run.py after django.setup().
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def client_for(request):
    """A test client carrying the request's session and CSRF cookies."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    use_cookies(client, request)
    return client


def use_cookies(client, request):
    client.cookies.clear()
    for part in filter(None, request.session.split("; ")):  # the bare ceiling has none
        name, value = part.split("=", 1)
        client.cookies[name] = value


def replay(client, request):
    """Send a prepared benchmark request as wrk does (a POST carries its CSRF header)."""
    if request.method == "POST":
        return client.post(
            request.path,
            data=request.body,
            content_type="application/x-www-form-urlencoded",
            headers={"X-CSRFToken": request.csrf},
        )
    return client.get(request.path)


def warm(client, endpoint, requests):
    """
    Send the requests once before measuring them, as the load runs warm up first: templates,
    imports, the connection's prepared queries and the worker's cached fragments are ready, so
    what is measured is the steady state, not each worker's first renders.
    """
    for request in requests:
        use_cookies(client, request)
        replay(client, request)
    if endpoint.before:
        endpoint.before()


def queries_count(endpoint):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = endpoint.requests[0]
    client = client_for(request)
    if endpoint.before:
        endpoint.before()
    counts, statuses = [], []
    # A page's second request is its steady state (a first visit may create progress); a
    # POST's first is the real thing (the second is a double submit).
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = replay(client, request)
        counts.append(len(captured))
        statuses.append(response.status_code)
    if statuses[-1] != endpoint.expected:
        raise SystemExit(
            f"{endpoint.name}: {request.method} {request.path} answered {statuses[-1]}, "
            f"expected {endpoint.expected}. Is the benchmark data right?"
        )
    return counts[0] if request.method == "POST" else counts[-1]


def csv_peak_memory(endpoints):
    """
    With tracemalloc: the peak of Python memory allocated while the CSV view builds its
    response and the response is read chunk by chunk (as a server sends it), next to the size
    of the whole file. A streamed export peaks far below its file size.
    """
    import tracemalloc

    found = {}
    for endpoint in endpoints:
        if not endpoint.name.endswith("-csv") or endpoint.skipped:
            continue
        request = endpoint.requests[0]
        client = client_for(request)
        client.get(request.path)  # imports and caches first, so the peak is the export's own
        tracemalloc.start()
        response = client.get(request.path)
        size = sum(len(chunk) for chunk in response.streaming_content)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        found[endpoint.name] = {
            "streaming": response.streaming,
            "content_length_header": response.has_header("Content-Length"),
            "csv_bytes": size,
            "peak_python_kb": round(peak / 1024, 1),
        }
    return found


def profile(endpoints, pages, repeat):
    """Where the time goes in one page, with pyinstrument; text under results/."""
    from django.test import Client
    from pyinstrument import Profiler

    RESULTS.mkdir(exist_ok=True)
    for endpoint in endpoints:
        if endpoint.name not in pages:
            continue
        if endpoint.before:
            endpoint.before()
        profiler = Profiler(interval=0.0005)
        # One client: each Client builds its own handler, so its own middleware (WhiteNoise
        # scans the static files then), which a server does once per worker.
        client = Client(enforce_csrf_checks=True)
        client.get("/bench/ceiling/")
        requests = endpoint.requests[:repeat]
        warm(client, endpoint, requests)
        profiler.start()
        for request in requests:
            use_cookies(client, request)
            replay(client, request)
        profiler.stop()
        path = RESULTS / f"profile-{endpoint.name}.txt"
        path.write_text(
            profiler.output_text(unicode=True, show_all=os.environ.get("BENCH_PROFILE_ALL") == "1")
        )
        print(f"{endpoint.name}: {len(requests)} requests, {profiler.last_session.duration:.2f} s "
              f"-> {path.relative_to(ROOT)}")  # fmt: skip


def timing(endpoints, pages, repeat):
    """
    Milliseconds per request of each page in this one thread, no server and no load: what a
    code change saves, measured in seconds rather than minutes. Not the benchmark's numbers.
    """
    import statistics
    import time

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get("/bench/ceiling/")
    for endpoint in endpoints:
        if endpoint.name not in pages or endpoint.skipped:
            continue
        if endpoint.before:
            endpoint.before()
        requests = endpoint.requests[:repeat]
        warm(client, endpoint, requests)
        spent, cpu = [], []
        for request in requests:
            use_cookies(client, request)
            start, start_cpu = time.perf_counter(), time.thread_time()
            replay(client, request)
            spent.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        # The thread's CPU time leaves out waiting (for PostgreSQL, or for a busy machine's
        # cores), so it moves less than the wall clock when other work shares the machine.
        calls = calls_per_request(client, endpoint, requests)
        print(f"{endpoint.name}: {len(spent)} requests, median {statistics.median(spent):.2f} ms "
              f"(Python CPU {statistics.median(cpu):.2f} ms), "
              f"{calls:,.0f} Python calls a request")  # fmt: skip


def calls_per_request(client, endpoint, requests):
    """
    Python function calls a request (cProfile's count), the same requests again (after the
    page's `before`, so mark complete completes again rather than being a double submit). Unlike
    milliseconds it does not move with a noisy machine: the same code and data give the same
    count, so a change's saving shows even where timings differ by a third from run to run.
    """
    import cProfile
    import pstats

    if endpoint.before:
        endpoint.before()
    profiler = cProfile.Profile()
    for request in requests:
        use_cookies(client, request)
        profiler.enable()
        replay(client, request)
        profiler.disable()
    return pstats.Stats(profiler).total_calls / len(requests)


def explain(endpoints, pages):
    """Each query a page runs, with PostgreSQL's plan: do the indexes serve it?"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RESULTS.mkdir(exist_ok=True)
    for endpoint in endpoints:
        if endpoint.name not in pages or endpoint.skipped:
            continue
        request = endpoint.requests[0]
        with CaptureQueriesContext(connection) as captured:
            replay(client_for(request), request)
        report = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                report.append(f"-- {query['time']} s\n{sql}")
                if sql.lstrip().upper().startswith("SELECT") and "FOR UPDATE" not in sql:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    report.extend("   " + row[0] for row in cursor.fetchall())
                report.append("")
        path = RESULTS / f"explain-{endpoint.name}.txt"
        path.write_text("\n".join(report))
        print(f"{endpoint.name}: {len(captured)} queries -> {path.relative_to(ROOT)}")
