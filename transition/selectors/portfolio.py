"""Portfolio money: the one way money is added up over processes (docs/money.md, "Honest totals").

Every total over processes (the dashboard, the board's columns, programmes, the process list,
the admin and the API) comes from here. The processes are summed in SQL per currency (and per
state or programme where a page shows those), then each currency's subtotal is converted once
into the reporting currency with the rates of a stated day (`currencies.conversion.total`).
A currency with no rate on or before that day is never added: the total says it is incomplete
and lists what it left out.

The annual saving is the annual outsourced cost minus the projected in-house cost of the
processes that have both figures; a process missing either is left out of the saving (and
counted, so pages can say how many). The plain sums of each cost, over every process that has
it, are separate figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from moneyed import Money

from core.clock import local_today
from currencies.conversion import Rates, Total, rates_on, reporting_currency, total

from .. import money
from ..models import OutsourcedProcess

ZERO = Decimal(0)
# The processes the annual saving is computed over: both annual figures known.
HAS_BOTH = Q(annual_outsourced_cost__isnull=False, projected_inhouse_annual_cost__isnull=False)


@dataclass(frozen=True)
class Subtotal:
    """The sums of one currency's processes as entered, before any conversion."""

    currency: str
    process_count: int
    annual_outsourced_cost: Decimal  # over the processes that have the figure
    projected_inhouse_annual_cost: Decimal  # over the processes that have the figure
    one_off_transition_cost: Decimal  # over the processes that have the figure
    outsourced_count: int  # processes with an annual outsourced cost
    inhouse_count: int  # processes with a projected in-house cost
    one_off_count: int  # processes with a one-off transition cost
    saving_count: int  # processes with both annual figures
    saving_outsourced: Decimal  # their annual outsourced cost
    saving_inhouse: Decimal  # their projected in-house cost

    @property
    def annual_saving(self) -> Decimal:
        return self.saving_outsourced - self.saving_inhouse

    def as_money(self, figure: str) -> Money:
        """One of the figures with its currency (`annual_saving` included)."""
        return Money(getattr(self, figure), self.currency)

    def __add__(self, other: Subtotal) -> Subtotal:
        if other.currency != self.currency:
            raise ValueError(f"Cannot add {other.currency} to {self.currency}.")
        return Subtotal(
            currency=self.currency,
            process_count=self.process_count + other.process_count,
            annual_outsourced_cost=self.annual_outsourced_cost + other.annual_outsourced_cost,
            projected_inhouse_annual_cost=self.projected_inhouse_annual_cost
            + other.projected_inhouse_annual_cost,
            one_off_transition_cost=self.one_off_transition_cost + other.one_off_transition_cost,
            outsourced_count=self.outsourced_count + other.outsourced_count,
            inhouse_count=self.inhouse_count + other.inhouse_count,
            one_off_count=self.one_off_count + other.one_off_count,
            saving_count=self.saving_count + other.saving_count,
            saving_outsourced=self.saving_outsourced + other.saving_outsourced,
            saving_inhouse=self.saving_inhouse + other.saving_inhouse,
        )


# The figures of a `Subtotal` that `MoneyFigures` converts, and the names the API gives them.
FIGURES = (
    "annual_outsourced_cost",
    "projected_inhouse_annual_cost",
    "annual_saving",
    "one_off_transition_cost",
)


