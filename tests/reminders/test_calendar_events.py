"""Each calendar event says what is due, its detail and its page, and carries an alarm the
day before at 09:00; the feed page offers a Copy link button (issue 16, item 9)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from reminders import calendar as feed_module
from reminders.calendar import feed_version
from reminders.services import calendar_feed_for
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

from .conftest import at
from .factories import DUE, fixed_term_contract

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def feed_events(client, user) -> dict[str, object]:
    response = client.get(calendar_feed_for(user=user).get_absolute_url())
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_an_event_describes_what_is_due_its_detail_and_its_page(client, project_lead):
    contract = fixed_term_contract(owner=project_lead)
    process = OutsourcedProcessFactory(contract=contract, owner=project_lead)
    milestone = MilestoneFactory(process=process, due_date=DUE, owner=project_lead, title="Cut")

    found = feed_events(client, project_lead)

    event = found[f"Milestone due: {milestone} ({milestone.process})"]
    description = str(event["DESCRIPTION"])
    assert description.startswith(
        f"Milestone due: {milestone} ({milestone.process}), due 31 March 2027."
    )
    assert description.endswith(f"http://testserver{milestone.get_absolute_url()}")
    notice = str(found[f"Notice deadline: {contract}"]["DESCRIPTION"])
    assert "due 30 June 2027." in notice
    assert notice.endswith(f"http://testserver{contract.get_absolute_url()}")


def test_every_event_has_a_display_alarm_the_day_before_at_nine(client, project_lead):
    process = OutsourcedProcessFactory(
        contract=fixed_term_contract(owner=project_lead), owner=project_lead
    )
    MilestoneFactory(process=process, due_date=DUE, owner=project_lead)

    found = feed_events(client, project_lead)

    assert len(found) == 3
    for summary, event in found.items():
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == -timedelta(hours=15)  # 09:00 the day before
        assert summary in str(alarm["DESCRIPTION"])


def test_the_format_number_is_part_of_the_etag(project_lead, monkeypatch):
    current = feed_version(project_lead.pk, TODAY, fallback=False).etag
    monkeypatch.setattr(feed_module, "FEED_FORMAT", feed_module.FEED_FORMAT - 1)

    assert feed_version(project_lead.pk, TODAY, fallback=False).etag != current


def test_the_feed_page_has_a_copy_link_button_run_by_a_static_script(client, project_lead):
    client.force_login(project_lead)

    html = client.get(reverse("reminders:calendar")).content.decode()

    assert 'data-copy-target="feed-url"' in html
    assert "Copy link" in html
    assert "/static/js/copy-link.js" in html
    assert "onclick" not in html
