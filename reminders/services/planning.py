"""Planning: the rows the current deadlines need, and retiring pending rows no longer wanted.

Set-based: every deadline's due date is streamed from one query per kind into a mapping of
keys to dates, the rows are inserted in key order with ON CONFLICT DO NOTHING, and pending
rows are retired with one UPDATE per outcome and chunk (docs/reminders.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Reminder
from ..schedule import may_send, schedule_for, send_on
from ..triggers import TRIGGERS, Deadline, Trigger, all_deadlines
from .changes import Scope, plan_changes_forget, plan_changes_read

Status = Reminder.Status
DeadlineKey = tuple[str, int, int]
# The due date of every current deadline, by key: all planning needs, and small at scale.
DeadlineDates = dict[DeadlineKey, date]


class PendingRow(TypedDict):
    """The fields of a pending reminder row that decide whether it is still wanted."""

    kind: str
    content_type_id: int
    object_id: int
    due_date: date
    offset_days: int
    send_on: date


def current_deadlines(today: date) -> dict[DeadlineKey, Deadline]:
    return {deadline.key: deadline for deadline in all_deadlines(today, detailed=False)}


def planning_window(kind: str, today: date) -> tuple[date | None, date]:
    """(first, last) due date a deadline of `kind` can have and still need a row today: a
    reminder sent today or within REMINDER_PLAN_AHEAD_DAYS. The first is None for kinds
    with overdue reminders, which go out however late; otherwise today (a warning is never
    sent after its date)."""
    schedule = schedule_for(kind)
    ahead = max(schedule.offsets) + settings.REMINDER_PLAN_AHEAD_DAYS
    return (None if schedule.last_offset < 0 else today), today + timedelta(days=ahead)


def deadline_dates(today: date, scope: Scope | None = None) -> DeadlineDates:
    """The due date, by key, of every current deadline that can need a row as of `today`
    (those in each kind's planning window, narrowed in SQL by `Trigger.due_within`), and of
    every deadline a pending row waits for, wherever its date has moved: so a day's plan
    reads what falls due soon, not the whole portfolio, and retiring still knows where each
    pending row's deadline went (docs/reminders.md, "Planning").

    With `scope`, only its kinds: of a kind with ids, the deadlines of those objects
    (whatever their dates; a query per kind), of a kind with None, as above."""
    waiting = _waiting_objects(scope)
    dates: DeadlineDates = {}
    for trigger in TRIGGERS.values():
        ids = None if scope is None else scope.get(trigger.kind, set())
        if ids is not None:
            if ids:
                _add(dates, trigger, trigger.deadlines(today, pks=ids, detailed=False))
            continue
        window = planning_window(trigger.kind, today)
        found = _add(dates, trigger, trigger.deadlines(today, detailed=False, window=window))
        if elsewhere := waiting.get(trigger.kind, set()) - found:
            _add(dates, trigger, trigger.deadlines(today, pks=elsewhere, detailed=False))
    return dates


def _waiting_objects(scope: Scope | None) -> dict[str, set[int]]:
    """The objects pending rows wait for, by kind: of the kinds planned by window."""
    pending = Reminder.objects.filter(status=Status.PENDING).order_by()
    if scope is not None:
        kinds = [kind for kind, ids in scope.items() if ids is None]
        if not kinds:
            return {}
        pending = pending.filter(kind__in=kinds)
    waiting: dict[str, set[int]] = {}
    for kind, object_id in pending.values_list("kind", "object_id").distinct().iterator():
        waiting.setdefault(kind, set()).add(object_id)
    return waiting


def _add(dates: DeadlineDates, trigger: Trigger, deadlines: Iterable[Deadline]) -> set[int]:
    """Put each deadline's date in `dates`; the ids of the objects it dated."""
    type_id = trigger.content_type().pk
    found = set()
    for deadline in deadlines:
        dates[(trigger.kind, type_id, deadline.obj.pk)] = deadline.due
        found.add(deadline.obj.pk)
    return found


def planned_offsets(deadline: Deadline, today: date) -> list[int]:
    """The offsets to hold rows for: the one to send today, and those due in the next days."""
    return _offsets(deadline.kind, deadline.due, today)


def _offsets(kind: str, due: date, today: date) -> list[int]:
    schedule = schedule_for(kind)
    current = schedule.current_offset(due, today)
    upcoming = schedule.upcoming_offsets(due, today, settings.REMINDER_PLAN_AHEAD_DAYS)
    return ([current] if current is not None else []) + upcoming


def reminders_plan(*, expected: DeadlineDates, today: date) -> int:
    """Insert the rows the current deadlines need; rows that already exist are left alone.

    Returns how many rows were wanted (inserted or already there)."""
    keys = sorted(
        (kind, content_type_id, object_id, due, offset)
        for (kind, content_type_id, object_id), due in expected.items()
        for offset in _offsets(kind, due, today)
    )
    # Inserting in key order means two concurrent sweeps wait on each other's keys in the
    # same order, so ON CONFLICT DO NOTHING cannot deadlock.
    size = settings.REMINDER_PLAN_INSERT_BATCH
    for start in range(0, len(keys), size):
        Reminder.objects.bulk_create(
            [
                Reminder(
                    kind=kind,
                    content_type_id=content_type_id,
                    object_id=object_id,
                    due_date=due,
                    offset_days=offset,
                    send_on=send_on(due, offset),
                )
                for kind, content_type_id, object_id, due, offset in keys[start : start + size]
            ],
            ignore_conflicts=True,
        )
    return len(keys)


def _retirement(row: PendingRow, expected: DeadlineDates, today: date) -> tuple[str, str] | None:
    """The (status, note) a pending row moves to, or None while it is still wanted."""
    if row["send_on"] <= today and row["offset_days"] >= 0 and row["due_date"] < today:
        return Status.MISSED, "The due date passed before it could be sent."
    due = expected.get((row["kind"], row["content_type_id"], row["object_id"]))
    if due is None:
        return Status.DROPPED, "The deadline no longer applies."
    if due != row["due_date"]:
        return Status.DROPPED, f"The due date moved to {due.isoformat()}."
    schedule = schedule_for(row["kind"])
    offset = row["offset_days"]
    if not schedule.contains(offset):
        return Status.DROPPED, "The offset is no longer in the reminder schedule."
    if row["send_on"] > today:
        return None
    if not may_send(offset, due, today):
        return Status.MISSED, "The due date passed before it could be sent."
    if schedule.current_offset(due, today) != offset:
        return Status.SUPERSEDED, "A later reminder of the same deadline is due."
    return None


def reminders_retire(
    *, expected: DeadlineDates, today: date, scope: Scope | None = None
) -> dict[str, int]:
    """Move pending rows that must not be sent (date moved, superseded, too late) out of the
    way: every pending row, or with `scope` those of its kinds and objects."""
    pending = Reminder.objects.filter(status=Status.PENDING)
    if scope is not None:
        pending = pending.filter(_in_scope(scope))
    changes: dict[tuple[str, str], list[int]] = {}
    rows = pending.values(
        "pk", "kind", "content_type_id", "object_id", "due_date", "offset_days", "send_on"
    )
    for row in rows.iterator(chunk_size=2000):
        retirement = _retirement(row, expected, today)
        if retirement is not None:
            changes.setdefault(retirement, []).append(row["pk"])
    counts: dict[str, int] = {}
    size = settings.REMINDER_BATCH_SIZE * 10
    for (status, note), ids in changes.items():
        for start in range(0, len(ids), size):
            changed = _set_status(ids[start : start + size], status=status, note=note)
            if changed:
                counts[status] = counts.get(status, 0) + changed
    return counts


def _in_scope(scope: Scope) -> Q:
    """The reminders of the scope's kinds and objects (none when it names nothing)."""
    condition = Q(pk__in=[])
    for kind, ids in scope.items():
        condition |= Q(kind=kind) if ids is None else Q(kind=kind, object_id__in=sorted(ids))
    return condition


def reminders_replan(*, today: date, only_changes: bool = False) -> dict[str, int]:
    """Plan and retire for `today`: everything that can need a row (the day's first plan),
    or `only_changes`, the deadlines the changes recorded since the last plan reach. Either
    way the changes it read are then forgotten. Returns the retired rows by status."""
    # Read before the deadlines: whatever these changes wrote is seen by the plan below.
    changes = plan_changes_read(reach=only_changes)
    scope = changes.scope if only_changes else None
    retired: dict[str, int] = {}
    if scope is None or scope:
        expected = deadline_dates(today, scope)
        reminders_plan(expected=expected, today=today)
        retired = reminders_retire(expected=expected, today=today, scope=scope)
    plan_changes_forget(changes.row_ids)
    return retired


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
            status=status,
            status_note=note,
            next_attempt_at=None,
            claimed_at=None,
            updated_at=timezone.now(),
        )
