"""The reminder gauges of /metrics, read from the database at scrape time
(docs/operations.md, "Logs, metrics and errors").

django-prometheus counts requests in each process; these gauges come from the shared rows
instead (reminders/selectors_delivery.py), so whichever web process answers the scrape
reports the same numbers for every worker. They live in a registry of their own: in
Prometheus's multiprocess mode django-prometheus exports only the per-process files, and the
global registry would otherwise query the database whenever anything else collects it.
"""

import logging
from collections.abc import Iterator

from django.db import DatabaseError
from django.utils import timezone
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from reminders.selectors_delivery import reminder_delivery_health

logger = logging.getLogger(__name__)

PREFIX = "backsourcing_reminders"


class ReminderCollector(Collector):
    """Reminder rows per status, failing, stuck, and the age of the oldest unsent one."""

    def collect(self) -> Iterator[Metric]:
        try:
            health = reminder_delivery_health(timezone.now())
        except DatabaseError:
            logger.warning("Metrics: could not read the reminders.", exc_info=True)
            yield GaugeMetricFamily(f"{PREFIX}_up", "1 when the reminders could be read.", 0)
            return
        yield GaugeMetricFamily(f"{PREFIX}_up", "1 when the reminders could be read.", 1)
        by_status = GaugeMetricFamily(
            PREFIX,
            "Reminder rows by status (pending: planned, not sent yet).",
            labels=["status"],
        )
        for status, count in health.by_status.items():
            by_status.add_metric([status], count)
        yield by_status
        yield GaugeMetricFamily(
            f"{PREFIX}_failing",
            "Pending reminders that failed at least once, and failed ones (out of attempts).",
            health.failing,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_stuck",
            "Pending reminders claimed past the claim timeout, or due and unsent for longer "
            "than REMINDER_STUCK_AFTER_MINUTES.",
            health.stuck,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_oldest_unsent_seconds",
            "Seconds since the send day of the oldest pending reminder began (0: none due).",
            health.oldest_unsent_seconds,
        )


registry = CollectorRegistry()
registry.register(ReminderCollector())
