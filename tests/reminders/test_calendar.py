"""The private iCalendar feed: a secret, revocable address with the user's deadlines."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from reminders.models import CalendarFeed
from reminders.services import calendar_feed_for
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

from .conftest import at
from .factories import DUE, fixed_term_contract

TODAY = date(2027, 1, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def fetch(client, user) -> Calendar:
    feed = calendar_feed_for(user=user)
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_the_feed_holds_every_deadline_of_the_user_as_all_day_events(client, project_lead):
    contract = fixed_term_contract(owner=project_lead)
    process = OutsourcedProcessFactory(contract=contract, owner=project_lead)
    milestone = MilestoneFactory(process=process, due_date=DUE, owner=project_lead)
    MilestoneFactory(due_date=DUE, owner=UserFactory())  # someone else's
    found = events(fetch(client, project_lead))
    summaries = sorted(str(e["SUMMARY"]) for e in found.values())
    assert summaries == [
        f"Decision date: {process}",
        f"Milestone due: {milestone} ({process})",
        f"Notice deadline: {contract}",
    ]
    by_summary = {str(e["SUMMARY"]): e for e in found.values()}
    notice = by_summary[f"Notice deadline: {contract}"]
    assert notice.decoded("DTSTART") == date(2027, 6, 30)  # a date: an all-day event
    assert notice.decoded("DTEND") == date(2027, 7, 1)
    assert str(notice["URL"]) == f"http://testserver{contract.get_absolute_url()}"


@pytest.mark.django_db
def test_event_uids_are_stable_and_follow_a_moved_due_date(client, project_lead):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    first = events(fetch(client, project_lead))
    again = events(fetch(client, project_lead))
    assert set(first) == set(again)
    milestone.due_date = DUE + timedelta(days=10)
    milestone.save()
    moved = events(fetch(client, project_lead))
    [uid] = [uid for uid in moved if uid.startswith("milestone_due-")]
    assert uid in first
    assert moved[uid].decoded("DTSTART") == DUE + timedelta(days=10)


@pytest.mark.django_db
def test_a_wrong_token_is_not_found(client):
    response = client.get(reverse("reminders:calendar_feed", args=["not-the-token"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_replacing_the_address_revokes_the_old_one(client, project_lead):
    old_url = calendar_feed_for(user=project_lead).get_absolute_url()
    client.force_login(project_lead)
    response = client.post(reverse("reminders:calendar_regenerate"), {"confirm": "on"})
    assert response.status_code == 302
    client.logout()
    assert client.get(old_url).status_code == 404
    new_url = CalendarFeed.objects.get(user=project_lead).get_absolute_url()
    assert new_url != old_url
    assert client.get(new_url).status_code == 200


@pytest.mark.django_db
def test_replacing_the_address_needs_confirmation(client, project_lead):
    token = calendar_feed_for(user=project_lead).token
    client.force_login(project_lead)
    client.post(reverse("reminders:calendar_regenerate"), {})
    assert CalendarFeed.objects.get(user=project_lead).token == token


@pytest.mark.django_db
def test_a_deactivated_users_feed_is_not_found(client, project_lead):
    url = calendar_feed_for(user=project_lead).get_absolute_url()
    project_lead.is_active = False
    project_lead.save()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_feed_page_shows_the_subscription_address_and_the_deadlines(client, project_lead):
    milestone = MilestoneFactory(due_date=DUE, owner=project_lead)
    client.force_login(project_lead)
    response = client.get(reverse("reminders:calendar"))
    feed = CalendarFeed.objects.get(user=project_lead)
    assert response.status_code == 200
    assert f"http://testserver/calendar/{feed.token}.ics" in response.content.decode()
    assert milestone.title in response.content.decode()


@pytest.mark.django_db
def test_the_feed_page_needs_a_login_but_the_feed_does_not(client, project_lead):
    url = calendar_feed_for(user=project_lead).get_absolute_url()
    assert client.get(reverse("reminders:calendar")).status_code == 302
    assert client.get(url).status_code == 200
