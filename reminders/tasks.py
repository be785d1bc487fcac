"""Celery tasks of the reminders app: thin wrappers that call the services."""

import logging
import time

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

LAST_SWEEP_STARTED = "reminders:last-sweep-started"


@shared_task(
    name="reminders.sweep",
    ignore_result=True,
    # A database hiccup is worth a few quick retries; anything else waits for the next run.
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=15,
    retry_backoff_max=300,
    retry_jitter=True,
)
def sweep(requested_at: float | None = None) -> str:
    """Plan and send every reminder due now (beat runs this every 15 minutes).

    A sweep requested after a save (`requested_at`) is skipped when another sweep started
    after the request: that one already saw the committed change. Many saves in a row (an
    import, the demo seed) thus cost one sweep, not one each.
    """
    from .services import reminders_sweep

    started = time.time()
    last = cache.get(LAST_SWEEP_STARTED)
    if requested_at is not None and last is not None and requested_at < last <= started:
        return "skipped: a later sweep covered this request"
    cache.set(LAST_SWEEP_STARTED, started, timeout=None)
    return reminders_sweep().summary()


def enqueue_sweep() -> bool:
    """Send the sweep to a worker; a broker that is down is logged, never raised."""
    try:
        # Expires so that a backlog of requested sweeps collapses instead of running late.
        sweep.apply_async(
            kwargs={"requested_at": time.time()},
            expires=settings.REMINDER_ENQUEUE_EXPIRES_SECONDS,
        )
    except Exception:
        logger.exception("Could not enqueue the reminder sweep; the periodic sweep will catch up.")
        return False
    return True


def sweep_after_commit() -> None:
    """Re-plan reminders once the current transaction commits (a due date may have moved)."""
    transaction.on_commit(enqueue_sweep)


def replan_after_commit(sender=None, **kwargs) -> None:
    """Receiver of core.signals.deadlines_changed, connected in RemindersConfig.ready()."""
    sweep_after_commit()


@worker_ready.connect
def sweep_when_worker_starts(sender=None, **kwargs):
    """A worker that was down catches up at once instead of waiting for the next beat."""
    if settings.REMINDER_SWEEP_ON_WORKER_START:
        enqueue_sweep()
