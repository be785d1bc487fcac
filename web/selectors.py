"""The dashboard's figures: processes by state, portfolio totals, deadlines, overdue and mine.

Portfolio money comes from `transition.selectors.portfolio_money`, the one rule for totals
over processes: summed per currency, then converted (docs/money.md, "Honest totals").

Deadlines come from `reminders.triggers`, the same ones the reminders, notifications and
calendar feed read. Every list is capped by what a person reads, whatever the size of the
portfolio (docs/performance.md, "Dashboard and board"): the first rows by date and a count
of all of them. Kinds the database dates (including the notice deadlines, decisions and
dispatch-by days the contracts store for the date engine) are counted with COUNT and cut
with ORDER BY … LIMIT; the end of termination assistance is dated from lean rows, and only
the rows shown are loaded with what their wording reads. So the number of queries never
grows with the number of rows.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from contracts.models import Contract
from core.types import AuthUser
from reminders.triggers import TRIGGERS, Deadline, Trigger
from transition.models import OutsourcedProcess
from transition.selectors import PortfolioMoney, portfolio_money

from .deadlines import DeadlineItem, Kind, deadline_item, kind_list_url

HORIZON_DAYS = 90
# What a person reads at a glance; the rest is counted and one link away.
OVERDUE_LIMIT = 10
UPCOMING_LIMIT = 25
MINE_LIMIT = 10
# "However far off" for my milestones, as a bound SQL can compare with.
FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class KindCount:
    """How many deadlines of one kind a dashboard section holds, and where to see them all."""

    kind: str
    label: str
    count: int
    url: str  # "" where no register lists exactly these


@dataclass(frozen=True)
class Section:
    """A capped list of deadlines: the first ones by date, and how many there are in all."""

    items: list[DeadlineItem]
    total: int
    kinds: list[KindCount]

    @property
    def more(self) -> int:
        return self.total - len(self.items)


class Capped(list):
    """The first rows of a list of mine, with how many there are and where to see them all."""

    def __init__(self, rows: Iterable = (), total: int = 0, url: str = "") -> None:
        super().__init__(rows)
        self.total = total
        self.url = url

    @property
    def more(self) -> int:
        return self.total - len(self)


@dataclass
class MyItems:
    processes: Capped = field(default_factory=Capped)
    milestones: Capped = field(default_factory=Capped)
    contracts: Capped = field(default_factory=Capped)
    owned_count: int = 0
    led_count: int = 0

    def __bool__(self) -> bool:
        return bool(self.processes or self.milestones or self.contracts)


@dataclass(frozen=True)
class Dashboard:
    today: date
    horizon: date
    portfolio: PortfolioMoney
    upcoming_section: Section
    overdue_section: Section
    mine: MyItems

    @property
    def upcoming(self) -> list[DeadlineItem]:
        """The first deadlines from today to the horizon, soonest first."""
        return self.upcoming_section.items

    @property
    def overdue(self) -> list[DeadlineItem]:
        """The most overdue deadlines still owed, longest overdue first."""
        return self.overdue_section.items


def portfolio(today: date) -> PortfolioMoney:
    """Counts and money per workflow state and over the whole portfolio, each currency converted
    with the rates of `today` (docs/money.md, "Honest totals"): one grouped query, and one for
    the rates when a currency needs converting."""
    return portfolio_money(on=today)


def _first(deadlines: Iterable[Deadline], limit: int) -> list[Deadline]:
    """The first `limit` deadlines by date, then kind and key: the order the caps cut by."""
    return heapq.nsmallest(limit, deadlines, key=lambda d: (d.due, d.kind, d.obj.pk))


@dataclass
class _Part:
    """What one trigger adds to one section: its first deadlines and its count."""

    trigger: Trigger
    first: list[Deadline]
    count: int


def _python_dated(trigger: Trigger, today: date, horizon: date) -> tuple[_Part, _Part]:
    """(overdue, upcoming) of a kind the date engine dates: every candidate dated from lean
    rows (no people, no wording), then only the rows the caps keep loaded in full."""
    late = trigger.overdue_label is not None
    lean = trigger.deadlines_between(today, None if late else today, horizon, detailed=False)
    overdue = [deadline for deadline in lean if deadline.due < today]
    upcoming = [deadline for deadline in lean if deadline.due >= today]
    kept = {d.obj.pk for d in (*_first(overdue, OVERDUE_LIMIT), *_first(upcoming, UPCOMING_LIMIT))}
    full = {deadline.obj.pk: deadline for deadline in trigger.deadlines(today, pks=kept)}
    # Dated again with the full rows, as of the same day: the same dates.
    shown = [full[d.obj.pk] for d in (*overdue, *upcoming) if d.obj.pk in kept]
    return (
        _Part(trigger, _first([d for d in shown if d.due < today], OVERDUE_LIMIT), len(overdue)),
        _Part(trigger, _first([d for d in shown if d.due >= today], UPCOMING_LIMIT), len(upcoming)),
    )


def _sql_dated(trigger: Trigger, today: date, horizon: date) -> tuple[_Part | None, _Part]:
    """(overdue, upcoming) of a kind the database dates: one ORDER BY … LIMIT per section,
    its rows carrying the section's count (`Trigger.first_and_count_between`)."""
    upcoming = _Part(
        trigger, *trigger.first_and_count_between(today, today, horizon, limit=UPCOMING_LIMIT)
    )
    if trigger.overdue_label is None:
        return None, upcoming
    yesterday = today - timedelta(days=1)
    overdue = _Part(
        trigger, *trigger.first_and_count_between(today, None, yesterday, limit=OVERDUE_LIMIT)
    )
    return overdue, upcoming


