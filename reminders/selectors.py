"""Shaped reads of the reminders app: inboxes, deadlines per user, reminders per process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from contracts.models import Contract, Deliverable
from core.types import AuthUser
from raid.models import RaidItem
from transition.models import (
    Asset,
    ExitPlan,
    Milestone,
    OutsourcedProcess,
    RemediationAction,
    StaffMember,
)

from .models import CalendarFeed, Notification, Reminder
from .schedule import schedule_for
from .triggers import TRIGGERS, Deadline, all_deadlines, fallback_recipients, resolve_recipients


def notifications_for(user: AuthUser, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def unread_notification_count(user: AuthUser) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def deadlines_for_user(user: AuthUser, today: date) -> list[Deadline]:
    """Every current deadline whose reminders would go to `user`, soonest first."""
    fallback = fallback_recipients()
    mine = [
        deadline
        for deadline in all_deadlines(today)
        if any(person.pk == user.pk for person in resolve_recipients(deadline, fallback))
    ]
    return sorted(mine, key=lambda d: (d.due, d.kind, d.obj.pk))


def fallback_memberships(user_id: Any) -> QuerySet:
    """The user's (an id or an `OuterRef`) membership of the group told what nobody else
    is (`REMINDER_FALLBACK_GROUP`)."""
    return get_user_model().groups.through.objects.filter(
        user_id=user_id, group__name=settings.REMINDER_FALLBACK_GROUP
    )


def deadlines_concerning(
    user: AuthUser, today: date, *, fallback: bool | None = None
) -> list[Deadline]:
    """What `deadlines_for_user` gives, read in SQL: only the objects whose deadlines
    `resolve_recipients` sends to `user`, one query per kind (two for the notice kinds'
    wording), soonest first. `fallback`: whether the user is in the fallback group, when
    the caller knows already."""
    if not user.is_active:
        return []
    if fallback is None:
        fallback = fallback_memberships(user.pk).exists()
    mine = [
        deadline
        for trigger in TRIGGERS.values()
        for deadline in trigger.deadlines_matching(
            today, trigger.concerning(user.pk, fallback=fallback)
        )
    ]
    return sorted(mine, key=lambda d: (d.due, d.kind, d.obj.pk))


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The feed behind a secret address, of an active user, with `fallback` (whether the
    user is in the fallback group) read in the same query; None for an unknown token."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .annotate(fallback=Exists(fallback_memberships(OuterRef("user_id"))))
        .first()
    )


def reminders_for_process(process: OutsourcedProcess) -> QuerySet[Reminder]:
    """Reminders sent about a process, its contract, milestones, assets, staff and RAID items,
    its contract's deliverables, its exit plans and their remediation actions."""
    types = ContentType.objects.get_for_models(
        OutsourcedProcess,
        Contract,
        Milestone,
        Asset,
        StaffMember,
        RaidItem,
        Deliverable,
        ExitPlan,
        RemediationAction,
    )
    targets = (
        Q(content_type=types[OutsourcedProcess], object_id=process.pk)
        | Q(content_type=types[Contract], object_id=process.contract_id)
        | Q(
            content_type=types[Milestone],
            object_id__in=Milestone.objects.filter(process=process).values("pk"),
        )
        | Q(
            content_type=types[Asset],
            object_id__in=Asset.objects.filter(process=process).values("pk"),
        )
        | Q(
            content_type=types[StaffMember],
            object_id__in=StaffMember.objects.filter(process=process).values("pk"),
        )
        | Q(
            content_type=types[RaidItem],
            object_id__in=RaidItem.objects.filter(process=process).values("pk"),
        )
        | Q(
            content_type=types[Deliverable],
            object_id__in=Deliverable.objects.filter(contract=process.contract_id).values("pk"),
        )
        | Q(
            content_type=types[ExitPlan],
            object_id__in=ExitPlan.objects.filter(process=process).values("pk"),
        )
        | Q(
            content_type=types[RemediationAction],
            object_id__in=RemediationAction.objects.filter(rehearsal__process=process).values("pk"),
        )
    )
    return (
        Reminder.objects.filter(targets, status=Reminder.Status.SENT)
        .prefetch_related("recipients")
        .order_by("-sent_at", "-pk")
    )


@dataclass(frozen=True)
class DueReminder:
    """A reminder the sweep would send now (for `send_reminders --dry-run`)."""

    deadline: Deadline
    offset: int
    recipients: tuple
    retry: bool = False


def reminders_due_preview(now: datetime) -> list[DueReminder]:
    """What a sweep at `now` would send, computed without writing anything."""
    today = timezone.localdate(now)
    # (kind, content type id, object id, due date, offset): a reminder row's key.
    wanted: dict[tuple[str, int, int, date, int], Deadline] = {}
    for deadline in all_deadlines(today):
        offset = schedule_for(deadline.kind).current_offset(deadline.due, today)
        if offset is not None:
            wanted[(*deadline.key, deadline.due, offset)] = deadline
    live: dict[tuple[str, int, int, date, int], tuple[str, datetime | None]] = {}
    for kind in {key[0] for key in wanted}:
        rows = (
            Reminder.objects.exclude(status=Reminder.Status.DROPPED)
            .filter(kind=kind, object_id__in={key[2] for key in wanted if key[0] == kind})
            .values_list(
                "kind",
                "content_type_id",
                "object_id",
                "due_date",
                "offset_days",
                "status",
                "next_attempt_at",
            )
        )
        for row_kind, type_id, object_id, due_date, offset, row_status, retry_at in rows:
            live[(row_kind, type_id, object_id, due_date, offset)] = (row_status, retry_at)
    fallback = fallback_recipients()
    due = []
    for key, deadline in sorted(wanted.items(), key=lambda item: (item[1].due, item[0])):
        status, next_attempt_at = live.get(key, (None, None))
        if status not in (None, Reminder.Status.PENDING):
            continue
        if next_attempt_at is not None and next_attempt_at > now:
            continue
        recipients = tuple(resolve_recipients(deadline, fallback))
        due.append(DueReminder(deadline, key[-1], recipients, retry=next_attempt_at is not None))
    return due
