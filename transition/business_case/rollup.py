"""A programme's business case: its processes' cases added up in one currency.

Pure: the cases and the rates come in (docs/business-case.md, "Programme roll-up"). Each
year is summed per currency first and each currency's subtotal converted once, as
currencies/conversion.py does for every total (docs/money.md, "Honest totals"); a currency
with no rate is listed as unconverted, never added as if it were the target.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from moneyed import Money

from currencies.conversion import Rates

from .engine import discount_factor, npv, to_cents
from .model import CaseResult, YearFlow
from .scenarios import KEYS, STAY, scenario_label, scenarios


@dataclass(frozen=True)
class ProgrammeYear:
    """One year of the programme, converted into the roll-up's currency, to the cent."""

    year: int
    net_cash_flow: Decimal  # stay cost − in-house scenario cost
    cumulative: Decimal
    saving: Decimal  # recurring: stay cost − provider still paid − in-house run-rate
    one_off: Decimal  # transition + exit costs (termination, exit assistance, TUPE, stranded)
    discounted: Decimal  # net_cash_flow / (1 + r)^year


@dataclass(frozen=True)
class ScenarioTotal:
    """One scenario over every converted process."""

    key: str
    label: str
    yearly_cost: list[Decimal]
    total_cost: Decimal
    pv_cost: Decimal
    npv_vs_stay: Decimal  # PV(stay outsourced) − PV(this scenario)


@dataclass(frozen=True)
class ProgrammeCase:
    """The programme's case in `currency`; honest about what it could not add up."""

    currency: str
    horizon_years: int
    discount_rate: Decimal  # % a year
    years: list[ProgrammeYear]
    npv: Decimal  # of the converted yearly net cash flows
    scenarios: list[ScenarioTotal]
    cases: list[CaseResult]  # every process's case, converted or not, in its own currency
    unconverted: dict[str, Decimal] = field(default_factory=dict)  # currency → total net cash
    excluded: list[str] = field(default_factory=list)  # processes without cost figures
    rates_date: date | None = None  # the oldest rate used; None if nothing was converted

    @property
    def complete(self) -> bool:
        """Whether every process is in the figures (entered and converted)."""
        return not self.unconverted and not self.excluded

    @property
    def total_net(self) -> Decimal:
        return self.years[-1].cumulative if self.years else Decimal(0)


Series = tuple[str, Sequence[Decimal]]  # a process's currency and its yearly amounts


def _converted_years(series: Sequence[Series], rates: Rates, horizon_years: int) -> list[Decimal]:
    """Per year: each currency's amounts added, then each subtotal converted once."""
    result = []
    for index in range(horizon_years):
        subtotals: dict[str, Decimal] = defaultdict(Decimal)
        for code, amounts in series:
            subtotals[code] += amounts[index]
        total = Decimal(0)
        for code, amount in subtotals.items():
            value = rates.convert(Money(amount, code))
            if value is None:  # the caller leaves unconvertible currencies out
                raise ValueError(f"currency: no rate for {code}")
            total += value.amount
        result.append(total)
    return result


def _series(cases: Sequence[CaseResult], part: Callable[[YearFlow], Decimal]) -> list[Series]:
    return [(case.currency, [part(flow) for flow in case.years]) for case in cases]


def programme_rollup(
    cases: Sequence[CaseResult],
    rates: Rates,
    *,
    horizon_years: int,
    discount_rate: Decimal,
    excluded: Sequence[str] = (),
) -> ProgrammeCase:
    """Add the processes' cases up in `rates.target`, year by year."""
    for case in cases:
        if case.inputs.horizon_years != horizon_years:
            raise ValueError(
                f"horizon_years: the case of {case.inputs.name or case.currency} runs "
                f"{case.inputs.horizon_years} years, the programme {horizon_years}"
            )
    currencies = {case.currency for case in cases}
    unconvertible = {code for code in currencies if not rates.can_convert(code)}
    converted = [case for case in cases if case.currency not in unconvertible]
    unconverted: dict[str, Decimal] = defaultdict(Decimal)
    for case in cases:
        if case.currency in unconvertible:
            unconverted[case.currency] += case.total_net

    def yearly(part: Callable[[YearFlow], Decimal]) -> list[Decimal]:
        return _converted_years(_series(converted, part), rates, horizon_years)

    net = yearly(lambda flow: flow.net_cash_flow)
    saving = yearly(lambda flow: flow.stay_cost - flow.outsourced_paid - flow.inhouse_run)
    one_off = yearly(lambda flow: flow.transition + flow.exit_costs)
    years = []
    cumulative = Decimal(0)
    for year, flow in enumerate(net, 1):
        cumulative += flow
        years.append(
            ProgrammeYear(
                year=year,
                net_cash_flow=flow,
                cumulative=cumulative,
                saving=saving[year - 1],
                one_off=one_off[year - 1],
                discounted=to_cents(Fraction(flow) * discount_factor(discount_rate, year)),
            )
        )
    return ProgrammeCase(
        currency=rates.target,
        horizon_years=horizon_years,
        discount_rate=discount_rate,
        years=years,
        npv=npv(net, discount_rate),
        scenarios=_scenario_totals(converted, rates, horizon_years, discount_rate),
        cases=list(cases),
        unconverted=dict(sorted(unconverted.items())),
        excluded=list(excluded),
        rates_date=_rates_date(converted, rates),
    )


def _scenario_totals(
    cases: Sequence[CaseResult], rates: Rates, horizon_years: int, discount_rate: Decimal
) -> list[ScenarioTotal]:
    per_case = [{s.key: s for s in scenarios(case.inputs)} for case in cases]
    costs = {
        key: _converted_years(
            [
                (case.currency, each[key].yearly_cost)
                for case, each in zip(cases, per_case, strict=True)
            ],
            rates,
            horizon_years,
        )
        for key in KEYS
    }
    stay_pv = npv(costs[STAY], discount_rate)
    return [
        ScenarioTotal(
            key=key,
            label=scenario_label(key),
            yearly_cost=costs[key],
            total_cost=sum(costs[key], Decimal(0)),
            pv_cost=npv(costs[key], discount_rate),
            npv_vs_stay=stay_pv - npv(costs[key], discount_rate),
        )
        for key in KEYS
    ]


def _rates_date(converted: Sequence[CaseResult], rates: Rates) -> date | None:
    used = {case.currency for case in converted}
    return rates.day_of(used) if used - {rates.target} else None
