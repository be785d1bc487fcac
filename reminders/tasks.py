"""Celery tasks of the reminders app: thin wrappers that call the services."""

import logging
import time

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# When the last sweep that planned started (whole or changes), when the last whole plan
# started, and the local day it planned for.
LAST_SWEEP_STARTED = "reminders:last-sweep-started"
LAST_WHOLE_PLAN = "reminders:last-whole-plan"
LAST_PLANNED_DAY = "reminders:last-planned-day"


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
    """Plan, then hand every reminder due now to batch tasks (beat runs this every 15 minutes).

    The first sweep of a local day plans everything that can need a row (each kind's
    window), and so does one every REMINDER_REPLAN_SECONDS, which catches writes that
    announced nothing; every other sweep plans only the changes written since
    (reminders/services/changes.py: one query when there are none). A sweep requested after
    a save (`requested_at`) is skipped when another planning sweep started after the
    request: that one already read the committed change. Many saves in a row (an import,
    the demo seed) thus cost one sweep, not one each (docs/reminders.md).
    """
    from .services import reminders_sweep

    started = time.time()
    last = cache.get(LAST_SWEEP_STARTED)
    if requested_at is not None and last is not None and requested_at < last <= started:
        return "skipped: a later sweep covered this request"
    today = timezone.localdate().isoformat()
    last_whole = cache.get(LAST_WHOLE_PLAN)
    whole = (
        last_whole is None
        or cache.get(LAST_PLANNED_DAY) != today
        or started - last_whole >= settings.REMINDER_REPLAN_SECONDS
    )
    marks = {LAST_SWEEP_STARTED: started}
    if whole:
        marks.update({LAST_WHOLE_PLAN: started, LAST_PLANNED_DAY: today})
    cache.set_many(marks, timeout=None)
    return reminders_sweep(only_changes=not whole, dispatch=enqueue_batch).summary()


@shared_task(
    name="reminders.send_batch",
    ignore_result=True,
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=15,
    retry_backoff_max=300,
    retry_jitter=True,
)
def send_batch(reminder_ids: list[int]) -> str:
    """Deliver one batch of claimed reminders over one mail connection."""
    from .services import reminders_send_batch

    outcomes = reminders_send_batch(reminder_ids=reminder_ids)
    sent = sum(1 for outcome in outcomes if outcome.status == "sent")
    failed = sum(1 for outcome in outcomes if outcome.error)
    return f"{sent} sent, {failed} failed of {len(reminder_ids)} claimed"


def enqueue_batch(reminder_ids: list[int]) -> None:
    """Hand a claimed batch to a worker; if the broker refuses it, deliver it here instead."""
    try:
        send_batch.apply_async(kwargs={"reminder_ids": reminder_ids})
    except Exception:
        logger.exception("Could not enqueue a reminder batch; delivering it in the sweep.")
        from .services import reminders_send_batch

        reminders_send_batch(reminder_ids=reminder_ids)


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


def replan_after_commit(sender=None, ids=None, **kwargs) -> None:
    """Receiver of core.signals.deadlines_changed, connected in RemindersConfig.ready():
    records the changed rows in the writer's transaction, and once it commits asks for a
    sweep that plans them."""
    from .services import plan_changes_record

    if sender is not None and plan_changes_record(model=sender, ids=ids):
        sweep_after_commit()


@worker_ready.connect
def sweep_when_worker_starts(sender=None, **kwargs):
    """A worker that was down catches up at once instead of waiting for the next beat."""
    if settings.REMINDER_SWEEP_ON_WORKER_START:
        enqueue_sweep()
