"""Three ways forward for one process, costed alike (docs/business-case.md, "Scenarios")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from ..money import MONTHS_PER_YEAR
from .engine import monthly_flows, present_value, provider_monthly, to_cents, year_of
from .model import CaseInputs

STAY = "stay"
RENEGOTIATE = "renegotiate"
IN_HOUSE = "in_house"
KEYS = (STAY, RENEGOTIATE, IN_HOUSE)


def scenario_label(key: str) -> str:
    """The scenario's name in the active language."""
    labels = {
        STAY: _("Stay outsourced"),
        RENEGOTIATE: _("Renegotiate"),
        IN_HOUSE: _("Bring in-house"),
    }
    return labels[key]


@dataclass(frozen=True)
class Scenario:
    """One scenario's cost over the horizon, in the process's currency, to the cent."""

    key: str  # STAY, RENEGOTIATE or IN_HOUSE
    label: str
    yearly_cost: list[Decimal]  # years 1..H
    total_cost: Decimal  # the exact yearly costs added, then rounded
    pv_cost: Decimal  # present value of the yearly costs at the case's discount rate
    npv_vs_stay: Decimal  # PV(stay outsourced) − PV(this scenario): positive saves; stay = 0


def yearly_costs(inputs: CaseInputs) -> dict[str, list[Fraction]]:
    """Each scenario's exact cost per year (the stay and in-house ones as in the engine)."""
    costs = {key: [Fraction(0)] * inputs.horizon_years for key in KEYS}
    for month in monthly_flows(inputs):
        index = year_of(month.month) - 1
        costs[STAY][index] += month.stay_cost
        costs[IN_HOUSE][index] += month.inhouse_cost
    for index in range(inputs.horizon_years):
        first = index * MONTHS_PER_YEAR + 1
        renegotiated = provider_monthly(inputs, first, inputs.renegotiation_change)
        costs[RENEGOTIATE][index] = renegotiated * MONTHS_PER_YEAR
    return costs


def scenarios(inputs: CaseInputs) -> list[Scenario]:
    """Stay outsourced, renegotiate and bring in-house, in that order."""
    costs = yearly_costs(inputs)
    stay_pv = present_value(costs[STAY], inputs.discount_rate)
    result = []
    for key in KEYS:
        pv = present_value(costs[key], inputs.discount_rate)
        result.append(
            Scenario(
                key=key,
                label=scenario_label(key),
                yearly_cost=[to_cents(cost) for cost in costs[key]],
                total_cost=to_cents(sum(costs[key], Fraction(0))),
                pv_cost=to_cents(pv),
                npv_vs_stay=to_cents(stay_pv - pv),
            )
        )
    return result
