"""The deadlines that produce reminders (docs/reminders.md), one trigger per kind.

A trigger knows which objects currently have a deadline of its kind, the due date as of a
given day, who is told, and how to word it. Reminders, notifications and the calendar feed
all read deadlines from here, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model

from contracts.models import Contract

from .base import Deadline, Trigger
from .contract import AssistanceEnd, DecisionDate, DispatchBy, ExitDate, NoticeDeadline
from .exit import DeliverableDue, ExitPlanReviewDue, ExitPlanTestDue, RemediationActionDue
from .plan import AssetTransferDue, EliDue, MilestoneDue
from .raid_log import RaidItemDue

__all__ = [
    "TRIGGERS",
    "Deadline",
    "Trigger",
    "all_deadlines",
    "deadlines_until",
    "fallback_recipients",
    "resolve_recipients",
]

TRIGGERS: dict[str, Trigger] = {
    trigger.kind: trigger
    for trigger in (
        NoticeDeadline(),
        DispatchBy(),
        DecisionDate(),
        MilestoneDue(),
        AssetTransferDue(),
        EliDue(),
        ExitDate(),
        AssistanceEnd(),
        RaidItemDue(),
        DeliverableDue(),
        ExitPlanReviewDue(),
        ExitPlanTestDue(),
        RemediationActionDue(),
    )
}


def all_deadlines(today: date, *, detailed: bool = True) -> Iterator[Deadline]:
    """Every current deadline of every kind as of `today`."""
    for trigger in TRIGGERS.values():
        yield from trigger.deadlines(today, detailed=detailed)


def deadlines_until(today: date, end: date) -> list[Deadline]:
    """Every deadline still to meet by `end` as of `today`: those due from today to `end`,
    and, however late, those passed but still owed (the kinds with an `overdue_label`).

    Each trigger narrows its own query (`Trigger.due_within`), so this takes one query per
    kind (two for the notice deadline's wording) whatever the number of rows, after making
    the contracts' stored notice dates current (one more).
    """
    Contract.objects.refresh_notice_dates(today)
    return [
        deadline
        for trigger in TRIGGERS.values()
        for deadline in trigger.deadlines_between(
            today, None if trigger.overdue_label is not None else today, end
        )
    ]


def fallback_recipients() -> list:
    """The active members of the fallback group (operations managers)."""
    return list(
        get_user_model()
        .objects.filter(groups__name=settings.REMINDER_FALLBACK_GROUP, is_active=True)
        .order_by("pk")
        .distinct()
    )


def resolve_recipients(deadline: Deadline, fallback: list | None = None) -> list:
    """Who is told about a deadline: the people the table names, else the fallback group."""
    people, seen = [], set()
    for user in deadline.trigger.recipients(deadline.obj):
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            people.append(user)
    if people:
        return people
    return fallback_recipients() if fallback is None else fallback
