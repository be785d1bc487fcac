"""Fixtures of the reminder tests: a clock in the project's time zone and broker switching."""

import contextlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import kombu.pools
import pytest
from django.conf import settings

from backsourcing.celery import app as celery_app
from reminders.services import reminders_sweep

ZONE = ZoneInfo(settings.TIME_ZONE)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware moment on `day` in the project's time zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def sweep_on(day: date, hour: int = 9, minute: int = 0):
    return reminders_sweep(now=at(day, hour, minute))


@contextlib.contextmanager
def broker(url: str, **options):
    """Point the Celery app at another broker, dropping pooled connections both ways."""
    saved = {key: celery_app.conf.get(key) for key in ("broker_url", *options)}

    def reset_pools():
        # Closes every pooled connection and forgets the pools, so the next publish opens a
        # fresh connection to whichever broker is configured then.
        kombu.pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    reset_pools()
    celery_app.conf.update(broker_url=url, **options)
    try:
        yield celery_app
    finally:
        reset_pools()
        celery_app.conf.update(saved)


@pytest.fixture
def ops_manager(db):
    from tests.factories import UserFactory

    return UserFactory(username="omar", role="Operations managers")


@pytest.fixture(autouse=True)
def _forget_earlier_sweeps():
    """Each test starts as if no sweep had run in this process (reminders/tasks.py keeps
    when it last planned in the cache)."""
    from reminders import tasks

    tasks.cache.delete_many(
        [tasks.LAST_SWEEP_STARTED, tasks.LAST_WHOLE_PLAN, tasks.LAST_PLANNED_DAY]
    )
