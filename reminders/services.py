"""Writes of the reminders app: the sweep that plans and sends reminders, and notifications.

The sweep is safe to run at any time, any number of times, on any number of workers:
planning inserts rows under a unique key (a second insert is ignored), and each due row is
claimed with `SELECT ... FOR UPDATE SKIP LOCKED`, re-checked, delivered and marked sent in
one transaction (the pattern of Zulip's `try_deliver_one_scheduled_message`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from core.types import AuthUser

from .models import CalendarFeed, Notification, Reminder, new_feed_token
from .schedule import may_send, schedule_for, send_on
from .triggers import TRIGGERS, Deadline, all_deadlines, resolve_recipients

logger = logging.getLogger(__name__)

Status = Reminder.Status
DeadlineKey = tuple[str, int, int]


class PendingRow(TypedDict):
    """The fields of a pending reminder row that decide whether it is still wanted."""

    kind: str
    content_type_id: int
    object_id: int
    due_date: date
    offset_days: int
    send_on: date


@dataclass(frozen=True)
class Outcome:
    """What happened to one reminder row in a sweep."""

    reminder_id: int
    status: str
    description: str
    recipients: tuple[str, ...] = ()
    error: str = ""


@dataclass
class SweepReport:
    """The result of one sweep, for logs, the management command and tests."""

    today: date
    outcomes: list[Outcome] = field(default_factory=list)
    retired: dict[str, int] = field(default_factory=dict)

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
        return f"{len(self.sent)} sent, {len(self.failed)} failed" + (
            f", retired: {retired}" if retired else ""
        )


def reminders_sweep(*, now: datetime | None = None) -> SweepReport:
    """Plan the reminders due as of `now`, retire stale ones, and send each due row once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport(today=today)
    expected = current_deadlines(today)
    reminders_plan(expected=expected, today=today)
    report.retired = reminders_retire(expected=expected, today=today)
    report.outcomes = reminders_send_due(now=now)
    logger.info("Reminder sweep for %s: %s", today, report.summary())
    return report


def current_deadlines(today: date) -> dict[DeadlineKey, Deadline]:
    return {deadline.key: deadline for deadline in all_deadlines(today, detailed=False)}


def planned_offsets(deadline: Deadline, today: date) -> list[int]:
    """The offsets to hold rows for: the one to send today, and those due in the next days."""
    schedule = schedule_for(deadline.kind)
    current = schedule.current_offset(deadline.due, today)
    upcoming = schedule.upcoming_offsets(deadline.due, today, settings.REMINDER_PLAN_AHEAD_DAYS)
    return ([current] if current is not None else []) + upcoming


def reminders_plan(*, expected: dict[DeadlineKey, Deadline], today: date) -> None:
    """Insert the rows the current deadlines need; rows that already exist are left alone."""
    rows = []
    for (kind, content_type_id, object_id), deadline in expected.items():
        for offset in planned_offsets(deadline, today):
            rows.append(
                Reminder(
                    kind=kind,
                    content_type_id=content_type_id,
                    object_id=object_id,
                    due_date=deadline.due,
                    offset_days=offset,
                    send_on=send_on(deadline.due, offset),
                )
            )
    # Inserting in key order means two concurrent sweeps wait on each other's keys in the
    # same order, so ON CONFLICT DO NOTHING cannot deadlock.
    rows.sort(key=lambda r: (r.kind, r.content_type_id, r.object_id, r.due_date, r.offset_days))
    Reminder.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def _retirement(
    row: PendingRow, expected: dict[DeadlineKey, Deadline], today: date
) -> tuple[str, str] | None:
    """The (status, note) a pending row moves to, or None while it is still wanted."""
    if row["send_on"] <= today and row["offset_days"] >= 0 and row["due_date"] < today:
        return Status.MISSED, "The due date passed before it could be sent."
    deadline = expected.get((row["kind"], row["content_type_id"], row["object_id"]))
    if deadline is None:
        return Status.DROPPED, "The deadline no longer applies."
    if deadline.due != row["due_date"]:
        return Status.DROPPED, f"The due date moved to {deadline.due.isoformat()}."
    schedule = schedule_for(row["kind"])
    offset = row["offset_days"]
    if not schedule.contains(offset):
        return Status.DROPPED, "The offset is no longer in the reminder schedule."
    if row["send_on"] > today:
        return None
    if not may_send(offset, deadline.due, today):
        return Status.MISSED, "The due date passed before it could be sent."
    if schedule.current_offset(deadline.due, today) != offset:
        return Status.SUPERSEDED, "A later reminder of the same deadline is due."
    return None


