"""ISO 3166 country and ISO 4217 currency codes: choices for forms, validators for models.

Choices live here rather than on model fields so that a new release of pycountry or
holidays never produces a migration.
"""

import re
from functools import cache

import holidays
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


# ISO 3166-2 subdivisions are one to three letters or digits after the country; the
# holidays package also has cities and school zones ("Augsburg", "Zone A"), which are not.
_ISO_REGION = re.compile(r"[A-Z0-9]{1,3}")


@cache
def holiday_subdivision_choices(country: str) -> list[tuple[str, str]]:
    """(ISO 3166-2 code, name) of the regions of country that have a holiday calendar."""
    try:
        regions = holidays.country_holidays(country).subdivisions
    except NotImplementedError:
        return []
    choices = []
    for region in regions:
        if _ISO_REGION.fullmatch(region):
            code = f"{country}-{region}"
            known = pycountry.subdivisions.get(code=code)
            choices.append((code, known.name if known else code))
    return sorted(choices)


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


def validate_holiday_subdivision_code(value: str, country: str) -> None:
    """A governing subdivision is a region of the governing country with holidays of its own."""
    if not value:
        return
    if not country:
        raise ValidationError(
            _("A governing subdivision (“%(value)s”) needs a governing country."),
            params={"value": value},
            code="subdivision_without_country",
        )
    known = [code for code, _name in holiday_subdivision_choices(country)]
    if not known:
        raise ValidationError(
            _(
                "%(country)s has no regional public-holiday calendars: leave the governing "
                "subdivision (“%(value)s”) empty."
            ),
            params={"value": value, "country": country},
            code="unknown_subdivision",
        )
    # dates.holidays_subdivision() is the one place the ISO code becomes the package's.
    region = dates.holidays_subdivision(country, value)
    if not region or f"{country}-{region}" not in known:
        raise ValidationError(
            _(
                "The governing subdivision “%(value)s” is not a region of %(country)s with a "
                "public-holiday calendar; use an ISO 3166-2 code such as %(example)s."
            ),
            params={"value": value, "country": country, "example": ", ".join(known[:4])},
            code="unknown_subdivision",
        )


def validate_currency_code(value: str) -> None:
    if value not in dict(currency_choices()):
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code."), params={"value": value}
        )
