"""When a reminder's send day begins for a person: REMINDER_LOCAL_SEND_HOUR in their zone.

The one rule behind delivery (who gets a row now, when the rest are tried again) and the
"stuck" check of the admin and the metrics (docs/reminders.md, "Time zones").
"""

from datetime import date, datetime, time, timedelta, tzinfo

from django.conf import settings


def local_send_time(send_on: date, zone: tzinfo) -> datetime:
    """When a reminder sent on `send_on` reaches a person in `zone`."""
    return datetime.combine(send_on, time(settings.REMINDER_LOCAL_SEND_HOUR), tzinfo=zone)


def latest_send_day(now: datetime, zone: tzinfo) -> date:
    """The latest send day that has begun in `zone` at `now`."""
    day = now.astimezone(zone).date()
    return day if now >= local_send_time(day, zone) else day - timedelta(days=1)
