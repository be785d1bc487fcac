"""Shaped reads of the RAID log: lists, a process's summary, the heat map, the dashboard.

Each read takes a fixed number of queries whatever the number of items (pinned by tests in
tests/raid/): lists join what a row shows, the heat map is one grouped count, the dashboard
counts and cuts with ORDER BY … LIMIT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from transition.models import OutsourcedProcess, Programme

from .models import HIGH_RISK_SCORE, SCALE, RaidItem, RaidItemQuerySet, score_band

# What a person reads at a glance on the dashboard; the rest is counted and one link away.
DASHBOARD_LIMIT = 10


def raid_list() -> RaidItemQuerySet:
    """Every item with what a row of the list shows, and its `score`."""
    return RaidItem.objects.select_related(
        "process__programme", "programme", "owner", "made_by"
    ).with_score()


def raid_detail() -> RaidItemQuerySet:
    return raid_list()


def item_history(item: RaidItem) -> list:
    """The item's recorded versions, newest first, each with who made it."""
    return list(item.history.select_related("history_user").order_by("-history_date", "-pk"))


@dataclass(frozen=True)
class Summary:
    """Open items of one process (or programme) by kind, and how many risks are high."""

    counts: dict[str, int]
    high: int
    overdue: int

    @property
    def open_total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_kind(self) -> list[tuple[str, str, int]]:
        """(kind, label, open count) in the log's order: risks, assumptions, issues, decisions."""
        return [(kind, str(label), self.counts[kind]) for kind, label in RaidItem.Kind.choices]


def summary(items: RaidItemQuerySet, today: date) -> Summary:
    """Open items by kind, open high risks and overdue items: one query."""
    open_items = items.open().with_score()
    per_kind = {kind: Count("pk", filter=Q(kind=kind)) for kind in RaidItem.Kind.values}
    figures = open_items.aggregate(
        **per_kind,
        high=Count("pk", filter=Q(kind=RaidItem.Kind.RISK, score__gte=HIGH_RISK_SCORE)),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
    )
    return Summary(
        counts={kind: figures[kind] for kind in RaidItem.Kind.values},
        high=figures["high"],
        overdue=figures["overdue"],
    )


def process_summary(process: OutsourcedProcess, today: date) -> Summary:
    return summary(RaidItem.objects.filter(process=process), today)


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    count: int

    @property
    def score(self) -> int:
        return self.probability * self.impact

    @property
    def band(self) -> str:
        return score_band(self.score)


@dataclass(frozen=True)
class HeatMap:
    """Open risks counted by impact (rows, 5 at the top) and probability (columns, 1–5)."""

    rows: list[tuple[int, list[HeatCell]]]
    total: int
    high: int

    @property
    def probabilities(self) -> list[int]:
        return list(SCALE)


def heat_map(items: RaidItemQuerySet) -> HeatMap:
    """The 5 × 5 grid of open risks among `items`: one grouped query."""
    counts = {
        (row["probability"], row["impact"]): row["n"]
        for row in items.open()
        .risks()
        .order_by()
        .values("probability", "impact")
        .annotate(n=Count("pk"))
    }
    rows = [
        (impact, [HeatCell(p, impact, counts.get((p, impact), 0)) for p in SCALE])
        for impact in reversed(SCALE)
    ]
    total = sum(counts.values())
    high = sum(n for (p, i), n in counts.items() if p * i >= HIGH_RISK_SCORE)
    return HeatMap(rows=rows, total=total, high=high)


def programme_heat_map(programme: Programme) -> HeatMap:
    """The programme's own open risks and those of its processes."""
    return heat_map(RaidItem.objects.of_programme(programme))


class Capped(list):
    """The first rows of a list, with how many there are in all."""

    def __init__(self, rows: Iterable[RaidItem] = (), total: int = 0) -> None:
        super().__init__(rows)
        self.total = total

    @property
    def more(self) -> int:
        return self.total - len(self)


@dataclass
class DashboardRaid:
    """Open high risks (highest score first) and overdue items (longest overdue first)."""

    today: date
    high_risks: Capped = field(default_factory=Capped)
    overdue: Capped = field(default_factory=Capped)

    def __bool__(self) -> bool:
        return bool(self.high_risks or self.overdue)


def dashboard_raid(today: date, limit: int = DASHBOARD_LIMIT) -> DashboardRaid:
    """What the dashboard shows of the RAID log: four queries, whatever the log's size."""
    high = RaidItem.objects.open().high()
    overdue = RaidItem.objects.overdue(today)
    shown = raid_list()
    return DashboardRaid(
        today=today,
        high_risks=Capped(
            shown.open().high().order_by("-score", "due_date", "pk")[:limit], high.count()
        ),
        overdue=Capped(shown.overdue(today).order_by("due_date", "pk")[:limit], overdue.count()),
    )
