"""Delivery: claiming due rows in batches and sending each row exactly once to each person.

Each row is locked with `SELECT ... FOR UPDATE SKIP LOCKED`, re-checked against its deadline
as it is now, and its notifications, its recorded recipients and status, and its e-mails go
in one transaction (the pattern of Zulip's `try_deliver_one_scheduled_message`); a batch
shares one mail connection (docs/reminders.md, "Scaling out").

A person gets a row's reminder once its send day has begun in their own time zone
(REMINDER_LOCAL_SEND_HOUR there), worded with their own date; the row stays pending until
the last of its recipients has it (docs/reminders.md, "Time zones").
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import timezone as fixed_offset
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.selectors import time_zones_in_use
from accounts.zones import site_zone, zone_of
from core.types import AuthUser

from ..models import Notification, Reminder
from ..send_days import latest_send_day, local_send_time
from ..triggers import TRIGGERS, Deadline, resolve_recipients
from .planning import PendingRow, _retirement

logger = logging.getLogger("reminders.services")

Status = Reminder.Status

# The zone where a day begins first (Kiribati's Line Islands): no send day can have begun for
# anyone before it has begun there.
EARLIEST_ZONE = fixed_offset(timedelta(hours=14))


@dataclass(frozen=True)
class Outcome:
    """What happened to one reminder row in a sweep."""

    reminder_id: int
    status: str
    description: str
    recipients: tuple[str, ...] = ()
    error: str = ""


def send_horizon(now: datetime, zone_names: Iterable[str] = ()) -> date:
    """The latest send day that has begun for somebody: in the site's zone or in one of
    `zone_names`. A row is claimed from then, up to a day before the site's own day when a
    recipient lives east of it."""
    zones: list[tzinfo] = [site_zone(), *(zone_of(name) for name in zone_names)]
    return max(latest_send_day(now, zone) for zone in zones)


def _due_rows(now: datetime, horizon: date) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=Status.PENDING,
        send_on__lte=horizon,
    )


def _recheck_horizon(now: datetime) -> date:
    # Delivery re-checks a claimed row under its lock without reading people's zones: the
    # earliest zone on Earth bounds them, and each recipient's own time is checked after.
    return latest_send_day(now, EARLIEST_ZONE)


def reminders_send_due(*, now: datetime | None = None) -> list[Outcome]:
    """Deliver every pending row whose day has come, batch after batch in this process."""
    now = now or timezone.now()
    outcomes: list[Outcome] = []
    for batch in reminders_claim(now=now):
        outcomes += reminders_send_batch(reminder_ids=batch, now=now)
    return outcomes


def _claimable(now: datetime, horizon: date) -> QuerySet[Reminder]:
    """Due rows no live batch holds: never claimed, or claimed by a batch presumed dead."""
    expired = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)
    return _due_rows(now, horizon).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=expired))


def reminders_claim(*, now: datetime | None = None, size: int | None = None) -> Iterator[list[int]]:
    """Claim the due rows in batches of `size` (REMINDER_BATCH_SIZE), oldest first.

    Each batch is claimed in its own short transaction: the rows are locked with SKIP
    LOCKED (a row another sweep is claiming, or a worker is delivering, is left to it) and
    stamped `claimed_at`, so a second sweep does not hand them out again until the claim
    expires (REMINDER_CLAIM_TIMEOUT_SECONDS, longer than a batch task may run). A claim
    only avoids duplicate work: each row is still locked and re-checked when delivered.
    """
    now = now or timezone.now()
    size = size or settings.REMINDER_BATCH_SIZE
    horizon = send_horizon(now, time_zones_in_use())
    last: tuple[date, int] | None = None
    while True:
        with transaction.atomic():
            rows = _claimable(now, horizon)
            if last is not None:
                rows = rows.filter(Q(send_on__gt=last[0]) | Q(send_on=last[0], pk__gt=last[1]))
            claimed = list(
                rows.select_for_update(skip_locked=True)
                .order_by("send_on", "pk")
                .values_list("send_on", "pk")[:size]
            )
            if not claimed:
                return
            ids = [pk for _send_on, pk in claimed]
            Reminder.objects.filter(pk__in=ids).update(claimed_at=now)
        last = claimed[-1]
        yield ids


def reminders_send_batch(*, reminder_ids: list[int], now: datetime | None = None) -> list[Outcome]:
    """Deliver the rows of one batch over one mail connection, each in its own transaction.

    A row that is no longer pending and due (sent by another worker meanwhile, retired, or
    waiting for a retry) is skipped, and so is one another worker holds locked right now.
    """
    now = now or timezone.now()
    horizon = _recheck_horizon(now)
    outcomes: list[Outcome] = []
    mail = get_connection()
    try:
        for reminder_id in sorted(reminder_ids):
            with transaction.atomic():
                reminder = (
                    _due_rows(now, horizon)
                    .select_for_update(skip_locked=True)
                    .filter(pk=reminder_id)
                    .first()
                )
                if reminder is not None:
                    outcomes.append(_deliver_locked(reminder, now, mail))
    finally:
        mail.close()
    return outcomes


def reminder_send(*, reminder_id: int, now: datetime | None = None) -> Outcome | None:
    """Deliver one row if it is pending and due; None when it is not (or another worker has it)."""
    now = now or timezone.now()
    rows = _due_rows(now, _recheck_horizon(now))
    with transaction.atomic():
        reminder = rows.select_for_update(skip_locked=True).filter(pk=reminder_id).first()
        return None if reminder is None else _deliver_locked(reminder, now)


def reminder_retry(*, reminder: Reminder, now: datetime | None = None) -> bool:
    """Give a failed row a fresh set of attempts; the next sweep sends it if still current."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, status=Status.FAILED).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=now or timezone.now(),
            claimed_at=None,
            status_note="Retried by hand.",
        )
    )


