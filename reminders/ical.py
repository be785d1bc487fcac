"""A user's deadlines as an iCalendar feed: all-day events with stable UIDs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from core.formats import long_date

from .models import Reminder
from .selectors import deadlines_concerning
from .triggers import Deadline

# These recur with each contract term, so each term's date is its own event; the other
# kinds keep one event per object that moves when its due date is edited.
PER_DATE_KINDS = {Reminder.Kind.NOTICE_DEADLINE, Reminder.Kind.DECISION_DATE}
# Each event reminds the day before at 09:00: an all-day event starts at midnight, and
# 15 hours before it is 09:00 the previous day in the calendar's own time zone.
ALARM_BEFORE = timedelta(hours=15)


def event_description(deadline: Deadline, url: str) -> str:
    """What is due and when, the deadline's detail line, and the page to act on."""
    due = f"{deadline.label}: {deadline.title}, due {long_date(deadline.due)}."
    return "\n\n".join(filter(None, [due, deadline.detail(), url]))


def event_alarm(deadline: Deadline) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Tomorrow: {deadline.label}: {deadline.title}")
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def event_uid(deadline: Deadline) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "backsourcing"
    model = deadline.obj._meta.label_lower.replace(".", "-")
    uid = f"{deadline.kind}-{model}-{deadline.obj.pk}"
    if deadline.kind in PER_DATE_KINDS:
        uid += f"-{deadline.due:%Y%m%d}"
    return f"{uid}@{host}"


def calendar_for(
    user,
    today: date | None = None,
    *,
    fallback: bool | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The .ics body with every deadline that concerns `user` as of `today`.

    `fallback`: whether the user is in the fallback group, when known already; `stamp`: the
    moment the feed is dated (DTSTAMP), so that the same data gives the same bytes (the
    feed's strong ETag, reminders/calendar.py); by default now.
    """
    today = today or timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//Backsourcing//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Backsourcing deadlines ({user.get_username()})")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = stamp or timezone.now()
    for deadline in deadlines_concerning(user, today, fallback=fallback):
        url = settings.SITE_URL + (deadline.path() or "/")
        event = Event()
        event.add("uid", event_uid(deadline))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + timedelta(days=1))
        event.add("summary", f"{deadline.label}: {deadline.title}")
        event.add("description", event_description(deadline, url))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        event.add("categories", [deadline.label])
        event.add_component(event_alarm(deadline))
        calendar.add_component(event)
    return calendar.to_ical()
