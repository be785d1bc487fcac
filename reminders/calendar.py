"""What a user's calendar feed costs to revalidate: a fingerprint of the rows behind it.

A calendar client polls its feed every few minutes to hours, and the feed rarely changes
between two polls. The fingerprint is one aggregate query over only the rows that concern
the user (the same conditions as the feed, `Trigger.concerning`), plus the day: deadlines
move with the calendar (a notice deadline rolls to the next term), so the feed of
tomorrow is another feed even when no row changed. docs/reminders.md ("Calendar feed")
says what it sees and what it does not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, IntegerField, Max, QuerySet, Subquery, Sum, TextField, Value
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from contracts.models import Contract, Deliverable
from core.clock import day_start
from raid.models import RaidItem
from transition.models import (
    Asset,
    ExitPlan,
    Milestone,
    OutsourcedProcess,
    RemediationAction,
    StaffMember,
)

from .triggers import TRIGGERS

# Bump when the .ics layout changes, so that every client's cached copy is replaced.
FEED_FORMAT = 2  # 2: events carry what is due in their description, and an alarm
# How long the moment a fingerprint was first served is remembered (its Last-Modified).
FIRST_SERVED_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True)
class FeedVersion:
    """One version of a user's feed: its strong ETag, and the moment it is dated (DTSTAMP)."""

    etag: str
    as_of: datetime


def _date_key(field: str):
    """A date as the integer YYYYMMDD, to weigh by the row's key in a sum."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def _when_changed(model) -> dict[str, Any]:
    """What, besides which rows there are, changes a model's events: its own timestamp and
    those of the rows its wording names, or, where the model keeps no timestamp (a
    milestone, an asset, a staff member), its dated field weighed by its key."""
    if model is Contract:
        return {
            "changed": Max("updated_at"),
            "provider": Max("provider__updated_at"),
            "processes": Max("processes__updated_at"),
        }
    if model is OutsourcedProcess:
        return {
            "changed": Max("updated_at"),
            "contract": Max("contract__updated_at"),
            "provider": Max("contract__provider__updated_at"),
        }
    if model is RaidItem:
        # Its own timestamp covers title, status, owner and date; the process's, its name.
        return {"changed": Max("updated_at"), "process": Max("process__updated_at")}
    if model is Deliverable:
        # Its own timestamp covers title, status, owner and date; the contract's and the
        # provider's, the names its wording shows.
        return {
            "changed": Max("updated_at"),
            "contract": Max("contract__updated_at"),
            "provider": Max("contract__provider__updated_at"),
        }
    if model is ExitPlan:
        return {"changed": Max("updated_at"), "process": Max("process__updated_at")}
    if model is RemediationAction:
        return {"changed": Max("updated_at"), "process": Max("rehearsal__process__updated_at")}
    dated = {Milestone: "due_date", Asset: "transfer_due", StaffMember: "planned_start"}[model]
    return {
        "dates": Sum(F("pk") * _date_key(dated), output_field=IntegerField()),
        "process": Max("process__updated_at"),
    }


# Kinds whose due date comes from rows that keep no timestamp of their own (an exit plan's
# next test: its latest rehearsal's date) → the annotation of the trigger's queryset that
# holds it: the due dates are weighed in, by key.
DATED_BY_OTHER_ROWS = {"exit_plan_test_due": "test_due"}


def _digest_of(queryset: QuerySet, aggregates: dict[str, Any]) -> Subquery:
    """The `aggregates` over all of `queryset` as one text, in one scalar subquery (a
    constant groups nothing): one subquery per kind keeps the query cheap to compile."""
    parts: list[Any] = []
    for aggregate in aggregates.values():
        parts += [Cast(aggregate, TextField()), Value("|")]
    return Subquery(
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(value=Concat(*parts, output_field=TextField()))
        .values("value")
    )


def feed_version(user_id: int, today: date, *, fallback: bool) -> FeedVersion:
    """The fingerprint of `user_id`'s feed as of `today`, in one query.

    Per kind: how many objects concern the user, the sum of their keys (a swap of one for
    another shows), and `_when_changed`. `fallback`: the user is in the fallback group.
    The feed is dated (`as_of`, its DTSTAMP) at the start of `today`, so that the same rows
    on the same day give the same bytes.
    """
    fields = {}
    for kind, trigger in TRIGGERS.items():
        rows = trigger.queryset().filter(trigger.concerning(user_id, fallback=fallback))
        aggregates = {"n": Count("pk"), "keys": Sum("pk"), **_when_changed(trigger.model)}
        if trigger.kind in DATED_BY_OTHER_ROWS:
            dated = _date_key(DATED_BY_OTHER_ROWS[trigger.kind])
            aggregates["due"] = Sum(F("pk") * dated, output_field=IntegerField())
        fields[kind] = _digest_of(rows, aggregates)
    values = get_user_model().objects.filter(pk=user_id).annotate(**fields).values(*fields).get()
    identity = [
        FEED_FORMAT,
        user_id,
        fallback,
        today.isoformat(),
        settings.SITE_URL,
        settings.TIME_ZONE,
        sorted(values.items()),
    ]
    digest = hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:32]
    as_of = day_start(today)
    return FeedVersion(etag=f'"{digest}"', as_of=as_of)


def first_served(version: FeedVersion) -> datetime:
    """When this server first served `version`: its Last-Modified.

    The rows behind a milestone keep no timestamp, so the data cannot say when the feed
    last changed; the first time a fingerprint is seen can. Forgotten (cache evicted, or
    another worker's local cache), it is later than the truth, which only turns a 304 into
    a 200, never the other way round.
    """
    key = "reminders:calendar-feed:" + version.etag.strip('"')
    seen: datetime = cache.get_or_set(key, timezone.now, FIRST_SERVED_SECONDS) or timezone.now()
    return max(seen, version.as_of)
