"""How far the NPV of bringing a process in-house moves with each driver.

One driver moves at a time, the others stay at base; the rows come in tornado order, the
widest swing first (docs/business-case.md, "Sensitivity").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from .engine import case_npv, go_live, to_cents
from .model import CaseInputs

LABOUR_GROWTH_POINTS = Decimal(2)  # percentage points either way, floored at 0
FX_MOVE = Decimal("0.10")  # the contract currency ±10% against the in-house currency
TRANSITION_UNDERRUN = Decimal("0.10")
TRANSITION_OVERRUN = Decimal("0.30")
EARLIER_MONTHS = 3  # go-live earlier, floored at month 1
LATER_MONTHS = 6


@dataclass(frozen=True)
class SensitivityRow:
    """The NPV with one driver at its low and its high value, the others at base."""

    key: str  # "labour_growth", "exchange_rate", "transition_cost", "go_live"
    label: str
    low_label: str  # the low input as people read it ("1%", "−10%", "month 4")
    high_label: str
    low_input: Decimal  # growth %, provider-price factor, transition cost, go-live month
    high_input: Decimal
    npv_low: Decimal
    npv_high: Decimal
    swing: Decimal  # |npv_high − npv_low|


@dataclass(frozen=True)
class Sensitivity:
    base_npv: Decimal
    rows: list[SensitivityRow]  # widest swing first


def _fx(inputs: CaseInputs, factor: Decimal) -> CaseInputs:
    # Everything paid to the provider is priced in the contract's currency: the run-rate
    # (so the stay cost and dual running too), the termination fee and exit assistance.
    return replace(
        inputs,
        annual_outsourced=inputs.annual_outsourced * factor,
        termination_fee=inputs.termination_fee * factor,
        exit_assistance=inputs.exit_assistance * factor,
    )


def _percent_label(value: Decimal) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{abs(value).normalize():f}%"


def _row(
    inputs: CaseInputs,
    key: str,
    label: str,
    inputs_at: Callable[[Decimal], CaseInputs],
    low: tuple[Decimal, str],
    high: tuple[Decimal, str],
) -> SensitivityRow:
    npv_low = to_cents(case_npv(inputs_at(low[0])))
    npv_high = to_cents(case_npv(inputs_at(high[0])))
    return SensitivityRow(
        key=key,
        label=label,
        low_label=low[1],
        high_label=high[1],
        low_input=low[0],
        high_input=high[0],
        npv_low=npv_low,
        npv_high=npv_high,
        swing=abs(npv_high - npv_low),
    )


def sensitivity(inputs: CaseInputs) -> Sensitivity:
    """The tornado: each driver's low and high NPV, widest swing first."""
    growth = inputs.labour_growth
    growth_low = max(growth - LABOUR_GROWTH_POINTS, Decimal(0))
    growth_high = growth + LABOUR_GROWTH_POINTS
    month = go_live(inputs)
    earlier, later = max(month - EARLIER_MONTHS, 1), month + LATER_MONTHS
    transition = inputs.one_off_transition
    rows = [
        _row(
            inputs,
            "labour_growth",
            _("Labour-cost growth"),
            lambda value: replace(inputs, labour_growth=value),
            (growth_low, _percent_label(growth_low).lstrip("+")),
            (growth_high, _percent_label(growth_high).lstrip("+")),
        ),
        _row(
            inputs,
            "exchange_rate",
            _("Exchange rate of the contract currency"),
            lambda factor: _fx(inputs, factor),
            (1 - FX_MOVE, _percent_label(-FX_MOVE * 100)),
            (1 + FX_MOVE, _percent_label(FX_MOVE * 100)),
        ),
        _row(
            inputs,
            "transition_cost",
            _("Transition cost"),
            lambda value: replace(inputs, one_off_transition=value),
            (transition * (1 - TRANSITION_UNDERRUN), _percent_label(-TRANSITION_UNDERRUN * 100)),
            (transition * (1 + TRANSITION_OVERRUN), _percent_label(TRANSITION_OVERRUN * 100)),
        ),
        _row(
            inputs,
            "go_live",
            _("In-house start"),
            lambda value: replace(inputs, go_live_month=int(value)),
            (Decimal(earlier), _("month %(month)s") % {"month": earlier}),
            (Decimal(later), _("month %(month)s") % {"month": later}),
        ),
    ]
    # sorted() is stable: equal swings keep the order above.
    rows = sorted(rows, key=lambda row: row.swing, reverse=True)
    return Sensitivity(base_npv=to_cents(case_npv(inputs)), rows=rows)