@dataclass(frozen=True)
class MoneyFigures:
    """The money of a set of processes in the reporting currency, honest about what it left out.

    `annual_saving` is `saving_outsourced` minus `saving_inhouse`, both over the
    `saving_count` processes that have both annual figures; the `left_out` others are not in
    it. `annual_outsourced_cost` and `projected_inhouse_annual_cost` are the plain sums over
    every process that has the figure.
    """

    on: date  # the day whose rates convert (the latest rate on or before it)
    currency: str  # the reporting currency every total is in
    process_count: int
    outsourced_count: int  # processes with an annual outsourced cost
    inhouse_count: int  # processes with a projected in-house cost
    one_off_count: int  # processes with a one-off transition cost
    saving_count: int  # processes with both annual figures
    annual_outsourced_cost: Total
    projected_inhouse_annual_cost: Total
    one_off_transition_cost: Total
    saving_outsourced: Total
    saving_inhouse: Total
    annual_saving: Total
    subtotals: tuple[Subtotal, ...]  # one a currency, by currency code

    @property
    def left_out(self) -> int:
        """Processes not in the annual saving: an annual figure is missing."""
        return self.process_count - self.saving_count

    @property
    def totals(self) -> tuple[Total, ...]:
        return (
            self.annual_outsourced_cost,
            self.projected_inhouse_annual_cost,
            self.one_off_transition_cost,
            self.saving_outsourced,
            self.saving_inhouse,
            self.annual_saving,
        )

    @property
    def complete(self) -> bool:
        """Whether every amount was converted (no currency lacked a rate)."""
        return all(t.complete for t in self.totals)

    @property
    def by_currency(self) -> dict[str, Subtotal]:
        return {s.currency: s for s in self.subtotals}

    @property
    def unconverted(self) -> dict[str, Subtotal]:
        """The subtotals of the currencies with no rate, by currency: left out of every total."""
        codes = {code for t in self.totals for code in t.unconverted}
        return {s.currency: s for s in self.subtotals if s.currency in codes}

    @property
    def rates_date(self) -> date | None:
        """The day of the oldest rate used; None when nothing needed converting."""
        days = [t.rates_date for t in self.totals if t.rates_date is not None]
        return min(days) if days else None

    @property
    def mixed(self) -> bool:
        """Whether the amounts were entered in another currency than the reporting one."""
        return any(s.currency != self.currency for s in self.subtotals)

    @property
    def payback_months(self) -> Decimal | None:
        """Months of the converted saving that repay the converted one-off cost.

        None while a total is incomplete: a payback on part of the money would mislead.
        """
        if not self.complete:
            return None
        return money.payback_months(
            self.one_off_transition_cost.amount.amount, self.annual_saving.amount.amount
        )


@dataclass(frozen=True)
class StateMoney:
    state: str
    label: str
    figures: MoneyFigures


@dataclass(frozen=True)
class PortfolioMoney:
    """The money of a set of processes per workflow state (in workflow order) and in all."""

    states: tuple[StateMoney, ...]
    total: MoneyFigures

    @property
    def on(self) -> date:
        return self.total.on

    @property
    def currency(self) -> str:
        return self.total.currency


def money_figures(
    processes: QuerySet[OutsourcedProcess] | None = None,
    *,
    on: date | None = None,
    target: str | None = None,
) -> MoneyFigures:
    """The money of `processes` (every process by default) converted with the rates of `on`.

    One grouped query, plus one for the rates when a currency needs converting.
    """
    rows = _grouped(processes)
    subtotals = [_subtotal(row) for row in rows]
    rates = _rates(subtotals, on, target)
    return figures(subtotals, rates)


def portfolio_money(
    processes: QuerySet[OutsourcedProcess] | None = None,
    *,
    on: date | None = None,
    target: str | None = None,
) -> PortfolioMoney:
    """The money of `processes` per workflow state and in all, with one set of rates.

    One query grouped by state and currency, plus one for the rates when one is needed.
    """
    by_state: dict[str, list[Subtotal]] = defaultdict(list)
    for row in _grouped(processes, "state"):
        by_state[row["state"]].append(_subtotal(row))
    everything = [s for subtotals in by_state.values() for s in subtotals]
    rates = _rates(everything, on, target)
    states = tuple(
        StateMoney(value, str(label), figures(by_state.get(value, []), rates))
        for value, label in OutsourcedProcess.State.choices
    )
    return PortfolioMoney(states=states, total=figures(everything, rates))


def programme_money(
    programme_ids: Iterable[int],
    *,
    on: date | None = None,
    target: str | None = None,
) -> dict[int, MoneyFigures]:
    """The money of each programme's processes, every programme in one grouped query.

    A programme without processes gets empty figures; one query for the rates at most.
    """
    ids = list(programme_ids)
    by_programme: dict[int, list[Subtotal]] = defaultdict(list)
    if ids:
        processes = OutsourcedProcess.objects.filter(programme__in=ids)
        for row in _grouped(processes, "programme"):
            by_programme[row["programme"]].append(_subtotal(row))
    everything = [s for subtotals in by_programme.values() for s in subtotals]
    rates = _rates(everything, on, target)
    return {pk: figures(by_programme.get(pk, []), rates) for pk in ids}


