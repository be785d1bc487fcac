"""The pages the benchmark measures, and their query counts measured in-process.

Shared by bench/run.py (timings over HTTP, queries with Django's test client against the
same database) and tests/bench/test_bench_smoke.py (query counts equal at two scales).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from reminders.models import CalendarFeed
from transition.demo.scale import BENCH_USERNAME, CALENDAR_USERNAME
from transition.models import OutsourcedProcess, Programme


@dataclass(frozen=True)
class Page:
    name: str
    path: str


def bench_user():
    return get_user_model().objects.get(username=BENCH_USERNAME)


def pages() -> list[Page]:
    """The issue's table, in its order, resolved against the generated portfolio."""
    biggest = Programme.objects.annotate(n=Count("processes")).order_by("-n", "pk").first()
    calendar_user = get_user_model().objects.get(username=CALENDAR_USERNAME)
    feed, _ = CalendarFeed.objects.get_or_create(user=calendar_user)
    # A contract with a process in transition: notices, processes and events to show.
    contract = (
        Contract.objects.filter(processes__state=OutsourcedProcess.State.TRANSITION)
        .order_by("pk")
        .first()
    ) or Contract.objects.order_by("pk").first()
    if biggest is None or contract is None:
        raise LookupError("No portfolio here: run `manage.py make_portfolio` first.")
    return [
        Page("dashboard", reverse("dashboard")),
        Page(
            "calendar .ics (200 deadlines)", reverse("reminders:calendar_feed", args=[feed.token])
        ),
        Page("board", reverse("transition:process_board")),
        Page(
            "Gantt of the biggest programme",
            reverse("transition:programme_gantt", args=[biggest.pk]),
        ),
        Page("process list", reverse("transition:process_list")),
        Page("milestone list", reverse("transition:milestone_list")),
        Page("programme page", reverse("transition:programme_detail", args=[biggest.pk])),
        Page("contract list", reverse("contracts:contract_list")),
        Page("/api/v1/processes/", "/api/v1/processes/"),
        Page("contract detail", reverse("contracts:contract_detail", args=[contract.pk])),
        Page("notifications", reverse("reminders:inbox")),
    ]


@dataclass(frozen=True)
class Counted:
    page: Page
    status: int
    queries: int
    size: int


def count_queries(client, page: Page) -> Counted:
    """One GET through the test client; the queries it ran and the bytes it returned."""
    # After a bulk load the log (9,000 entries) may be full, and then reads nothing new.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path)
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
    return Counted(page, response.status_code, len(captured), len(body))
