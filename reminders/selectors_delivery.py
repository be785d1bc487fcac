"""How reminder delivery is going, read from the database: what the metrics report and the
admin's "Problem" filter shows (docs/operations.md, "Logs, metrics and errors").

Read from the rows, not counted in a process: every web node, worker and beat sees the same
numbers, and a restart loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import Reminder, ReminderQuerySet
from .send_days import latest_send_day, local_send_time


@dataclass(frozen=True)
class DeliveryHealth:
    by_status: dict[str, int]
    failing: int
    stuck: int
    # Seconds since the send day of the oldest pending row whose day has begun began
    # in the site's zone (send_days.py); 0 when none is waiting.
    oldest_unsent_seconds: float


def reminder_delivery_health(now: datetime) -> DeliveryHealth:
    """Rows per status, failing and stuck rows (ReminderQuerySet's definitions) and the age of
    the oldest unsent one, in one query."""
    site = timezone.get_default_timezone()
    begun = latest_send_day(now, site)
    pending = Q(status=Reminder.Status.PENDING)
    counts = {status: Count("pk", filter=Q(status=status)) for status in Reminder.Status.values}
    row = Reminder.objects.order_by().aggregate(
        **{f"status_{status}": count for status, count in counts.items()},
        failing=Count("pk", filter=ReminderQuerySet.failing_q()),
        stuck=Count("pk", filter=ReminderQuerySet.stuck_q(now)),
        oldest_send_on=Min("send_on", filter=pending & Q(send_on__lte=begun)),
    )
    oldest = row["oldest_send_on"]
    age = 0.0
    if oldest is not None:
        age = max(0.0, (now - local_send_time(oldest, site)).total_seconds())
    return DeliveryHealth(
        by_status={status: row[f"status_{status}"] for status in counts},
        failing=row["failing"],
        stuck=row["stuck"],
        oldest_unsent_seconds=age,
    )
