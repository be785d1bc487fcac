"""The one "today" of the project: every deadline is a calendar day in TIME_ZONE."""

from datetime import date, datetime, time

from django.utils import timezone


def local_today() -> date:
    """Today's date in TIME_ZONE, whatever zone a person's pages show times in (a deadline
    is the contract's calendar day: docs/reminders.md, "Time zones"); the date engine
    itself never reads a clock."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def day_start(day: date) -> datetime:
    """The first moment of a calendar day in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))