def figures(subtotals: Iterable[Subtotal], rates: Rates) -> MoneyFigures:
    """Convert per-currency subtotals (several of one currency are added first) and total them."""
    merged: dict[str, Subtotal] = {}
    for subtotal in subtotals:
        known = merged.get(subtotal.currency)
        merged[subtotal.currency] = subtotal if known is None else known + subtotal
    ordered = tuple(merged[code] for code in sorted(merged))

    def converted(figure: str) -> Total:
        return total({s.currency: getattr(s, figure) for s in ordered}, rates)

    saving_outsourced = converted("saving_outsourced")
    saving_inhouse = converted("saving_inhouse")
    return MoneyFigures(
        on=rates.on,
        currency=rates.target,
        process_count=sum(s.process_count for s in ordered),
        outsourced_count=sum(s.outsourced_count for s in ordered),
        inhouse_count=sum(s.inhouse_count for s in ordered),
        one_off_count=sum(s.one_off_count for s in ordered),
        saving_count=sum(s.saving_count for s in ordered),
        annual_outsourced_cost=converted("annual_outsourced_cost"),
        projected_inhouse_annual_cost=converted("projected_inhouse_annual_cost"),
        one_off_transition_cost=converted("one_off_transition_cost"),
        saving_outsourced=saving_outsourced,
        saving_inhouse=saving_inhouse,
        annual_saving=_difference(ordered, saving_outsourced, saving_inhouse),
        subtotals=ordered,
    )


def _difference(subtotals: tuple[Subtotal, ...], minuend: Total, subtrahend: Total) -> Total:
    """The saving: the converted outsourced total minus the converted in-house total.

    Subtracting the two converted totals (rather than converting each currency's difference)
    keeps the saving on the page exactly the outsourced minus the in-house figure shown with it.
    """
    left_out = set(minuend.unconverted) | set(subtrahend.unconverted)
    by_currency = {
        s.currency: s.as_money("annual_saving") for s in subtotals if s.annual_saving != ZERO
    }
    days = [d for d in (minuend.rates_date, subtrahend.rates_date) if d is not None]
    return Total(
        amount=minuend.amount - subtrahend.amount,
        by_currency=by_currency,
        unconverted={code: amount for code, amount in by_currency.items() if code in left_out},
        rates_date=min(days) if days else None,
    )


def _rates(subtotals: Iterable[Subtotal], on: date | None, target: str | None) -> Rates:
    return rates_on(
        on or local_today(), {s.currency for s in subtotals}, target or reporting_currency()
    )


def _grouped(
    processes: QuerySet[OutsourcedProcess] | None, *keys: str
) -> QuerySet[OutsourcedProcess, dict[str, Any]]:
    """The processes' sums per currency (and per `keys`), in one query.

    A process whose own currency is empty counts in its contract's, as the model's `save()`
    would have set it.
    """
    base = OutsourcedProcess.objects.all()
    if processes is not None:
        # Through their keys: the caller's queryset may carry joins, annotations and an order
        # that would otherwise end up in the GROUP BY.
        base = base.filter(pk__in=processes.order_by().values("pk"))
    return (
        base.order_by()
        .annotate(
            money_currency=Coalesce(
                NullIf(F("currency"), Value("")), F("contract__currency"), output_field=CharField()
            )
        )
        .values(*keys, "money_currency")
        .annotate(
            process_count=Count("pk"),
            outsourced=Sum("annual_outsourced_cost"),
            inhouse=Sum("projected_inhouse_annual_cost"),
            one_off=Sum("one_off_transition_cost"),
            # Count(field) counts the rows where the figure is known.
            outsourced_count=Count("annual_outsourced_cost"),
            inhouse_count=Count("projected_inhouse_annual_cost"),
            one_off_count=Count("one_off_transition_cost"),
            saving_count=Count("pk", filter=HAS_BOTH),
            saving_outsourced=Sum("annual_outsourced_cost", filter=HAS_BOTH),
            saving_inhouse=Sum("projected_inhouse_annual_cost", filter=HAS_BOTH),
        )
    )


def _subtotal(row: Mapping[str, Any]) -> Subtotal:
    return Subtotal(
        currency=row["money_currency"],
        process_count=row["process_count"],
        annual_outsourced_cost=row["outsourced"] or ZERO,
        projected_inhouse_annual_cost=row["inhouse"] or ZERO,
        one_off_transition_cost=row["one_off"] or ZERO,
        outsourced_count=row["outsourced_count"],
        inhouse_count=row["inhouse_count"],
        one_off_count=row["one_off_count"],
        saving_count=row["saving_count"],
        saving_outsourced=row["saving_outsourced"] or ZERO,
        saving_inhouse=row["saving_inhouse"] or ZERO,
    )
