"""Reminder rows in every delivery state, at a fixed moment, for the metrics and the admin's
"Problem" filter (docs/operations.md, "Logs, metrics and errors")."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType

from reminders.models import Reminder
from transition.models import Milestone

# 00:30 in London (GMT in November): today's rows have been due for 30 minutes, less than
# REMINDER_STUCK_AFTER_MINUTES (60).
NOW = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@dataclass
class Rows:
    planned: Reminder  # pending, sent tomorrow
    backing_off: Reminder  # pending, failed twice, next attempt in 10 minutes: failing
    claim_expired: Reminder  # pending since two days ago, claimed 20 minutes ago: stuck
    being_sent: Reminder  # pending, due 30 minutes ago, claimed a minute ago: neither
    retry_overdue: Reminder  # pending, failed once, its retry due 2 hours ago: both
    gave_up: Reminder  # failed: failing
    sent: list[Reminder]


def row(object_id: int, send_on: date, **fields) -> Reminder:
    """A milestone's seven-day reminder (the milestone itself need not exist)."""
    return Reminder.objects.create(
        kind=Reminder.Kind.MILESTONE_DUE,
        content_type=ContentType.objects.get_for_model(Milestone),
        object_id=object_id,
        due_date=send_on + timedelta(days=7),
        offset_days=7,
        send_on=send_on,
        **fields,
    )


def make_row_due_today() -> Reminder:
    """Pending, never claimed or tried, sent on TODAY."""
    return row(1, TODAY)


def make_rows() -> Rows:
    ids = iter(range(1, 100))

    def next_row(send_on: date, **fields) -> Reminder:
        return row(next(ids), send_on, **fields)

    return Rows(
        planned=next_row(TODAY + timedelta(days=1)),
        backing_off=next_row(
            TODAY,
            attempts=2,
            last_error="SMTPServerDisconnected: gone",
            next_attempt_at=NOW + timedelta(minutes=10),
        ),
        claim_expired=next_row(TODAY - timedelta(days=2), claimed_at=NOW - timedelta(minutes=20)),
        being_sent=next_row(TODAY, claimed_at=NOW - timedelta(minutes=1)),
        retry_overdue=next_row(
            TODAY - timedelta(days=1),
            attempts=1,
            last_error="ConnectionRefusedError: [Errno 111]",
            next_attempt_at=NOW - timedelta(hours=2),
        ),
        gave_up=next_row(TODAY - timedelta(days=3), status=Reminder.Status.FAILED, attempts=8),
        sent=[
            next_row(TODAY, status=Reminder.Status.SENT, sent_at=NOW - timedelta(minutes=25)),
            next_row(TODAY, status=Reminder.Status.SENT, sent_at=NOW - timedelta(minutes=25)),
        ],
    )
