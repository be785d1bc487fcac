"""Business-case arithmetic: the annual saving and the payback period, defined once.

Plain functions over Decimals (no ORM), so the model, the workspace totals, the dashboard
and the API all agree to the penny and round the same way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MONTHS_PER_YEAR = 12

# Payback is shown in months to one decimal. Half-up is the rounding people do by hand and
# spreadsheets show (12.25 → 12.3); Decimal's default half-even would give 12.2.
PAYBACK_QUANTUM = Decimal("0.1")
PAYBACK_ROUNDING = ROUND_HALF_UP


def annual_saving(outsourced: Decimal | None, inhouse: Decimal | None) -> Decimal | None:
    """What bringing the process in-house saves a year: outsourced minus in-house cost.

    Negative when in-house costs more; None when either figure is unknown.
    """
    if outsourced is None or inhouse is None:
        return None
    return outsourced - inhouse


def payback_months(one_off: Decimal | None, saving: Decimal | None) -> Decimal | None:
    """Months of saving that repay the one-off transition cost, to 0.1, rounded half-up.

    None when the one-off cost or the saving is unknown, or there is no saving to repay it.
    """
    if one_off is None or saving is None or saving <= 0:
        return None
    # One division (rather than one_off / (saving / 12)) so only the final figure is rounded.
    months = one_off * MONTHS_PER_YEAR / saving
    return months.quantize(PAYBACK_QUANTUM, rounding=PAYBACK_ROUNDING)
