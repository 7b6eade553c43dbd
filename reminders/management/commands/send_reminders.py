import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.sending import messages_release_stuck
from reminders.sweep import BATCH_SIZE, reminders_sweep


def moment(value):
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now wants an ISO date and time, e.g. 2026-03-02T09:00, not {value!r}"
        ) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = (
        "Record and queue every reminder due now (or at --now). Safe to run as often as you "
        "like and on several machines at once: each reminder is recorded and sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", type=moment, help="Run for this moment (ISO; the site's time zone if naive)."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, now=None, batch_size, **options):
        # Messages a stopped worker left half-sent get their next try (or are recorded failed).
        # "Stuck" is measured on the real clock, never --now: a sweep run for a later moment
        # must not take a message a worker is sending right now (it would go out twice).
        released = messages_release_stuck()
        if released:
            self.stdout.write(
                f"{released} messages left by a stopped worker (or a lost task) queued again"
            )
        report = reminders_sweep(now=now, batch_size=batch_size)
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.recorded.items()))
        self.stdout.write(
            f"{timezone.localtime(report.moment):%Y-%m-%d %H:%M}: {report.people} people in "
            f"{report.batches} batches, {report.total} new messages queued"
            + (f" ({kinds})" if kinds else "")
        )
