"""RAID items due (reminders/triggers/raid_log.py): which items, who is told, the sweep's
reminders, the calendar feed and the dashboard's deadline sections."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.roles import OPERATIONS_MANAGERS
from raid.models import RaidItem
from raid.services import raid_item_save
from reminders.calendar import feed_version
from reminders.models import Notification, Reminder
from reminders.selectors import deadlines_concerning, reminders_for_process
from reminders.services import calendar_feed_for
from reminders.triggers import TRIGGERS, Deadline, resolve_recipients
from tests.clock import TODAY
from tests.factories import UserFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory
from tests.web.test_dashboard_scale import DASHBOARD_QUERIES
from tests.web.test_dashboard_scale import portfolio as dashboard_portfolio
from web.selectors import HORIZON_DAYS

from .conftest import at, sweep_on
from .factories import DUE

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
Status = RaidItem.Status
TRIGGER = TRIGGERS[Kind.RAID_ITEM_DUE]
DAY = timedelta(days=1)


def keys(deadlines) -> set[tuple[int, date]]:
    return {(deadline.obj.pk, deadline.due) for deadline in deadlines}


def an_assumption(**fields) -> RaidItem:
    return RaidItemFactory(kind=RaidItem.Kind.ASSUMPTION, probability=None, impact=None, **fields)


# Which items ------------------------------------------------------------------------------


def test_open_and_in_progress_items_with_a_due_date_are_deadlines_closed_ones_are_not():
    process = OutsourcedProcessFactory()
    open_risk = RaidItemFactory(process=process, due_date=DUE)
    in_progress = an_assumption(process=process, status=Status.IN_PROGRESS, due_date=DUE + DAY)
    RaidItemFactory(process=process, status=Status.CLOSED, due_date=DUE)
    RaidItemFactory(process=process, due_date=None)
    # A programme's own item counts as well as a process's.
    programme_item = an_assumption(
        process=None, programme=ProgrammeFactory(), due_date=DUE + 40 * DAY
    )
    today = DUE - 10 * DAY

    assert keys(TRIGGER.deadlines(today)) == {
        (open_risk.pk, DUE),
        (in_progress.pk, DUE + DAY),
        (programme_item.pk, DUE + 40 * DAY),
    }
    assert keys(TRIGGER.deadlines_between(today, today, DUE)) == {(open_risk.pk, DUE)}
    assert keys(TRIGGER.deadlines_between(today, DUE + DAY, DUE + 30 * DAY)) == {
        (in_progress.pk, DUE + DAY)
    }
    # The database dates the kind: ORDER BY … LIMIT and its COUNT(*) OVER () agree with the
    # window.
    assert TRIGGER.first_and_count_between(today, today, DUE + 40 * DAY, limit=1)[1] == 3
    first, total = TRIGGER.first_and_count_between(today, None, DUE + 40 * DAY, limit=2)
    assert ([d.obj for d in first], total) == ([open_risk, in_progress], 3)


def test_a_passed_due_date_is_overdue_until_the_item_is_closed():
    item = RaidItemFactory(due_date=DUE)
    [deadline] = TRIGGER.deadlines(DUE + 3 * DAY)

    assert deadline.is_overdue(DUE + 3 * DAY)
    assert deadline.short_label(DUE + 3 * DAY) == "RAID item overdue"
    assert deadline.short_label(DUE) == "RAID item due"
    item.status = Status.CLOSED
    item.save()
    assert TRIGGER.deadline_of(item.pk, DUE + 3 * DAY) is None


# Who is told ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner_active", "has_lead", "of_programme", "told"),
    [
        (True, True, False, "owner"),  # an active owner is told, the lead is not
        (False, True, False, "lead"),  # a deactivated owner: the process lead instead
        (None, True, False, "lead"),  # no owner: the process lead
        (False, False, False, "fallback"),  # nobody active: the fallback group
        (False, True, True, "fallback"),  # a programme's item: no lead to fall back on
        (True, True, True, "owner"),
    ],
)
def test_an_item_goes_to_its_owner_else_its_process_lead_else_the_fallback_group(
    owner_active, has_lead, of_programme, told
):
    owner = UserFactory(username="owner", is_active=bool(owner_active))
    lead = UserFactory(username="lead")
    ops = UserFactory(username="ops", role=OPERATIONS_MANAGERS)
    process = OutsourcedProcessFactory(lead=lead if has_lead else None)
    item = RaidItemFactory(
        process=None if of_programme else process,
        programme=process.programme if of_programme else None,
        owner=None if owner_active is None else owner,
        due_date=TODAY,
    )
    people = {"owner": owner, "lead": lead, "fallback": ops}

    sent_to = resolve_recipients(Deadline(Kind.RAID_ITEM_DUE, item, TODAY))
    assert sent_to == [people[told]]
    # The calendar feed's SQL rule names the same one person (Trigger.concerning).
    holders = {
        name
        for name, user in people.items()
        if user.is_active
        and any(d.obj == item for d in deadlines_concerning(user, TODAY, fallback=user == ops))
    }
    assert holders == {told}


# The sweep --------------------------------------------------------------------------------


def sent(item) -> list[tuple[int, date]]:
    rows = Reminder.objects.filter(
        kind=Kind.RAID_ITEM_DUE, object_id=item.pk, status=Reminder.Status.SENT
    )
    return sorted(((r.offset_days, timezone.localdate(r.sent_at)) for r in rows), reverse=True)


def test_the_sweep_sends_each_offset_exactly_once_on_its_day_until_the_item_is_closed(
    ops_manager,
):
    owner = UserFactory(username="owner", email="owner@example.com")
    item = RaidItemFactory(owner=owner, title="Key staff leave", due_date=DUE)
    day = DUE - 20 * DAY
    while day <= DUE + 20 * DAY:
        with time_machine.travel(at(day, 6), tick=False):
            if day == DUE + 10 * DAY:  # closed that morning: no more overdue reminders
                raid_item_save(actor=ops_manager, item=item, status=Status.CLOSED)
            sweep_on(day)
            assert sweep_on(day, hour=18).outcomes == []  # a second run the same day: nothing
        day += DAY

    assert sent(item) == [
        (7, DUE - 7 * DAY),
        (1, DUE - DAY),
        (0, DUE),
        (-1, DUE + DAY),
        (-8, DUE + 8 * DAY),
    ]
    assert len(mail.outbox) == 5
    assert {tuple(message.to) for message in mail.outbox} == {("owner@example.com",)}
    assert "Risk “Key staff leave”" in mail.outbox[0].subject
    # Nothing left pending, and what was planned after closing it was dropped.
    rows = Reminder.objects.filter(kind=Kind.RAID_ITEM_DUE)
    assert not rows.filter(status=Reminder.Status.PENDING)
    assert rows.filter(status=Reminder.Status.DROPPED, offset_days=-15).exists()
    # One notification per reminder, linking to the item's page and naming its dates.
    notifications = Notification.objects.filter(user=owner).order_by("created_at", "pk")
    assert [n.url for n in notifications] == [item.get_absolute_url()] * 5
    assert notifications[0].title == (
        f"Risk “Key staff leave” of {item.process.name} is due in 7 days: 31 March 2027"
    )
    assert notifications[4].title == (
        f"Risk “Key staff leave” of {item.process.name} is overdue: it was due 31 March 2027"
    )
    assert "probability 3 × impact 3" in notifications[0].body
    # The process's reminders list them too.
    assert set(reminders_for_process(item.process)) == set(rows.filter(status=Reminder.Status.SENT))


def test_a_moved_due_date_drops_the_reminders_of_the_old_one(ops_manager):
    owner = UserFactory(username="owner")
    item = RaidItemFactory(owner=owner, due_date=DUE)
    sweep_on(DUE - 7 * DAY)
    raid_item_save(actor=ops_manager, item=item, due_date=DUE + 30 * DAY)
    for offset in range(6, -2, -1):
        sweep_on(DUE - offset * DAY)

    assert sent(item) == [(7, DUE - 7 * DAY)]
    assert Reminder.objects.filter(
        object_id=item.pk, due_date=DUE, status=Reminder.Status.DROPPED
    ).exists()


# The calendar feed ------------------------------------------------------------------------


@pytest.fixture
def _today():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def feed_events(client, user) -> tuple:
    response = client.get(calendar_feed_for(user=user).get_absolute_url())
    assert response.status_code == 200
    return response, Calendar.from_ical(response.content).walk("VEVENT")


@pytest.mark.usefixtures("_today")
def test_the_owners_feed_holds_the_item_another_users_does_not(client, settings):
    settings.SITE_URL = "https://backsourcing.example"
    owner = UserFactory(username="owner", first_name="Ola", last_name="Owner")
    other = UserFactory(username="other")
    process = OutsourcedProcessFactory(name="Payroll", lead=other)
    # User text with what iCalendar must escape, and a line that would end the event.
    title = 'Lock-in; vendor, "exit"\nEND:VEVENT'
    item = RaidItemFactory(process=process, owner=owner, title=title, due_date=TODAY + 9 * DAY)
    an_assumption(process=None, programme=process.programme, owner=other, due_date=TODAY + 5 * DAY)

    response, events = feed_events(client, owner)

    [event] = events
    assert str(event["UID"]).startswith(f"raid_item_due-raid-raiditem-{item.pk}@")
    assert str(event["SUMMARY"]) == f"RAID item due: {title} (Payroll)"
    assert event.decoded("DTSTART") == TODAY + 9 * DAY
    url = f"https://backsourcing.example{reverse('raid:item_detail', args=[item.pk])}"
    assert str(event["URL"]) == url
    description = str(event["DESCRIPTION"])
    # What is due first (reminders/ical.py), then the detail line.
    assert description.split("\n\n")[1].startswith(
        "In the RAID log of Payroll, owned by Ola Owner; status: Open."
    )
    assert description.endswith(url)
    assert b'Lock-in\\; vendor\\, "exit"\\nEND:VEVENT' in response.content
    # One event ends: the title's line break stays inside its (escaped) line.
    assert response.content.split(b"\r\n").count(b"END:VEVENT") == 1
    # The other user's feed has their programme's item and not the owner's.
    _response, theirs = feed_events(client, other)
    assert [str(e["SUMMARY"]) for e in theirs] == [
        f"RAID item due: {RaidItem.objects.exclude(pk=item.pk).get().title} "
        f"({process.programme.name})"
    ]


@pytest.mark.usefixtures("_today")
def test_the_feeds_fingerprint_follows_the_users_items_only():
    owner = UserFactory(username="owner")
    other = UserFactory(username="other")
    mine = RaidItemFactory(owner=owner, due_date=TODAY + 9 * DAY)
    theirs = RaidItemFactory(owner=other, due_date=TODAY + 9 * DAY)
    before = feed_version(owner.pk, TODAY, fallback=False).etag

    theirs.due_date += DAY
    theirs.save()
    assert feed_version(owner.pk, TODAY, fallback=False).etag == before
    with time_machine.travel(at(TODAY, 10), tick=False):
        mine.due_date += DAY
        mine.save()
    moved = feed_version(owner.pk, TODAY, fallback=False).etag
    assert moved != before
    mine.status = Status.CLOSED
    mine.save()
    assert feed_version(owner.pk, TODAY, fallback=False).etag not in {before, moved}


# The dashboard ----------------------------------------------------------------------------


def raid_items(size: int, owner) -> None:
    """Per n: one item overdue, one due within the horizon, one beyond it, one closed."""
    for n in range(size):
        process = OutsourcedProcessFactory(name=f"RAID {n:03d}")
        RaidItemFactory(process=process, owner=owner, due_date=TODAY - (1 + n) * DAY)
        an_assumption(process=process, due_date=TODAY + (n % 80) * DAY)
        an_assumption(process=process, due_date=TODAY + (HORIZON_DAYS + 1 + n) * DAY)
        RaidItemFactory(process=process, status=Status.CLOSED, due_date=TODAY - DAY)


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboards_sections_count_raid_items_in_the_same_queries_at_any_size(
    client, operations_manager, django_assert_num_queries, size
):
    dashboard_portfolio(size, operations_manager)  # tests/web/test_dashboard_scale.py's
    raid_items(size, operations_manager)
    client.force_login(operations_manager)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("dashboard"))

    dashboard = response.context["dashboard"]
    overdue = {c.kind: c for c in dashboard.overdue_section.kinds}
    upcoming = {c.kind: c for c in dashboard.upcoming_section.kinds}
    assert overdue[Kind.RAID_ITEM_DUE].count == size
    assert overdue[Kind.RAID_ITEM_DUE].label == "RAID item overdue"
    assert upcoming[Kind.RAID_ITEM_DUE].count == size
    assert upcoming[Kind.RAID_ITEM_DUE].label == "RAID item due"
    # The scale test's three overdue deadlines per row, and the RAID item.
    assert dashboard.overdue_section.total == 4 * size


@pytest.mark.usefixtures("frozen_today")
def test_a_dashboard_line_names_the_item_and_links_to_its_page(client, operations_manager):
    owner = UserFactory(username="owner", first_name="Ola", last_name="Owner")
    process = OutsourcedProcessFactory(name="Payroll")
    late = RaidItemFactory(
        process=process, owner=owner, title="Key staff leave", due_date=TODAY - 3 * DAY
    )
    soon = an_assumption(
        process=None, programme=process.programme, title="Rates hold", due_date=TODAY + 3 * DAY
    )
    client.force_login(operations_manager)

    response = client.get(reverse("dashboard"))

    dashboard = response.context["dashboard"]
    [late_line] = [i for i in dashboard.overdue if i.deadline.obj == late]
    [soon_line] = [i for i in dashboard.upcoming if i.deadline.obj == soon]
    assert (late_line.kind, late_line.title, late_line.detail, late_line.url) == (
        "RAID item overdue",
        "Key staff leave",
        "Risk · Payroll · Ola Owner",
        late.get_absolute_url(),
    )
    assert late_line.overdue
    assert late_line.tone == "danger"
    assert (soon_line.kind, soon_line.detail, soon_line.icon) == (
        "RAID item due",
        f"Assumption · {process.programme.name} · no owner",
        "bi-exclamation-diamond",
    )
    page = response.content.decode()
    assert f'href="{late.get_absolute_url()}"' in page