def _retire_locked(reminder: Reminder, status: str, note: str, description: str) -> Outcome:
    reminder.status, reminder.status_note = status, note
    reminder.next_attempt_at = reminder.claimed_at = None
    reminder.save(
        update_fields=["status", "status_note", "next_attempt_at", "claimed_at", "updated_at"]
    )
    return Outcome(reminder.pk, status, description)


@dataclass(frozen=True)
class Turn:
    """Who of a row's recipients is told now, each with their own date, and when the first of
    the others is: None once nobody is left waiting."""

    ready: list[tuple[AuthUser, date]]
    next_at: datetime | None


def _turn(reminder: Reminder, recipients: list[AuthUser], now: datetime) -> Turn:
    """Split the recipients: those the row already reached (recorded in `recipients`) are
    done; of the rest, those whose local send time has come are told now, with their local
    date for the wording. One query: each person's zone and whether they were reached."""
    reached = Reminder.recipients.through.objects.filter(
        reminder_id=reminder.pk, user_id=OuterRef("pk")
    )
    found = {
        pk: (zone_name or "", done)
        for pk, zone_name, done in get_user_model()
        .objects.filter(pk__in=[user.pk for user in recipients])
        .annotate(done=Exists(reached))
        .values_list("pk", "preferences__time_zone", "done")
    }
    ready: list[tuple[AuthUser, date]] = []
    waiting: list[datetime] = []
    for user in recipients:
        zone_name, done = found.get(user.pk, ("", False))
        if done:
            continue
        zone = zone_of(zone_name)
        starts = local_send_time(reminder.send_on, zone)
        if starts <= now:
            ready.append((user, now.astimezone(zone).date()))
        else:
            waiting.append(starts)
    return Turn(ready, min(waiting).astimezone(UTC) if waiting else None)


