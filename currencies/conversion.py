"""Conversion into the reporting currency, defined once (docs/money.md, "Honest totals").

Amounts are py-moneyed `Money`: adding two currencies raises instead of mixing them. A total
over several currencies is summed per currency first, then each subtotal is converted once
with the latest rate on or before the stated day and rounded to the cent, half-up. A currency
with no rate on or before that day is never converted: the total is incomplete and lists it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from moneyed import Money

from .models import BASE_CURRENCY, ExchangeRate


def reporting_currency() -> str:
    return settings.REPORTING_CURRENCY


def to_cents(value: Fraction | Decimal) -> Decimal:
    """`value` to the cent, ties away from zero (Decimal's ROUND_HALF_UP), in one rounding.

    Takes exact fractions too (the business case computes in them), so nothing is rounded
    twice on the way.
    """
    exact = Fraction(value) * 100
    sign = -1 if exact < 0 else 1
    cents = (abs(exact) * 2 + 1) // 2  # floor(|x| + 1/2) on integers: no double rounding
    return Decimal(sign * cents).scaleb(-2)


@dataclass(frozen=True)
class Rate:
    per_euro: Decimal  # units of the currency one euro buys
    day: date | None  # the ECB day the rate is of; None for the euro itself


@dataclass(frozen=True)
class Rates:
    """The rates known on `on` for converting into `target`: each currency's latest rate."""

    on: date
    target: str
    known: Mapping[str, Rate]

    def rate(self, currency: str) -> Rate | None:
        if currency == BASE_CURRENCY:
            return Rate(Decimal(1), None)
        return self.known.get(currency)

    def can_convert(self, currency: str) -> bool:
        return currency == self.target or (
            self.rate(currency) is not None and self.rate(self.target) is not None
        )

    def convert(self, amount: Money) -> Money | None:
        """`amount` in the target currency to the cent, or None when a rate is missing."""
        source = amount.currency.code
        if source == self.target:
            return amount
        rate_from, rate_to = self.rate(source), self.rate(self.target)
        if rate_from is None or rate_to is None:
            return None
        # Through the euro, in one expression so only the result is rounded.
        return Money(to_cents(amount.amount * rate_to.per_euro / rate_from.per_euro), self.target)

    def day_of(self, currencies: Iterable[str]) -> date | None:
        """The oldest rate day used converting these currencies ("rates of <day>")."""
        days = [
            rate.day
            for code in {*currencies, self.target}
            if (rate := self.rate(code)) is not None and rate.day is not None
        ]
        return min(days) if days else None


def rates_on(on: date, currencies: Iterable[str], target: str | None = None) -> Rates:
    """The latest rate on or before `on` of each currency (and the target), in one query."""
    target = target or reporting_currency()
    wanted = {*currencies, target} - {BASE_CURRENCY}
    known: dict[str, Rate] = {}
    if wanted:
        for row in ExchangeRate.objects.latest_on(on, wanted).values("currency", "rate", "date"):
            known[row["currency"]] = Rate(row["rate"], row["date"])
    return Rates(on=on, target=target, known=known)


@dataclass(frozen=True)
class Total:
    """A sum over currencies: converted where it can be, and honest about what it could not."""

    amount: Money  # the sum of every subtotal that could be converted, in the target
    by_currency: dict[str, Money] = field(default_factory=dict)  # subtotals as entered
    unconverted: dict[str, Money] = field(default_factory=dict)  # subtotals with no rate
    rates_date: date | None = None  # the day of the (oldest) rate used; None if none was

    @property
    def currency(self) -> str:
        return self.amount.currency.code

    @property
    def complete(self) -> bool:
        return not self.unconverted

    @property
    def mixed(self) -> bool:
        """Whether the subtotals span more than one currency (worth showing them)."""
        return len(self.by_currency) > 1 or any(c != self.currency for c in self.by_currency)


def total(subtotals: Mapping[str, Decimal | None], rates: Rates) -> Total:
    """Convert per-currency subtotals (currency → amount) and add them up."""
    by_currency = {
        code: Money(amount, code)
        for code, amount in sorted(subtotals.items())
        if amount is not None and amount != 0
    }
    converted = Money(0, rates.target)
    unconverted: dict[str, Money] = {}
    used: list[str] = []
    for code, amount in by_currency.items():
        value = rates.convert(amount)
        if value is None:
            unconverted[code] = amount
        else:
            converted += value
            used.append(code)
    rates_date = rates.day_of(used) if any(c != rates.target for c in used) else None
    return Total(
        amount=Money(to_cents(converted.amount), rates.target),
        by_currency=by_currency,
        unconverted=unconverted,
        rates_date=rates_date,
    )
