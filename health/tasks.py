"""The heartbeat task beat sends every minute (health/heartbeats.py)."""

from celery import shared_task

from . import heartbeats


@shared_task(name=heartbeats.TASK_NAME, ignore_result=True)
def heartbeat() -> None:
    """Record that a worker is consuming the queue."""
    heartbeats.record(heartbeats.WORKER)
