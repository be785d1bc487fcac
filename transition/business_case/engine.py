"""One process's business case: monthly cash flows, NPV, payback, break-even.

The formulas are in docs/business-case.md, "The model". Plain functions over a `CaseInputs`:
no ORM, no clock. The arithmetic is exact (fractions) until a figure is reported, which is
then rounded to the cent, half-up (docs/business-case.md, "Rounding"): a one-off cost spread
over seven months adds back to the penny, and the sign of the cumulative cash is never a
rounding artefact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from currencies.conversion import to_cents

from ..money import MONTHS_PER_YEAR
from .model import CaseInputs, CaseResult, YearFlow

HUNDRED = Fraction(100)


def percent(rate: Decimal) -> Fraction:
    return Fraction(rate) / HUNDRED


def discount_factor(rate: Decimal, year: int) -> Fraction:
    """1 / (1 + r)^year: a flow at the end of `year` (Excel's NPV() convention)."""
    return 1 / (1 + percent(rate)) ** year


def present_value(flows: Sequence[Fraction | Decimal], rate: Decimal) -> Fraction:
    """Σ flow_y / (1 + r)^y over years 1..n, exactly; round with `to_cents` to report."""
    return sum(
        (Fraction(flow) * discount_factor(rate, year) for year, flow in enumerate(flows, 1)),
        Fraction(0),
    )


def npv(flows: Sequence[Decimal], rate: Decimal) -> Decimal:
    """The NPV of yearly flows (end-of-year discounting), to the cent."""
    return to_cents(present_value(flows, rate))


def months_in(inputs: CaseInputs) -> int:
    return MONTHS_PER_YEAR * inputs.horizon_years


def go_live(inputs: CaseInputs) -> int:
    """The go-live month clamped to 1..12H+1; 12H+1 means not within the horizon."""
    return min(max(inputs.go_live_month, 1), months_in(inputs) + 1)


def year_of(month: int) -> int:
    return (month - 1) // MONTHS_PER_YEAR + 1


@dataclass(frozen=True)
class Month:
    """One month of the "bring in-house" scenario, exact; the pieces of `YearFlow`."""

    month: int
    stay_cost: Fraction
    outsourced_paid: Fraction
    inhouse_run: Fraction
    transition: Fraction
    exit_costs: Fraction

    @property
    def inhouse_cost(self) -> Fraction:
        return self.outsourced_paid + self.inhouse_run + self.transition + self.exit_costs

    @property
    def net_cash_flow(self) -> Fraction:
        return self.stay_cost - self.inhouse_cost


def provider_monthly(
    inputs: CaseInputs, month: int, price_change: Decimal = Decimal(0)
) -> Fraction:
    """The provider's indexed price for `month`: O·(1 + c)·(1 + i)^(y−1) / 12."""
    growth = (1 + percent(inputs.outsourced_indexation)) ** (year_of(month) - 1)
    price = Fraction(inputs.annual_outsourced) * (1 + percent(price_change))
    return price * growth / MONTHS_PER_YEAR


def inhouse_monthly(inputs: CaseInputs, month: int) -> Fraction:
    """The in-house run-rate for `month`: I·(1 + g)^(y−1) / 12."""
    growth = (1 + percent(inputs.labour_growth)) ** (year_of(month) - 1)
    return Fraction(inputs.annual_inhouse) * growth / MONTHS_PER_YEAR


def monthly_flows(inputs: CaseInputs) -> list[Month]:
    """Months 1..12H of bringing the process in-house against staying outsourced."""
    start = go_live(inputs)
    transition = Fraction(inputs.one_off_transition)
    # Spread over the months before go-live; with go-live in month 1 it all falls in month 1.
    spread = transition / (start - 1) if start > 1 else Fraction(0)
    exit_costs = sum(
        (
            Fraction(amount)
            for amount in (
                inputs.termination_fee,
                inputs.exit_assistance,
                inputs.tupe_one_off,
                inputs.stranded_cost,
            )
        ),
        Fraction(0),
    )
    dual_until = start + inputs.dual_running_months  # first month the provider is not paid
    # One price a year: the indexed powers are the expensive part of exact arithmetic.
    first_months = range(1, months_in(inputs) + 1, MONTHS_PER_YEAR)
    provider_in = [provider_monthly(inputs, first) for first in first_months]
    inhouse_in = [inhouse_monthly(inputs, first) for first in first_months]
    months = []
    for month in range(1, months_in(inputs) + 1):
        provider = provider_in[year_of(month) - 1]
        before = month < start
        months.append(
            Month(
                month=month,
                stay_cost=provider,
                outsourced_paid=provider if before or month < dual_until else Fraction(0),
                inhouse_run=Fraction(0) if before else inhouse_in[year_of(month) - 1],
                transition=spread
                if before
                else (transition if month == start == 1 else Fraction(0)),
                exit_costs=exit_costs if month == start else Fraction(0),
            )
        )
    return months


def yearly_net(months: Sequence[Month], horizon_years: int) -> list[Fraction]:
    totals = [Fraction(0)] * horizon_years
    for month in months:
        totals[year_of(month.month) - 1] += month.net_cash_flow
    return totals


def case_npv(inputs: CaseInputs) -> Fraction:
    """The exact NPV of bringing the process in-house (what sensitivity and break-even vary)."""
    return present_value(
        yearly_net(monthly_flows(inputs), inputs.horizon_years), inputs.discount_rate
    )


def payback_month(cumulative: Sequence[Fraction]) -> int | None:
    """The first month the cumulative cash is back to ≥ 0 after being negative.

    0 when it is never negative (nothing to pay back); None when it never recovers.
    """
    negative = False
    for month, value in enumerate(cumulative, 1):
        if value < 0:
            negative = True
        elif negative:
            return month
    return None if negative else 0


def break_even_saving(inputs: CaseInputs) -> Fraction | None:
    """The year-1 saving O − I* at which NPV = 0, moving only the in-house run-rate I.

    NPV is linear in I, so two evaluations give it exactly. None when I does not change the
    NPV within the horizon (go-live beyond it).
    """
    base = case_npv(inputs)
    slope = case_npv(replace(inputs, annual_inhouse=inputs.annual_inhouse + 1)) - base
    if slope == 0:
        return None
    inhouse_at_zero = Fraction(inputs.annual_inhouse) - base / slope
    return Fraction(inputs.annual_outsourced) - inhouse_at_zero


def _year_flows(inputs: CaseInputs, months: Sequence[Month]) -> list[YearFlow]:
    years = []
    cumulative = Fraction(0)
    for year in range(1, inputs.horizon_years + 1):
        these = list(months[(year - 1) * MONTHS_PER_YEAR : year * MONTHS_PER_YEAR])

        def total(part: Callable[[Month], Fraction], these: list[Month] = these) -> Fraction:
            return sum((part(month) for month in these), Fraction(0))

        net = total(lambda month: month.net_cash_flow)
        cumulative += net
        years.append(
            YearFlow(
                year=year,
                stay_cost=to_cents(total(lambda month: month.stay_cost)),
                outsourced_paid=to_cents(total(lambda month: month.outsourced_paid)),
                inhouse_run=to_cents(total(lambda month: month.inhouse_run)),
                transition=to_cents(total(lambda month: month.transition)),
                exit_costs=to_cents(total(lambda month: month.exit_costs)),
                inhouse_cost=to_cents(total(lambda month: month.inhouse_cost)),
                net_cash_flow=to_cents(net),
                cumulative=to_cents(cumulative),
                discounted=to_cents(net * discount_factor(inputs.discount_rate, year)),
            )
        )
    return years


def _warnings(inputs: CaseInputs, cumulative: Sequence[Fraction], payback: int | None) -> list[str]:
    warnings = []
    last = months_in(inputs)
    if inputs.go_live_month > last:
        warnings.append(
            _(
                "The in-house team takes over after the %(years)s-year horizon: the case "
                "shows only the cost of preparing for it."
            )
            % {"years": inputs.horizon_years}
        )
    elif inputs.go_live_month < 1:
        warnings.append(_("The in-house start is before the case starts: taken as month 1."))
    if payback and any(value < 0 for value in cumulative[payback:]):
        warnings.append(
            _("The cumulative cash falls below zero again after month %(month)s.")
            % {"month": payback}
        )
    return warnings


def run_case(inputs: CaseInputs) -> CaseResult:
    """The "bring in-house" case against staying outsourced, as finance reads it."""
    months = monthly_flows(inputs)
    cumulative = []
    running = Fraction(0)
    for month in months:
        running += month.net_cash_flow
        cumulative.append(running)
    payback = payback_month(cumulative)
    even = break_even_saving(inputs)
    return CaseResult(
        inputs=inputs,
        years=_year_flows(inputs, months),
        monthly_cumulative=[to_cents(value) for value in cumulative],
        npv=to_cents(present_value(yearly_net(months, inputs.horizon_years), inputs.discount_rate)),
        payback_month=payback,
        break_even_saving=None if even is None else to_cents(even),
        warnings=_warnings(inputs, cumulative, payback),
    )
