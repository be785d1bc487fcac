"""ISO 3166 country and ISO 4217 currency codes: choices for forms, validators for models.

Choices live here rather than on model fields so that a new release of pycountry or
holidays never produces a migration.
"""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import dates


@cache
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])


@cache
def holiday_country_choices() -> list[tuple[str, str]]:
    supported = set(dates.supported_countries())
    return [(code, name) for code, name in country_choices() if code in supported]


@cache
def currency_choices() -> list[tuple[str, str]]:
    return sorted((c.alpha_3, f"{c.alpha_3} – {c.name}") for c in pycountry.currencies)


def validate_country_code(value: str) -> None:
    if value not in dict(country_choices()):
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166 alpha-2 country code."), params={"value": value}
        )


def validate_holiday_country_code(value: str) -> None:
    if value and value not in dict(holiday_country_choices()):
        raise ValidationError(
            _("No public-holiday calendar is known for country “%(value)s”."),
            params={"value": value},
        )


def validate_currency_code(value: str) -> None:
    if value not in dict(currency_choices()):
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code."), params={"value": value}
        )
