"""The exchange-rate row refuses what no ECB rate can be, with messages people can act on."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from currencies.models import ExchangeRate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("currency", "rate", "messages"),
    [
        ("usd", "1.1", {"currency": ["Use a three-letter ISO 4217 code."]}),
        ("US", "1.1", {"currency": ["Use a three-letter ISO 4217 code."]}),
        (
            "EUR",
            "1",
            {
                "__all__": [
                    "Rates are quoted against the euro: one euro is always 1 EUR, so it needs "
                    "no rate."
                ]
            },
        ),
        ("USD", "0", {"rate": ["Ensure this value is greater than or equal to 0.000001."]}),
        ("USD", "1.1234567", {"rate": ["Ensure that there are no more than 6 decimal places."]}),
    ],
)
def test_a_rate_that_cannot_be_an_ecb_rate_is_refused(currency, rate, messages):
    row = ExchangeRate(date=date(2026, 10, 30), currency=currency, rate=Decimal(rate))

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert refused.value.message_dict == messages


def test_a_currency_has_one_rate_a_day():
    ExchangeRate.objects.create(date=date(2026, 10, 30), currency="USD", rate=Decimal("1.1172"))
    again = ExchangeRate(date=date(2026, 10, 30), currency="USD", rate=Decimal("1.12"))

    with pytest.raises(ValidationError) as refused:
        again.full_clean()

    assert refused.value.message_dict == {
        "__all__": ["Exchange rate with this Date and Currency already exists."]
    }
