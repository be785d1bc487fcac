"""End to end with a real Celery worker consuming from Redis (CI provides Redis)."""

import importlib
import os
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.apps import apps
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from reminders import tasks
from reminders.models import Notification, Reminder
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
seed = importlib.import_module("reminders.migrations.0002_seed_sweep_schedule")

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    """A real worker thread consuming the project's queue on Redis."""
    from .conftest import broker

    with broker(REDIS_URL) as app:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    connection.close()


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def milestone_due_tomorrow():
    lead = UserFactory(username="worker-lead")
    # Relative to the real day: the worker sweeps with the real clock. Whatever the day,
    # the one-day reminder of a milestone due tomorrow is the one due now.
    return MilestoneFactory(due_date=timezone.localdate() + timedelta(days=1), owner=lead)


def sent(milestone) -> bool:
    return Reminder.objects.filter(
        object_id=milestone.pk, kind="milestone_due", offset_days=1, status="sent"
    ).exists()


def test_beat_triggers_the_sweep_and_the_worker_delivers_the_reminder(worker):
    milestone = milestone_due_tomorrow()
    seed.seed_sweep(apps, None)  # the migration's task (the table may have been flushed)
    PeriodicTask.objects.filter(name=seed.TASK_NAME).update(
        last_run_at=timezone.now() - timedelta(hours=1)
    )
    scheduler = DatabaseScheduler(app=worker)

    def beat_and_check():
        scheduler.tick()
        return sent(milestone)

    assert wait_for(beat_and_check), "the beat-sent sweep was not delivered by the worker"
    assert PeriodicTask.objects.get(name=seed.TASK_NAME).total_run_count >= 1
    assert [m for m in mail.outbox if milestone.title in m.subject]
    assert Notification.objects.filter(user=milestone.owner, reminder__object_id=milestone.pk)


def test_a_sweep_enqueued_through_redis_is_run_once_by_the_worker(worker):
    milestone = milestone_due_tomorrow()
    assert tasks.enqueue_sweep()
    assert tasks.enqueue_sweep()  # requested twice (two saves in a row): still one e-mail
    assert wait_for(lambda: sent(milestone))
    time.sleep(1)  # let the second sweep finish
    assert len([m for m in mail.outbox if milestone.title in m.subject]) == 1
