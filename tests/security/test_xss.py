"""User text is data everywhere: hostile text in every field never becomes markup or script.

The corpus (tests/security/corpus.py) is written through the API into every free-text field
of every kind of object; then every page the URL configuration has, the Django admin, the
reminder e-mails and the calendar feed are rendered and inspected.
"""

import re
from datetime import timedelta

import icalendar
import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse

from core.clock import local_today
from reminders import services as reminder_services
from tests.security.corpus import (
    PAYLOADS,
    RESOURCES,
    free_text_fields,
    hostile_portfolio,
    unescaped_payloads,
)
from tests.security.site import ANSWERS_WITHOUT_A_PAGE, concrete_paths, page_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    return hostile_portfolio()


def test_every_free_text_field_holds_a_payload_stored_as_typed(portfolio):
    written = {(resource, name) for resource, name, _text in portfolio.written}
    for model, (resource, skip) in RESOURCES.items():
        for model_field in free_text_fields(model, skip):
            assert (resource, model_field.name) in written
    stored = {
        getattr(type(obj).objects.get(pk=obj.pk), f.name)
        for obj in portfolio.objects
        for f in obj._meta.concrete_fields
    }
    for _resource, _name, text in portfolio.written:
        assert text in stored
    assert {text.rsplit(" ", 1)[0] for _r, _f, text in portfolio.written} >= set(PAYLOADS)


def test_no_page_turns_user_text_into_markup(client, portfolio):
    client.force_login(portfolio.ops)
    pks = {obj.pk for obj in portfolio.objects}
    inspected = 0
    for name, route in page_routes():
        for path in concrete_paths(route, pks):
            response = client.get(path)
            assert response.status_code in ANSWERS_WITHOUT_A_PAGE, (name, path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            assert unescaped_payloads(html) == [], (name, path)
            assert "md5$" not in html, f"user text was rendered as a template on {path}"
            inspected += 1
    assert inspected >= 30, "too few pages were inspected to trust this test"


def test_the_timeline_hands_names_to_javascript_only_as_json_text(client, portfolio):
    client.force_login(portfolio.ops)
    response = client.get(
        reverse("transition:programme_gantt", args=[portfolio.process.programme_id])
    )
    html = response.content.decode()
    data = html.split('id="gantt-tasks" type="application/json">', 1)[1].split("</script>")[0]
    assert "XSS" in data
    assert "\\u003C" in data
    assert "<" not in data
    assert unescaped_payloads(html) == []


def test_no_admin_page_turns_user_text_into_markup(admin_client, portfolio):
    inspected = 0
    for obj in portfolio.objects:
        opts = obj._meta
        if obj.__class__ not in admin.site._registry:
            continue
        for view, args in (("changelist", []), ("change", [obj.pk]), ("history", [obj.pk])):
            path = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
            response = admin_client.get(path)
            assert response.status_code == 200, path
            assert unescaped_payloads(response.content.decode()) == [], path
            inspected += 1
    assert inspected >= 20


def test_reminder_emails_carry_user_text_as_text(portfolio):
    milestone = portfolio.objects[4]
    milestone.due_date = local_today() + timedelta(days=7)
    milestone.save()
    reminder_services.reminders_sweep()
    assert mail.outbox, "no reminder went out, so nothing was inspected"
    for message in mail.outbox:
        html = next(body for body, kind in message.alternatives if kind == "text/html")
        assert unescaped_payloads(html) == [], message.subject
        assert "\n" not in message.subject


def test_the_calendar_feed_carries_user_text_as_text(client, portfolio):
    client.force_login(portfolio.ops)
    feed = reminder_services.calendar_feed_for(user=portfolio.ops)
    response = client.get(reverse("reminders:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(event.get("SUMMARY")) for event in calendar.walk("VEVENT")]
    assert summaries, "the feed holds no event to inspect"
    assert any("XSS" in summary for summary in summaries)
    # Folded iCalendar text: every line break inside a value is escaped, so user text
    # cannot start a property of its own.
    assert not re.search(rb"\r\n(?!( |\t))[A-Z-]+;?[^:\r\n]*:.*XSS", response.content) or all(
        line.split(b":", 1)[0] in {b"SUMMARY", b"DESCRIPTION", b"LOCATION", b"URL"}
        for line in response.content.split(b"\r\n")
        if b"XSS" in line and not line.startswith((b" ", b"\t"))
    )