def reminders_retire(*, expected: dict[DeadlineKey, Deadline], today: date) -> dict[str, int]:
    """Move pending rows that must not be sent (date moved, superseded, too late) out of the way."""
    changes: dict[tuple[str, str], list[int]] = {}
    pending = Reminder.objects.filter(status=Status.PENDING).values(
        "pk", "kind", "content_type_id", "object_id", "due_date", "offset_days", "send_on"
    )
    for row in pending.iterator(chunk_size=2000):
        retirement = _retirement(row, expected, today)
        if retirement is not None:
            changes.setdefault(retirement, []).append(row["pk"])
    counts: dict[str, int] = {}
    for (status, note), ids in changes.items():
        changed = _set_status(ids, status=status, note=note)
        if changed:
            counts[status] = counts.get(status, 0) + changed
    return counts


def _set_status(ids: list[int], *, status: str, note: str) -> int:
    with transaction.atomic():
        # A row another worker holds is being delivered right now; it re-checks the same
        # rules under its lock, so skipping it here loses nothing and never waits.
        locked = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return Reminder.objects.filter(pk__in=locked).update(
            status=status, status_note=note, next_attempt_at=None, updated_at=timezone.now()
        )


def _due_rows(now: datetime) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=Status.PENDING,
        send_on__lte=timezone.localdate(now),
    )


def reminders_send_due(*, now: datetime | None = None) -> list[Outcome]:
    """Deliver every pending row whose day has come, each in its own short transaction."""
    now = now or timezone.now()
    outcomes: list[Outcome] = []
    handled: set[int] = set()
    while True:
        with transaction.atomic():
            reminder = (
                _due_rows(now)
                .exclude(pk__in=handled)
                .select_for_update(skip_locked=True)
                .order_by("send_on", "pk")
                .first()
            )
            if reminder is None:
                return outcomes
            handled.add(reminder.pk)
            outcomes.append(_deliver_locked(reminder, now))


def reminder_send(*, reminder_id: int, now: datetime | None = None) -> Outcome | None:
    """Deliver one row if it is pending and due; None when it is not (or another worker has it)."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = _due_rows(now).select_for_update(skip_locked=True).filter(pk=reminder_id).first()
        return None if reminder is None else _deliver_locked(reminder, now)


def reminder_retry(*, reminder: Reminder, now: datetime | None = None) -> bool:
    """Give a failed row a fresh set of attempts; the next sweep sends it if still current."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, status=Status.FAILED).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=now or timezone.now(),
            status_note="Retried by hand.",
        )
    )


def _retire_locked(reminder: Reminder, status: str, note: str, description: str) -> Outcome:
    reminder.status, reminder.status_note = status, note
    reminder.next_attempt_at = None
    reminder.save(update_fields=["status", "status_note", "next_attempt_at", "updated_at"])
    return Outcome(reminder.pk, status, description)