def _section(parts: list[_Part], limit: int, today: date, start: date | None, end: date) -> Section:
    late = start is None  # the overdue section: each kind named as a late one
    first = _first((deadline for part in parts for deadline in part.first), limit)
    items = sorted(
        (deadline_item(deadline, today) for deadline in first),
        key=lambda item: (item.on, item.kind, item.title),
    )
    kinds = [
        KindCount(
            kind=part.trigger.kind,
            label=str(
                part.trigger.overdue_label
                if late and part.trigger.overdue_label
                else Kind(part.trigger.kind).label
            ),
            count=part.count,
            url=kind_list_url(part.trigger.kind, start, end),
        )
        for part in parts
        if part.count
    ]
    return Section(items=items, total=sum(part.count for part in parts), kinds=kinds)


def deadline_sections(today: date, horizon: date) -> tuple[Section, Section]:
    """(overdue, upcoming): what is owed and passed, however late, and what falls due from
    today to `horizon`, each capped, counted, and counted by kind."""
    # The notice kinds are cut by the contracts' stored dates: current ones first (one
    # query when no deadline has passed since they were stored).
    Contract.objects.refresh_notice_dates(today)
    overdue: list[_Part] = []
    upcoming: list[_Part] = []
    for trigger in TRIGGERS.values():
        if trigger.due_order is None:
            late, soon = _python_dated(trigger, today, horizon)
        else:
            late, soon = _sql_dated(trigger, today, horizon)  # type: ignore[assignment]
        if late is not None and trigger.overdue_label is not None:
            overdue.append(late)
        upcoming.append(soon)
    yesterday = today - timedelta(days=1)
    return (
        _section(overdue, OVERDUE_LIMIT, today, None, yesterday),
        _section(upcoming, UPCOMING_LIMIT, today, today, horizon),
    )


def _my_processes(user: AuthUser) -> tuple[Capped, int, int]:
    """The first processes the user owns or leads, their count, and how many of each."""
    mine = OutsourcedProcess.objects.filter(Q(owner=user) | Q(lead=user))
    counts = mine.aggregate(
        total=Count("pk"),
        owned=Count("pk", filter=Q(owner=user)),
        led=Count("pk", filter=Q(lead=user)),
    )
    rows = list(
        mine.select_related("programme").order_by("programme__name", "name", "pk")[:MINE_LIMIT]
    )
    return Capped(rows, counts["total"]), counts["owned"], counts["led"]


def _my_milestones(user: AuthUser, today: date) -> Capped:
    """The user's open milestones, however far off, soonest first, dated as the milestone
    reminder dates them."""
    trigger = TRIGGERS[Kind.MILESTONE_DUE]
    where = Q(owner=user)
    first, total = trigger.first_and_count_between(
        today, None, FAR_FUTURE, limit=MINE_LIMIT, where=where
    )
    return Capped(
        [deadline_item(deadline, today) for deadline in first],
        total,
        kind_list_url(Kind.MILESTONE_DUE, None, None, owner=user.pk),
    )


def _my_contracts(user: AuthUser) -> Capped:
    """The user's first contracts by reference with what their status needs, each with
    `pending_deadline`: the notice deadline reminders date, or None for a contract wholly
    under notice (`ContractQuerySet.with_pending_deadline`, on the dates the contracts
    store, made current by `deadline_sections()`).

    Every owned contract counts, also one with nothing outsourced any more (whose notice
    deadline no longer reminds anyone), so the date is the contract's own, not a reminder's.
    """
    owned = Contract.objects.filter(owner=user)
    contracts = list(
        owned.with_notice_state()
        .with_pending_deadline()
        .select_related("provider")
        .order_by("reference")[:MINE_LIMIT]
    )
    return Capped(
        contracts, owned.count(), kind_list_url(Kind.NOTICE_DEADLINE, None, None, owner=user.pk)
    )


def dashboard(user: AuthUser, today: date) -> Dashboard:
    """Everything the dashboard shows for `user` on `today`, in a fixed number of queries."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    overdue, upcoming = deadline_sections(today, horizon)
    processes, owned, led = _my_processes(user)
    return Dashboard(
        today=today,
        horizon=horizon,
        portfolio=portfolio(today),
        upcoming_section=upcoming,
        overdue_section=overdue,
        mine=MyItems(
            processes=processes,
            milestones=_my_milestones(user, today),
            contracts=_my_contracts(user),
            owned_count=owned,
            led_count=led,
        ),
    )
