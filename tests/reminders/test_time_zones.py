"""People in other time zones: each recipient gets a reminder when its send day begins where
they live, worded with their own date, exactly once; the row is sent after the last of them
(docs/reminders.md, "Time zones"). The site is in Europe/London (tests' TIME_ZONE)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.services import preferences_update
from reminders.models import Notification, Reminder
from reminders.services import reminders_claim, reminders_sweep
from reminders.services.delivery import send_horizon
from tests.factories import UserFactory
from tests.raid.factories import RaidItemFactory

Status = Reminder.Status
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
DUE = date(2026, 11, 30)


def sweep_at(moment: datetime):
    with time_machine.travel(moment, tick=False):
        return reminders_sweep()


def person(username: str, zone: str = ""):
    """An operations manager: told of a deadline nobody else is named for."""
    user = UserFactory(username=username, role="Operations managers")
    if zone:
        preferences_update(user=user, time_zone=zone)
    return user


@pytest.fixture
def people(db):
    return {
        "london": person("london"),
        "new_york": person("new-york", "America/New_York"),
        "tokyo": person("tokyo", "Asia/Tokyo"),
    }


@pytest.fixture
def due_today_row(people):
    """A RAID item nobody owns, due 30 November: its day-of reminder goes to all three."""
    RaidItemFactory(owner=None, process__lead=None, due_date=DUE)
    return lambda: Reminder.objects.get(offset_days=0)


def told(mailoutbox, user) -> list[str]:
    """The subjects of the day-of reminders `user` was sent."""
    return [m.subject for m in mailoutbox if m.to == [user.email] and "due today" in m.subject]


def test_each_recipient_is_told_when_the_day_begins_where_they_live(
    people, due_today_row, mailoutbox
):
    london, new_york, tokyo = people["london"], people["new_york"], people["tokyo"]

    # 14:59 London on 29 November is 23:59 in Tokyo: nobody's 30 November has begun.
    sweep_at(datetime(2026, 11, 29, 14, 59, tzinfo=LONDON))
    assert all(told(mailoutbox, user) == [] for user in people.values())

    # 00:04 in Tokyo on 30 November, 15:04 on the 29th in London.
    sweep_at(datetime(2026, 11, 30, 0, 4, tzinfo=TOKYO))
    [subject] = told(mailoutbox, tokyo)
    assert "due today: 30 November 2026" in subject
    assert told(mailoutbox, london) == told(mailoutbox, new_york) == []
    row = due_today_row()
    assert row.status == Status.PENDING
    assert (row.attempts, row.last_error) == (0, "")
    assert row.next_attempt_at == datetime(2026, 11, 30, 0, 0, tzinfo=LONDON)
    assert list(row.recipients.all()) == [tokyo]

    sweep_at(datetime(2026, 11, 29, 23, 59, tzinfo=LONDON))
    assert told(mailoutbox, london) == []

    # 00:04 London on 30 November: only the London user; New York is still on the 29th.
    sweep_at(datetime(2026, 11, 30, 0, 4, tzinfo=LONDON))
    assert len(told(mailoutbox, london)) == 1
    assert told(mailoutbox, new_york) == []
    row = due_today_row()
    assert row.status == Status.PENDING
    assert row.next_attempt_at == datetime(2026, 11, 30, 0, 0, tzinfo=NEW_YORK)

    sweep_at(datetime(2026, 11, 30, 4, 59, tzinfo=LONDON))  # 23:59 on the 29th in New York
    assert told(mailoutbox, new_york) == []

    # 00:04 New York is 05:04 London: the last of them, worded with New York's own date.
    sweep_at(datetime(2026, 11, 30, 0, 4, tzinfo=NEW_YORK))
    [subject] = told(mailoutbox, new_york)
    assert "due today: 30 November 2026" in subject
    row = due_today_row()
    assert row.status == Status.SENT
    assert row.sent_at == datetime(2026, 11, 30, 0, 4, tzinfo=NEW_YORK)
    assert set(row.recipients.all()) == set(people.values())

    sweep_at(datetime(2026, 11, 30, 12, 0, tzinfo=LONDON))
    for user in people.values():
        assert len(told(mailoutbox, user)) == 1
        assert Notification.objects.filter(user=user, reminder=row).count() == 1
    assert all(len(message.to) == 1 for message in mailoutbox)


def test_the_wording_is_each_recipients_own_date(people, due_today_row):
    """The day before's reminder reaches Tokyo when it is already the 29th there and London
    a few hours later: both read "tomorrow"; the in-app notification says the same."""
    sweep_at(datetime(2026, 11, 29, 0, 4, tzinfo=TOKYO))
    [notification] = Notification.objects.filter(user=people["tokyo"], reminder__offset_days=1)
    assert "due tomorrow: 30 November 2026" in notification.title
    assert not Notification.objects.filter(user=people["london"], reminder__offset_days=1)
    sweep_at(datetime(2026, 11, 29, 0, 4, tzinfo=LONDON))
    [notification] = Notification.objects.filter(user=people["london"], reminder__offset_days=1)
    assert "due tomorrow: 30 November 2026" in notification.title


def test_a_late_sweep_words_the_reminder_with_each_readers_date(people, due_today_row):
    """A first sweep at 23:00 London on 30 November (18:00 in New York, 08:00 on 1 December
    in Tokyo) still sends the day-of reminder, the site's day being the due day; Tokyo,
    already past it, reads that it was due."""
    sweep_at(datetime(2026, 11, 30, 23, 0, tzinfo=LONDON))
    titles = {
        n.user.username: n.title for n in Notification.objects.filter(reminder__offset_days=0)
    }
    assert "due today: 30 November 2026" in titles["new-york"]
    assert "due today: 30 November 2026" in titles["london"]
    assert "is overdue: it was due 30 November 2026" in titles["tokyo"]
    assert due_today_row().status == Status.SENT


def test_nobody_east_of_the_site_means_no_row_is_claimed_before_its_day(db):
    person("london")
    RaidItemFactory(owner=None, process__lead=None, due_date=DUE)
    sweep_at(datetime(2026, 11, 29, 0, 30, tzinfo=LONDON))  # plans the day-of row
    with time_machine.travel(datetime(2026, 11, 29, 23, 0, tzinfo=LONDON), tick=False):
        assert list(reminders_claim()) == []
    assert send_horizon(datetime(2026, 11, 29, 23, 0, tzinfo=LONDON)) == date(2026, 11, 29)
    assert send_horizon(datetime(2026, 11, 29, 15, 0, tzinfo=LONDON), ["Asia/Tokyo"]) == date(
        2026, 11, 30
    )


def test_the_local_send_hour_delays_everyone_to_that_hour_of_their_day(
    settings, people, due_today_row, mailoutbox
):
    settings.REMINDER_LOCAL_SEND_HOUR = 8
    sweep_at(datetime(2026, 11, 30, 7, 59, tzinfo=LONDON))  # 16:59 in Tokyo
    assert told(mailoutbox, people["london"]) == []
    assert len(told(mailoutbox, people["tokyo"])) == 1
    sweep_at(datetime(2026, 11, 30, 8, 0, tzinfo=LONDON))
    assert len(told(mailoutbox, people["london"])) == 1
    assert due_today_row().next_attempt_at == datetime(2026, 11, 30, 8, 0, tzinfo=NEW_YORK)
