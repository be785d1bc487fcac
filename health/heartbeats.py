"""The Celery heartbeats (docs/operations.md, "Health checks").

Beat sends the `health.heartbeat` task every minute (seeded as a django-celery-beat periodic
task by migration 0002). What each heartbeat means, honestly:

- beat: the time beat last *published* that task (recorded by beat itself, after the broker
  accepted the message; also when beat starts). A stale beat heartbeat means beat is down or
  cannot reach the broker.
- worker: the time a worker last *ran* that task. It goes stale when no worker consumes the
  queue, and also when beat is down (nothing to run): read it next to beat's.

Neither fails readiness: a web node serves pages without them (health/checks.py).
"""

import logging
from datetime import datetime

from celery.signals import after_task_publish, beat_init
from django.db import DatabaseError
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)

TASK_NAME = "health.heartbeat"
WORKER = "worker"
BEAT = "beat"

# Set in the beat process only (beat_init), so a heartbeat published by hand from a shell
# or a web node is never taken for beat's.
_in_beat = False


def record(name: str) -> None:
    """Store now as `name`'s last heartbeat; a database error is logged, never raised (a
    heartbeat must not crash beat or fail a task)."""
    try:
        Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    except DatabaseError:
        logger.exception("Could not record the %s heartbeat.", name)


def last(name: str) -> datetime | None:
    """When `name` last recorded a heartbeat, or None if it never has."""
    return Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()


def last_heartbeats() -> dict[str, datetime | None]:
    """Both heartbeats in one query: {"worker": …, "beat": …}."""
    found = dict(Heartbeat.objects.filter(name__in=[WORKER, BEAT]).values_list("name", "at"))
    return {WORKER: found.get(WORKER), BEAT: found.get(BEAT)}


def age_seconds(at: datetime | None) -> int | None:
    """Whole seconds since `at` (None stays None)."""
    return None if at is None else max(0, int((timezone.now() - at).total_seconds()))


def on_beat_init(sender: object = None, **kwargs: object) -> None:
    global _in_beat
    _in_beat = True
    record(BEAT)


def on_task_published(sender: object = None, **kwargs: object) -> None:
    if _in_beat:
        record(BEAT)


def connect_signals() -> None:
    """Called from HealthConfig.ready(): every process that loads Django listens, only beat
    records (see `_in_beat`)."""
    beat_init.connect(on_beat_init, dispatch_uid="health.beat_init")
    after_task_publish.connect(on_task_published, sender=TASK_NAME, dispatch_uid="health.publish")
