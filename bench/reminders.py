"""
The reminders sweep at scale: `.venv/bin/python bench/reminders.py [--scale 10]`.

Runs `reminders_sweep` once for each hour of one day (00:05 to 23:05 in the site's time zone) on
the benchmark database (built by `manage.py bench_data`, see bench/README.md), as the hourly
timer would, with the real task backend (django-tasks-db: each batch queues its sending tasks as
rows). For every sweep: wall time, queries (in all and per batch of people), and the process's
resident memory after each batch, which must stay flat. Then it sends a sample of the day's
messages in-process (locmem mail) to time one send. Finally it deletes what it recorded, so
runs repeat. Results are printed and saved under bench/results/.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--database", help="Default: circle_bench (scale 1), circle_bench_x10 ...")
    parser.add_argument("--day", help="The day to sweep (ISO); default today.")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=300, help="Messages sent in-process.")
    parser.add_argument("--keep", action="store_true", help="Keep the recorded messages.")
    args = parser.parse_args()
    database = args.database or (
        "circle_bench" if args.scale == 1 else f"circle_bench_x{args.scale}"
    )
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="circle.settings",
        DATABASE_URL=f"{base.rstrip('/')}/{database}",
        DJANGO_DEBUG="true",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_EMAIL="console",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from accounts.models import User
    from reminders.models import Message
    from reminders.sending import message_send
    from reminders.sweep import reminders_sweep

    call_command("migrate", "--noinput", verbosity=0)
    parents = User.objects.filter(role="parent", email__endswith="@bench.example").count()
    if not parents:
        sys.exit(f"{database} has no benchmark data: run `make bench` or manage.py bench_data.")
    day = datetime.date.fromisoformat(args.day) if args.day else timezone.localdate()
    started_at = timezone.now()
    print(
        f"{database}: {parents} parents; sweeping {day} hour by hour (batches of {args.batch_size})"
    )
    sweeps = []
    for hour in range(24):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 5)))
        per_batch, rss = [], []
        with CaptureQueriesContext(connection) as captured:
            mark = [0]

            def on_batch(report, captured=captured, mark=mark, per_batch=per_batch, rss=rss):
                per_batch.append(len(captured.captured_queries) - mark[0])
                mark[0] = len(captured.captured_queries)
                rss.append(round(rss_mb(), 1))

            begin = time.perf_counter()
            report = reminders_sweep(now=moment, batch_size=args.batch_size, on_batch=on_batch)
            seconds = time.perf_counter() - begin
        queries = len(captured.captured_queries)
        reset_queries()
        # The first batch also reads the published lessons and the day's plan (two queries).
        people_batches = per_batch[1:]
        row = {
            "hour": f"{hour:02d}:05",
            "seconds": round(seconds, 2),
            "people": report.people,
            "batches": report.batches,
            "queries": queries,
            "queries_per_batch": sorted(set(people_batches)),
            "new_messages": dict(report.recorded),
            "rss_mb_first_last_max": [rss[0], rss[-1], max(rss)] if rss else [],
        }
        sweeps.append(row)
        print(
            f"  {row['hour']}  {seconds:6.1f} s  {report.batches:4d} batches  "
            f"{row['queries']:5d} queries ({row['queries_per_batch']} per batch of people)  "
            f"new {report.total:6d} {dict(report.recorded)}  RSS {row['rss_mb_first_last_max']} MB"
        )
    recorded = Message.objects.filter(created_at__gte=started_at - datetime.timedelta(days=2))
    total = Message.objects.count()
    tasks = DBTaskResult.objects.filter(enqueued_at__gte=started_at).count()
    print(f"Day total: {total} messages recorded, {tasks} task rows queued")

    sample = list(Message.objects.pending().values_list("pk", flat=True)[: args.sample])
    send = {}
    if sample:
        with (
            override_settings(
                MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
            ),
            CaptureQueriesContext(connection) as captured,
        ):
            begin = time.perf_counter()
            for pk in sample:
                message_send(message_id=pk)
            seconds = time.perf_counter() - begin
        send = {
            "messages": len(sample),
            "ms_per_message": round(1000 * seconds / len(sample), 1),
            "queries_per_message": round(len(captured.captured_queries) / len(sample), 1),
        }
        print(f"Sending in-process (locmem mail): {send}")

    result = {
        "database": database,
        "parents": parents,
        "day": day.isoformat(),
        "batch_size": args.batch_size,
        "sweeps": sweeps,
        "day_seconds": round(sum(s["seconds"] for s in sweeps), 1),
        "messages": total,
        "task_rows": tasks,
        "send": send,
        "load_average": os.getloadavg(),
    }
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = results / f"{stamp}-reminders-x{args.scale}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"Whole day: {result['day_seconds']} s of sweeping. Saved {path.relative_to(ROOT)}")
    if not args.keep:
        recorded.delete()
        DBTaskResult.objects.filter(enqueued_at__gte=started_at).delete()


if __name__ == "__main__":
    main()
