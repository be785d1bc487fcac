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
from django.utils.html import escape

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
from transition.models import Milestone, OutsourcedProcess

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


def test_the_timeline_draws_hostile_names_as_escaped_text_in_the_svg_and_the_table(
    client, portfolio
):
    """The timeline is drawn on the server as HTML and inline SVG: a name that closes an SVG
    <text>, opens a <script> or breaks out of an attribute stays text in the bar's label,
    its tooltip (<title>), the column of names and the table of all dates."""
    process = portfolio.process
    first, second = portfolio.objects[4], portfolio.objects[5]
    names = {
        "process": "P </text><script>alert('XSS')</script>",
        first.pk: "M1 \"><img src=x onerror=alert('XSS')>",
        second.pk: "M2 </text></title><script>alert('XSS')</script>",
    }
    OutsourcedProcess.objects.filter(pk=process.pk).update(name=names["process"])
    for pk in (first.pk, second.pk):
        Milestone.objects.filter(pk=pk).update(title=names[pk])
    client.force_login(portfolio.ops)

    response = client.get(reverse("transition:programme_gantt", args=[process.programme_id]))

    html = response.content.decode()
    for name in names.values():
        assert name not in html
    for pk in (first.pk, second.pk):
        shown = escape(names[pk])
        label = re.findall(r'<text class="gantt-label[^"]*"[^>]*>([^<]*)</text>', html)
        assert shown in label, label
        assert f"<title>{shown}: " in html
        assert f'<a href="/milestones/{pk}/">{shown}</a>' in html  # the names and the table
        assert html.count(f'<a href="/milestones/{pk}/">{shown}</a>') == 2
    assert f"<td>{escape(names[first.pk])}</td>" in html  # "Waits for", in the table
    shown = escape(names["process"])
    assert f'<a class="fw-semibold" href="{process.get_absolute_url()}">{shown}</a>' in html
    assert (
        f'<th scope="rowgroup" colspan="7"><a href="{process.get_absolute_url()}">{shown}</a>'
        in (html)
    )
    assert "<script>alert" not in html
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