def _deliver_locked(reminder: Reminder, now: datetime) -> Outcome:
    """Re-check a claimed row against the deadline as it is now, then deliver it or retire it."""
    today = timezone.localdate(now)
    deadline = TRIGGERS[reminder.kind].deadline_of(reminder.object_id, today)
    description = f"{reminder.get_kind_display()} (row {reminder.pk})"
    expected = {deadline.key: deadline} if deadline else {}
    row: PendingRow = {
        "kind": reminder.kind,
        "content_type_id": reminder.content_type_id,
        "object_id": reminder.object_id,
        "due_date": reminder.due_date,
        "offset_days": reminder.offset_days,
        "send_on": reminder.send_on,
    }
    retirement = _retirement(row, expected, today)
    if retirement is not None:
        return _retire_locked(reminder, *retirement, description)
    # _retirement() drops a row whose deadline is gone, so a row still wanted has one.
    assert deadline is not None  # noqa: S101
    description = (
        f"{deadline.label}: {deadline.title} (due {deadline.due}, {reminder.offset_label})"
    )
    recipients = resolve_recipients(deadline)
    try:
        if not recipients:
            raise LookupError(
                f"Nobody to tell: no recipient and no active {settings.REMINDER_FALLBACK_GROUP}."
            )
        # A savepoint: if the e-mail fails, the notifications go with it and the row stays
        # pending, so the retry delivers both together rather than notifying twice.
        with transaction.atomic():
            _notify(reminder, deadline, recipients, today)
            Reminder.objects.filter(pk=reminder.pk).update(
                status=Status.SENT,
                sent_at=now,
                attempts=reminder.attempts + 1,
                last_error="",
                next_attempt_at=None,
                updated_at=now,
            )
            reminder.recipients.set(recipients)
            # Last, so nothing after it can fail and roll back a message already sent.
            _email(deadline, recipients, today)
    except Exception as error:
        # Whatever broke (mail server, template, data), the row records it and is retried.
        return _record_failure(reminder, error, now, description)
    return Outcome(
        reminder.pk,
        Status.SENT,
        description,
        recipients=tuple(user.email or user.get_username() for user in recipients),
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after `attempts` failures, capped."""
    seconds = settings.REMINDER_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS))


def _record_failure(
    reminder: Reminder, error: Exception, now: datetime, description: str
) -> Outcome:
    attempts = reminder.attempts + 1
    gave_up = attempts >= settings.REMINDER_MAX_ATTEMPTS
    message = f"{type(error).__name__}: {error}"[:2000]
    Reminder.objects.filter(pk=reminder.pk).update(
        attempts=attempts,
        last_error=message,
        status=Status.FAILED if gave_up else Status.PENDING,
        next_attempt_at=None if gave_up else now + retry_delay(attempts),
        updated_at=now,
    )
    log = logger.error if gave_up else logger.warning
    log(
        "Reminder %s failed (attempt %s of %s%s): %s",
        reminder.pk,
        attempts,
        settings.REMINDER_MAX_ATTEMPTS,
        ", giving up" if gave_up else "",
        message,
        exc_info=error,
    )
    return Outcome(
        reminder.pk, Status.FAILED if gave_up else Status.PENDING, description, error=message
    )


def _notify(
    reminder: Reminder, deadline: Deadline, recipients: list[AuthUser], today: date
) -> None:
    title = deadline.headline(today)[:200]
    Notification.objects.bulk_create(
        Notification(
            user=user, title=title, body=deadline.detail(), url=deadline.path(), reminder=reminder
        )
        for user in recipients
    )


def _email(deadline: Deadline, recipients: list[AuthUser], today: date) -> None:
    addresses = [user.email for user in recipients if user.email]
    if not addresses:
        return
    path = deadline.path()
    context = {
        "deadline": deadline,
        "headline": deadline.headline(today),
        "detail": deadline.detail(),
        "url": settings.SITE_URL + (path or "/"),
        "site_url": settings.SITE_URL,
        "recipients": recipients,
    }
    subject = settings.REMINDER_EMAIL_SUBJECT_PREFIX + " ".join(context["headline"].split())
    message = EmailMultiAlternatives(
        subject=subject[:250],
        body=render_to_string("reminders/email/reminder.txt", context),
        to=addresses,
    )
    message.attach_alternative(
        render_to_string("reminders/email/reminder.html", context), "text/html"
    )
    message.send()


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
