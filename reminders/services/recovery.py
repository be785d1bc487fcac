"""Recovery by hand: the admin's "retry now" for failing and stuck reminders
(docs/operations.md, "Logs, metrics and errors")."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ..models import Reminder
from .delivery import reminder_retry


@transaction.atomic
def reminder_retry_now(*, reminder: Reminder, now: datetime | None = None) -> bool:
    """Make a failing or stuck row due at once for the next sweep; False when it is neither
    failed nor pending (sent or retired rows are never resent).

    A failed row gets a fresh set of attempts (reminder_retry). A pending row keeps its
    attempt count, loses its back-off wait, and is released from a claim, which only ever
    avoids duplicate work: delivery locks and re-checks each row, so a row a live batch is
    still sending is not sent twice.
    """
    now = now or timezone.now()
    if reminder_retry(reminder=reminder, now=now):
        return True
    return bool(
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING).update(
            next_attempt_at=now, claimed_at=None, updated_at=now
        )
    )
