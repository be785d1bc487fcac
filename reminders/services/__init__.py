"""Writes of the reminders app: the sweep that plans and sends reminders, and notifications.

The sweep is safe to run at any time, any number of times, on any number of workers:
planning inserts rows under a unique key (a second insert is ignored); due rows are claimed
in batches (`claimed_at`), each batch is delivered by one task over one mail connection,
and each row is locked with `SELECT ... FOR UPDATE SKIP LOCKED`, re-checked, delivered and
marked sent in one transaction (the pattern of Zulip's `try_deliver_one_scheduled_message`).
See docs/reminders.md, "Scaling out".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from contracts.models import Contract
from core.types import AuthUser

from ..models import CalendarFeed, Notification, Reminder, new_feed_token
from .changes import plan_changes_read, plan_changes_record
from .delivery import (
    Outcome,
    reminder_retry,
    reminder_send,
    reminders_claim,
    reminders_send_batch,
    reminders_send_due,
    retry_delay,
)
from .planning import (
    DeadlineDates,
    DeadlineKey,
    current_deadlines,
    deadline_dates,
    planned_offsets,
    reminders_plan,
    reminders_replan,
    reminders_retire,
)

__all__ = [
    "DeadlineDates",
    "DeadlineKey",
    "Outcome",
    "SweepReport",
    "calendar_feed_for",
    "calendar_feed_regenerate",
    "current_deadlines",
    "deadline_dates",
    "notification_mark_read",
    "notifications_mark_all_read",
    "plan_changes_read",
    "plan_changes_record",
    "planned_offsets",
    "reminder_retry",
    "reminder_send",
    "reminders_claim",
    "reminders_plan",
    "reminders_replan",
    "reminders_retire",
    "reminders_send_batch",
    "reminders_send_due",
    "reminders_sweep",
    "retry_delay",
]

logger = logging.getLogger(__name__)

Status = Reminder.Status


@dataclass
class SweepReport:
    """The result of one sweep, for logs, the management command and tests."""

    today: date
    outcomes: list[Outcome] = field(default_factory=list)
    retired: dict[str, int] = field(default_factory=dict)
    # Rows handed to batch tasks (a fanned-out sweep), and in how many batches.
    dispatched: int = 0
    batches: int = 0

    def ids(self, status: str) -> list[int]:
        return [o.reminder_id for o in self.outcomes if o.status == status]

    @property
    def sent(self) -> list[int]:
        return self.ids(Status.SENT)

    @property
    def failed(self) -> list[int]:
        return [o.reminder_id for o in self.outcomes if o.error]

    def summary(self) -> str:
        retired = ", ".join(f"{n} {status}" for status, n in sorted(self.retired.items()))
        handed = f", {self.dispatched} handed to {self.batches} batch task(s)"
        return (
            f"{len(self.sent)} sent, {len(self.failed)} failed"
            + (f", retired: {retired}" if retired else "")
            + (handed if self.batches else "")
        )


def reminders_sweep(
    *,
    now: datetime | None = None,
    only_changes: bool = False,
    dispatch: Callable[[list[int]], None] | None = None,
) -> SweepReport:
    """Plan the reminders due as of `now`, retire stale ones, and send each due row once.

    With `dispatch`, the due rows are claimed in batches and each batch is handed to it (the
    Celery sweep enqueues one task per batch); without, this process sends them itself.
    `only_changes` plans only the deadlines the writes recorded since the last plan reach
    (the periodic sweep between two whole plans).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport(today=today)
    # The contracts' stored notice dates the dashboard and lists read (one query when none
    # has passed); the plan itself asks the date engine.
    Contract.objects.refresh_notice_dates(today)
    report.retired = reminders_replan(today=today, only_changes=only_changes)
    if dispatch is None:
        report.outcomes = reminders_send_due(now=now)
    else:
        for batch in reminders_claim(now=now):
            dispatch(batch)
            report.dispatched += len(batch)
            report.batches += 1
    logger.info("Reminder sweep for %s: %s", today, report.summary())
    return report


# Notifications and calendar feeds


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: AuthUser) -> bool:
    """Mark one of `user`'s notifications read; someone else's is left untouched."""
    return bool(
        Notification.objects.filter(pk=notification.pk, user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


@transaction.atomic
def notifications_mark_all_read(*, user: AuthUser) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def calendar_feed_for(*, user: AuthUser) -> CalendarFeed:
    """The user's calendar feed, created with a fresh secret on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, user: AuthUser) -> CalendarFeed:
    """Give the user's feed a new secret: the old URL stops working at once."""
    feed = calendar_feed_for(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
