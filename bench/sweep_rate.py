"""Reminder sending rate: plan and claim N due reminders, then send their batches in one
process and in a pool of two (docs/performance.md, "Results").

Run from the repository root against a migrated database of its own, e.g.
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/sweeprate
DJANGO_SETTINGS_MODULE=backsourcing.settings.test N=4000 .venv/bin/python bench/sweep_rate.py 1 2`.
The pool calls `reminders_send_batch`, what each Celery batch task runs; e-mail goes to
the locmem outbox.
"""

import multiprocessing as mp
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backsourcing.settings.test")
django.setup()

from django.core import mail  # noqa: E402 - after django.setup()
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from reminders.models import Notification, Reminder  # noqa: E402
from reminders.services import reminders_send_batch, reminders_sweep  # noqa: E402
from tests.reminders.conftest import at  # noqa: E402

COUNT = int(os.environ.get("N", "4000"))
DUE = date(2027, 3, 31)
NOW = at(DUE - timedelta(days=7))


def build() -> None:
    """COUNT milestones due on DUE, owned by 50 people (once per database)."""
    from tests.factories import UserFactory
    from tests.transition.factories import OutsourcedProcessFactory
    from transition.models import Milestone

    if Milestone.objects.count() >= COUNT:
        return
    users = [UserFactory() for _ in range(50)]
    processes = [OutsourcedProcessFactory(lead=users[i]) for i in range(20)]
    Milestone.objects.bulk_create(
        [
            Milestone(
                process=processes[i % 20],
                title=f"M{i}",
                kind=Milestone.Kind.PLANNING,
                due_date=DUE,
                owner=users[i % 50],
            )
            for i in range(COUNT)
        ],
        batch_size=1000,
    )


def send(batch: list[int]) -> int:
    mail.outbox = []
    return len(reminders_send_batch(reminder_ids=batch, now=NOW))


def fresh_worker() -> None:
    connection.close()
    mail.outbox = []


def run(workers: int) -> None:
    Notification.objects.all().delete()
    Reminder.objects.all().delete()
    batches: list[list[int]] = []
    start = time.perf_counter()
    reminders_sweep(now=NOW, dispatch=batches.append)
    planned = time.perf_counter() - start
    connection.close()
    start = time.perf_counter()
    if workers == 1:
        fresh_worker()
        sent = sum(map(send, batches))
    else:
        with mp.get_context("fork").Pool(workers, initializer=fresh_worker) as pool:
            sent = sum(pool.map(send, batches, chunksize=1))
    elapsed = time.perf_counter() - start
    print(
        f"workers={workers} rows={sum(map(len, batches))} sent={sent} "
        f"plan+claim={planned:.2f}s send={elapsed:.2f}s -> {sent / elapsed:.0f} reminders/s",
        flush=True,
    )


if __name__ == "__main__":
    setup_test_environment()  # the locmem outbox
    build()
    for workers in [int(arg) for arg in sys.argv[1:]] or [1, 2]:
        run(workers)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the sweep process: {peak:.0f} MB")