def _deliver_locked(reminder: Reminder, now: datetime, mail: Any = None) -> Outcome:
    """Re-check a locked row against the deadline as it is now, then deliver it to the
    recipients whose time has come, or retire it.

    The deadline and its retirement are judged on the site's calendar day (a legal date is
    the contract's, whatever the reader's zone); the wording on each reader's own date.
    `mail`: an open mail connection to reuse (a batch's), else the default backend's."""
    today = timezone.localdate(now, site_zone())
    deadline = TRIGGERS[reminder.kind].deadline_of(reminder.object_id, today)
    description = f"{reminder.get_kind_display()} (row {reminder.pk})"
    expected = {deadline.key: deadline.due} if deadline else {}
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
        turn = _turn(reminder, recipients, now)
        if not turn.ready and turn.next_at is not None:
            return _wait_locked(reminder, turn.next_at, now, description)
        # A savepoint: if an e-mail fails, the notifications go with it and the row stays
        # pending, so the retry delivers both together rather than notifying twice.
        with transaction.atomic():
            _notify(reminder, deadline, turn.ready)
            if turn.next_at is None:
                Reminder.objects.filter(pk=reminder.pk).update(
                    status=Status.SENT,
                    sent_at=now,
                    attempts=reminder.attempts + 1,
                    last_error="",
                    next_attempt_at=None,
                    claimed_at=None,
                    updated_at=now,
                )
            else:
                # Some were told, others' day has not begun: not a failure, so the count of
                # failed attempts starts again (docs/reminders.md, "Time zones").
                Reminder.objects.filter(pk=reminder.pk).update(
                    attempts=0,
                    last_error="",
                    next_attempt_at=turn.next_at,
                    claimed_at=None,
                    updated_at=now,
                )
            # Inserted, not `set()`: those reached before keep their rows; a failed attempt's
            # were rolled back with it.
            Reminder.recipients.through.objects.bulk_create(
                [
                    Reminder.recipients.through(reminder_id=reminder.pk, user_id=user.pk)
                    for user, _day in turn.ready
                ],
                ignore_conflicts=True,
            )
            # Last, so nothing after it can fail and roll back a message already sent.
            _email(reminder, deadline, turn.ready, mail)
    except Exception as error:
        if mail is not None:
            # The connection may be what broke: the next row of the batch opens a fresh one.
            mail.close()
        # Whatever broke (mail server, template, data), the row records it and is retried.
        return _record_failure(reminder, error, now, description)
    return Outcome(
        reminder.pk,
        Status.SENT if turn.next_at is None else Status.PENDING,
        description,
        recipients=tuple(user.email or user.get_username() for user, _day in turn.ready),
    )


def _wait_locked(reminder: Reminder, next_at: datetime, now: datetime, description: str) -> Outcome:
    """Nobody's send time has come yet (they live west of where the day began): the row
    waits, unclaimed, for the first of them. Not an attempt, and no error."""
    Reminder.objects.filter(pk=reminder.pk).update(
        next_attempt_at=next_at, claimed_at=None, updated_at=now
    )
    return Outcome(reminder.pk, Status.PENDING, description)


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
        claimed_at=None,
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


def _notify(reminder: Reminder, deadline: Deadline, ready: list[tuple[AuthUser, date]]) -> None:
    Notification.objects.bulk_create(
        Notification(
            user=user,
            title=deadline.headline(day)[:200],
            body=deadline.detail(),
            url=deadline.path(),
            reminder=reminder,
        )
        for user, day in ready
    )


def message_id(reminder: Reminder, user: AuthUser) -> str:
    """The e-mail's Message-ID: the same on every attempt, and for the same reminder and
    recipient in any copy of the database, so a receiving system drops a repeat sent
    after a crash between sending and committing (docs/reminders.md, "Exactly once").

    Built from the reminder's identity (kind, which names the object's model, the
    object's id, due date, offset) and the recipient's username, hashed (the local part
    then holds only safe characters), at the domain of SITE_URL."""
    identity = "|".join(
        [
            reminder.kind,
            str(reminder.object_id),
            reminder.due_date.isoformat(),
            str(reminder.offset_days),
            user.get_username(),
        ]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder.{digest}@{domain}>"


def _email(
    reminder: Reminder,
    deadline: Deadline,
    ready: list[tuple[AuthUser, date]],
    mail: Any = None,
) -> None:
    """One message per recipient (nobody sees who else is told), worded with their own date,
    over the batch's one connection, each with its own stable Message-ID."""
    people = [(user, day) for user, day in ready if user.email]
    if not people:
        return
    path = deadline.path()
    rendered: dict[date, tuple[str, str, str]] = {}
    if mail is not None:
        mail.open()  # a no-op while open: the batch's messages share one connection
    for user, day in people:
        if day not in rendered:
            rendered[day] = _render(deadline, day, path)
        subject, text, html = rendered[day]
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[user.email],
            headers={"Message-ID": message_id(reminder, user)},
            connection=mail,
        )
        message.attach_alternative(html, "text/html")
        message.send()


def _render(deadline: Deadline, day: date, path: str) -> tuple[str, str, str]:
    """Subject, text and HTML of a reminder as read on `day` (rendered once per date)."""
    context = {
        "deadline": deadline,
        "headline": deadline.headline(day),
        "detail": deadline.detail(),
        "url": settings.SITE_URL + (path or "/"),
        "site_url": settings.SITE_URL,
    }
    subject = settings.REMINDER_EMAIL_SUBJECT_PREFIX + " ".join(context["headline"].split())
    text = render_to_string("reminders/email/reminder.txt", context)
    html = render_to_string("reminders/email/reminder.html", context)
    return subject[:250], text, html
