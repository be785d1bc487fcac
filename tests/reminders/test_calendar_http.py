"""The calendar feed at portfolio scale: a constant number of queries whatever the user's
deadlines, and HTTP caching that makes a client's poll cost two small queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from reminders.services import calendar_feed_for
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.models import Milestone, OutsourcedProcess

from .conftest import at
from .factories import DUE, fixed_term_contract

TODAY = date(2027, 1, 15)
# The feed and whether its user is in the fallback group; the fingerprint; then one query
# per kind of deadline (nine with the RAID log's due dates, thirteen with issue 15's
# deliverables, exit-plan reviews and tests, and remediation actions), plus the outsourced
# processes the two notice kinds' wording names.
FEED_QUERIES = 2 + 13 + 2
NOT_MODIFIED_QUERIES = 2
# {kind}-{app}-{model}-{pk}[-{YYYYMMDD}]@{host}, as reminders.ical.event_uid writes it.
UID = re.compile(r"^(?P<kind>[a-z_]+)-[a-z_]+-(?P<model>[a-z_]+)-(?P<pk>\d+)(?:-\d{8})?@")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    cache.clear()  # the moments fingerprints were first served (Last-Modified)
    with time_machine.travel(at(TODAY), tick=False):
        yield


def portfolio(user, milestones: int):
    """A contract the user owns (a notice deadline, a dispatch-by day and a decision date)
    and `milestones` of theirs, among the same of another user."""
    other = UserFactory(username=f"other-of-{user.username}")
    for person in (user, other):
        contract = fixed_term_contract(owner=person, notice_transit_days=2)
        process = OutsourcedProcessFactory(contract=contract, owner=person, lead=person)
        for n in range(milestones):
            MilestoneFactory(process=process, owner=person, due_date=DUE + timedelta(days=n))
    return other


def events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


@pytest.mark.parametrize("milestones", [0, 37])
def test_the_feed_takes_the_same_queries_for_3_deadlines_as_for_40(
    client, django_assert_num_queries, milestones
):
    user = UserFactory(username="lead")
    portfolio(user, milestones)
    url = calendar_feed_for(user=user).get_absolute_url()
    with django_assert_num_queries(FEED_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    # Notice deadline, dispatch-by day, decision date, and the milestones: 3 and 40, only
    # the user's (the other user's contract, process and milestones are left out).
    process = OutsourcedProcess.objects.get(owner=user)
    mine = {
        ("contract", process.contract_id),
        ("outsourcedprocess", process.pk),
        *(
            ("milestone", pk)
            for pk in Milestone.objects.filter(owner=user).values_list("pk", flat=True)
        ),
    }
    found = [UID.match(str(event["UID"])) for event in events(response)]
    assert len(found) == 3 + milestones
    assert {(uid["model"], int(uid["pk"])) for uid in found} <= mine


def test_a_poll_with_the_etag_is_a_304_without_a_body(client, django_assert_num_queries):
    user = UserFactory(username="lead")
    portfolio(user, 5)
    url = calendar_feed_for(user=user).get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, max-age=900"
    etag = first["ETag"]
    assert etag.startswith('"')  # strong: not W/"…"
    with django_assert_num_queries(NOT_MODIFIED_QUERIES):
        again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "private, max-age=900"
    # The same data gives the same bytes: the ETag is a strong one.
    assert client.get(url).content == first.content


def test_a_poll_with_if_modified_since_is_a_304_until_the_feed_changes(client):
    user = UserFactory(username="lead")
    portfolio(user, 2)
    url = calendar_feed_for(user=user).get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    with time_machine.travel(at(TODAY, 10), tick=False):
        moved = Milestone.objects.filter(owner=user).first()
        moved.due_date += timedelta(days=1)
        moved.save()
        changed = client.get(url, headers={"if-modified-since": last_modified})
    assert changed.status_code == 200
    assert changed["Last-Modified"] != last_modified


def test_a_wrong_token_is_still_not_found_with_a_validator(client):
    url = reverse("reminders:calendar_feed", args=["not-the-token"])
    assert client.get(url, headers={"if-none-match": "*"}).status_code == 404


def etag(client, user) -> str:
    response = client.get(calendar_feed_for(user=user).get_absolute_url())
    assert response.status_code == 200
    return response["ETag"]


def test_moving_one_of_the_users_milestones_changes_the_etag(client):
    user = UserFactory(username="lead")
    portfolio(user, 3)
    before = etag(client, user)
    # The middle one: neither the first nor the last date of the feed moves.
    middle = Milestone.objects.filter(owner=user).order_by("due_date")[1]
    middle.due_date += timedelta(days=1)
    middle.save()
    assert etag(client, user) != before


def test_completing_or_handing_over_one_of_the_users_milestones_changes_the_etag(client):
    user = UserFactory(username="lead")
    other = portfolio(user, 3)
    before = etag(client, user)
    milestone = Milestone.objects.filter(owner=user).first()
    milestone.owner = other
    milestone.save()
    handed_over = etag(client, user)
    assert handed_over != before


def test_another_users_change_leaves_the_etag_alone(client):
    user = UserFactory(username="lead")
    other = portfolio(user, 3)
    before = etag(client, user)
    theirs = Milestone.objects.filter(owner=other).first()
    theirs.due_date += timedelta(days=3)
    theirs.save()
    MilestoneFactory(owner=other, due_date=DUE)
    assert etag(client, user) == before
    assert etag(client, other) != before


def test_the_next_day_is_another_etag(client):
    user = UserFactory(username="lead")
    portfolio(user, 3)
    before = etag(client, user)
    with time_machine.travel(at(TODAY + timedelta(days=1)), tick=False):
        assert etag(client, user) != before
