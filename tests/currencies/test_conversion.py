"""Conversion into the reporting currency: through the euro, with the latest rate on or before
the day, each currency's subtotal rounded to the cent half-up, and missing rates never guessed.

Every expected figure is worked out by hand in the comment next to it.
"""

from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from currencies.conversion import rates_on, total
from currencies.models import ExchangeRate

pytestmark = pytest.mark.django_db

OCT_28, OCT_29, OCT_30, OCT_31 = (date(2026, 10, day) for day in (28, 29, 30, 31))


def rate(day: date, currency: str, per_euro: str) -> None:
    ExchangeRate.objects.create(date=day, currency=currency, rate=Decimal(per_euro), source="test")


@pytest.fixture
def ecb_rates(db):
    """Real ECB rates of three days; GBP is left out on 29 and 30 October on purpose."""
    rate(OCT_28, "USD", "1.1133")
    rate(OCT_28, "GBP", "0.83785")
    rate(OCT_29, "USD", "1.113")
    rate(OCT_30, "USD", "1.1172")


def test_pounds_convert_to_dollars_through_the_euro(db):
    rate(OCT_30, "USD", "1.1172")
    rate(OCT_30, "GBP", "0.8338")

    converted = rates_on(OCT_30, ["GBP"], target="USD").convert(Money("1000.00", "GBP"))

    # 1000 × 1.1172 / 0.8338 = 1117.2 / 0.8338 = 1339.88966… → 1339.89
    assert converted == Money("1339.89", "USD")


def test_a_half_cent_rounds_up(db):
    rate(OCT_30, "USD", "1.2")
    rate(OCT_30, "GBP", "0.8")

    result = total({"GBP": Decimal("10.03")}, rates_on(OCT_30, ["GBP"], target="USD"))

    # 10.03 × 1.2 / 0.8 = 15.045 exactly: half-up gives 15.05 (half-even would give 15.04)
    assert result.amount == Money("15.05", "USD")


def test_the_latest_rate_on_or_before_the_day_is_used_and_a_later_one_is_not(ecb_rates):
    dollars = {"USD": Decimal("111.30")}

    on_29 = total(dollars, rates_on(OCT_29, ["USD"], target="EUR"))
    on_31 = total(dollars, rates_on(OCT_31, ["USD"], target="EUR"))

    # 111.30 / 1.113 = 100.00; the rate of the 30th is later and not used
    assert (on_29.amount, on_29.rates_date) == (Money("100.00", "EUR"), OCT_29)
    # Saturday the 31st has no rate: Friday's, 111.30 / 1.1172 = 99.62406… → 99.62
    assert (on_31.amount, on_31.rates_date) == (Money("99.62", "EUR"), OCT_30)


def test_the_rates_date_is_that_of_the_oldest_rate_used(ecb_rates):
    result = total(
        {"GBP": Decimal("100"), "USD": Decimal("100")},
        rates_on(OCT_30, ["GBP", "USD"], target="EUR"),
    )

    # GBP: 100 / 0.83785 = 119.35310… → 119.35 (its latest rate is of the 28th)
    # USD: 100 / 1.1172 = 89.50948… → 89.51; 119.35 + 89.51 = 208.86
    assert result.amount == Money("208.86", "EUR")
    assert result.rates_date == OCT_28
    assert result.complete


def test_a_currency_without_a_rate_is_listed_and_not_added(ecb_rates):
    result = total(
        {"JPY": Decimal("5000"), "USD": Decimal("111.30")},
        rates_on(OCT_29, ["JPY", "USD"], target="EUR"),
    )

    assert result.amount == Money("100.00", "EUR")  # the dollars only: 111.30 / 1.113
    assert result.unconverted == {"JPY": Money("5000", "JPY")}
    assert not result.complete
    assert result.by_currency == {
        "JPY": Money("5000", "JPY"),
        "USD": Money("111.30", "USD"),
    }


def test_a_rate_only_after_the_day_leaves_the_currency_unconverted(db):
    rate(OCT_30, "USD", "1.1172")

    result = total({"USD": Decimal("50")}, rates_on(OCT_29, ["USD"], target="EUR"))

    assert result.amount == Money("0", "EUR")
    assert result.unconverted == {"USD": Money("50", "USD")}
    assert result.rates_date is None


def test_a_total_in_the_reporting_currency_needs_no_rate(db):
    result = total({"EUR": Decimal("250.50")}, rates_on(OCT_30, ["EUR"]))

    assert result.amount == Money("250.50", "EUR")
    assert result.complete
    assert result.rates_date is None
    assert not result.mixed


def test_a_reporting_currency_other_than_the_euro_converts_through_the_euro(settings, db):
    settings.REPORTING_CURRENCY = "USD"
    rate(OCT_30, "USD", "1.1172")
    rate(OCT_30, "GBP", "0.8338")

    result = total(
        {"EUR": Decimal("100"), "GBP": Decimal("50"), "USD": Decimal("10.00")},
        rates_on(OCT_30, ["EUR", "GBP", "USD"]),
    )

    # EUR: 100 × 1.1172 = 111.72; GBP: 50 × 1.1172 / 0.8338 = 66.99448… → 66.99;
    # USD as it is: 10.00. 111.72 + 66.99 + 10.00 = 188.71
    assert result.amount == Money("188.71", "USD")
    assert result.rates_date == OCT_30
    assert result.complete
    assert result.mixed


def test_without_the_reporting_currency_s_own_rate_nothing_foreign_converts(settings, db):
    settings.REPORTING_CURRENCY = "USD"
    rate(OCT_30, "GBP", "0.8338")

    result = total({"EUR": Decimal("100"), "USD": Decimal("5")}, rates_on(OCT_30, ["EUR", "USD"]))

    assert result.amount == Money("5", "USD")
    assert result.unconverted == {"EUR": Money("100", "EUR")}
