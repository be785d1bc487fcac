"""The time zones a person may choose: place names of the IANA database (zoneinfo), an
empty choice meaning the site's TIME_ZONE (docs/reminders.md, "Time zones").

A zone changes how moments are shown (a change made at 14:05 London reads 09:05 in New
York) and when reminder e-mails arrive; never a date: a deadline is a calendar day of the
contract, the same in every zone.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Region/City names and UTC: the database's aliases ("GB", "US/Eastern", "Etc/GMT+5", whose
# sign is inverted) would only make the list longer and more confusing.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def zone_names() -> tuple[str, ...]:
    """Every zone a person may choose, sorted."""
    return tuple(
        sorted(
            name
            for name in available_timezones()
            if name == "UTC" or name.split("/", 1)[0] in REGIONS
        )
    )


def validate_time_zone(value: str) -> None:
    """Refuse a name that is not one of `zone_names()`; empty is the site's zone."""
    if value and value not in zone_names():
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone we know. Choose one from the list, such as "
                "Europe/London or America/New_York."
            ),
            code="invalid_time_zone",
            params={"value": value},
        )


def zone_of(name: str) -> ZoneInfo:
    """The zone named, or the site's when `name` is empty or no longer in the database."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return site_zone()


def site_zone() -> ZoneInfo:
    """TIME_ZONE: the zone of the contracts' calendar days."""
    zone = timezone.get_default_timezone()
    assert isinstance(zone, ZoneInfo)  # noqa: S101 - Django builds it with zoneinfo
    return zone
