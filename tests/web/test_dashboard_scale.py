"""The dashboard at portfolio scale: every section capped, counted in SQL, linked to a register
that lists the rest, and a number of queries that does not grow with the portfolio."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from reminders.models import Reminder
from reminders.triggers import deadlines_until
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess
from web.selectors import HORIZON_DAYS, MINE_LIMIT, OVERDUE_LIMIT, UPCOMING_LIMIT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

Kind = Reminder.Kind
HORIZON = TODAY + timedelta(days=HORIZON_DAYS)
DEADLINE_ROW = re.compile(r'<li class="list-group-item deadline ')


def portfolio(size: int, user) -> None:
    """`size` of everything, each kind of deadline in both sections, some of it `user`'s."""
    for n in range(size):
        contract = ContractFactory(
            owner=user, end_date=date(2027, 2, 28), notice_transit_days=n % 3
        )
        OutsourcedProcessFactory(contract=contract, owner=user, name=f"Kept {n:03d}")
        exiting = OutsourcedProcessFactory(
            contract=ContractFactory(exit_assistance_months=1),
            lead=user,
            state=OutsourcedProcess.State.EXIT_NOTICE,
            exit_date=TODAY + timedelta(days=10 + n % 60),
        )
        MilestoneFactory(process=exiting, owner=user, due_date=TODAY + timedelta(days=n % 80))
        MilestoneFactory(process=exiting, due_date=TODAY - timedelta(days=1 + n))
        AssetFactory(process=exiting, transfer_due=TODAY - timedelta(days=1 + n % 5))
        AssetFactory(process=exiting, transfer_due=TODAY + timedelta(days=20 + n % 40))
        StaffMemberFactory(process=exiting, planned_start=TODAY + timedelta(days=40 + n % 30))


def get_dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


# session, user, groups (rules), unread notifications, portfolio aggregate;
# deadlines the database dates, one ORDER BY … LIMIT carrying COUNT(*) OVER () for each
# section they appear in: milestones 2, asset transfers 2, ELI 1, exit dates 1, RAID items
# due 2, and deliverables 2, exit-plan reviews 2, exit-plan tests 2, remediation 2;
# the dates contracts store for the date engine: refreshing them 1 (nothing is stale),
# then as above notice deadlines 2 (with their outsourced processes), dispatch-by 2 (the
# same), decisions 2; assistance, dated in Python, the lean rows then the rows shown 2;
# mine: processes 2 (counts, rows), milestones 1 (rows with their count), contracts 2;
# the RAID log: open high risks 2 and overdue actions 2 (COUNT, rows); exit plans needing
# attention 2 (COUNT, rows).
DASHBOARD_QUERIES = 5 + 16 + 7 + 2 + 5 + 4 + 2


@pytest.mark.parametrize("size", [3, 60])
def test_the_dashboard_costs_the_same_queries_and_rows_at_any_size(
    client, operations_manager, django_assert_num_queries, size
):
    portfolio(size, operations_manager)
    client.force_login(operations_manager)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("dashboard"))

    dashboard = response.context["dashboard"]
    # Overdue per row: a milestone, an asset transfer, and the kept process's decision.
    assert dashboard.overdue_section.total == 3 * size
    assert len(dashboard.overdue) == min(3 * size, OVERDUE_LIMIT)
    assert len(dashboard.upcoming) == min(dashboard.upcoming_section.total, UPCOMING_LIMIT)
    assert len(DEADLINE_ROW.findall(response.content.decode())) == len(dashboard.overdue) + len(
        dashboard.upcoming
    )
    assert len(DEADLINE_ROW.findall(response.content.decode())) <= OVERDUE_LIMIT + UPCOMING_LIMIT
    mine = dashboard.mine
    assert (mine.processes.total, len(mine.processes)) == (2 * size, min(2 * size, MINE_LIMIT))
    assert (mine.contracts.total, len(mine.contracts)) == (size, min(size, MINE_LIMIT))
    assert (mine.milestones.total, len(mine.milestones)) == (size, min(size, MINE_LIMIT))


def test_the_capped_lists_are_the_first_of_every_deadline_and_count_them_all(
    client, operations_manager
):
    portfolio(40, operations_manager)

    dashboard = get_dashboard(client, operations_manager).context["dashboard"]

    every = deadlines_until(TODAY, HORIZON)
    overdue = [d for d in every if d.is_overdue(TODAY)]
    upcoming = [d for d in every if not d.is_overdue(TODAY)]

    def first(deadlines, limit):
        ordered = sorted(deadlines, key=lambda d: (d.due, d.kind, d.obj.pk))
        return {(d.kind, d.obj.pk, d.due) for d in ordered[:limit]}

    def shown(items):
        return {(i.deadline.kind, i.deadline.obj.pk, i.on) for i in items}

    assert shown(dashboard.overdue) == first(overdue, OVERDUE_LIMIT)
    assert shown(dashboard.upcoming) == first(upcoming, UPCOMING_LIMIT)
    assert dashboard.overdue_section.total == len(overdue)
    assert dashboard.upcoming_section.total == len(upcoming)
    by_kind = {count.kind: count.count for count in dashboard.upcoming_section.kinds}
    assert by_kind == {kind: sum(d.kind == kind for d in upcoming) for kind in by_kind}
    assert set(by_kind) == {d.kind for d in upcoming}
    # Longest overdue first, soonest first, as before the caps.
    assert [item.on for item in dashboard.overdue] == sorted(i.on for i in dashboard.overdue)
    assert dashboard.overdue[0].on == min(d.due for d in overdue)


@pytest.mark.parametrize("section", ["overdue_section", "upcoming_section"])
def test_each_linked_count_opens_a_register_listing_exactly_those(
    client, operations_manager, section
):
    portfolio(30, operations_manager)
    dashboard = get_dashboard(client, operations_manager).context["dashboard"]
    linked = [count for count in getattr(dashboard, section).kinds if count.url]

    assert {count.kind for count in linked} >= {Kind.MILESTONE_DUE, Kind.ASSET_TRANSFER_DUE}
    for count in linked:
        if count.kind == Kind.NOTICE_DEADLINE:
            continue  # the contract list also shows contracts with nothing outsourced
        response = client.get(count.url)
        assert response.status_code == 200, count.url
        assert response.context["paginator"].count == count.count, count.url


def test_the_page_says_how_many_there_are_and_links_the_rest(client, operations_manager):
    portfolio(30, operations_manager)

    response = get_dashboard(client, operations_manager)

    page = response.content.decode()
    dashboard = response.context["dashboard"]
    assert f"Showing the 10 longest overdue of {dashboard.overdue_section.total}." in page
    assert f"Showing the 25 soonest of {dashboard.upcoming_section.total}." in page
    milestones = reverse("transition:milestone_list")
    assert (
        f'href="{milestones}?open=true&amp;due_before={(TODAY - timedelta(days=1)).isoformat()}"'
        in page
    )
    assert f"{dashboard.overdue_section.total} overdue" in page
    user = operations_manager.pk
    assert f'href="{reverse("transition:process_list")}?owner={user}"' in page
    assert f'href="{reverse("transition:process_list")}?lead={user}"' in page
    assert "All 30 of your open milestones" in page
    assert f'href="{reverse("contracts:contract_list")}?owner={user}"' in page


def test_a_small_portfolio_shows_everything_and_no_more_links(client, operations_manager):
    portfolio(2, operations_manager)

    response = get_dashboard(client, operations_manager)

    page = response.content.decode()
    assert "Showing the" not in page
    assert 'data-testid="my-milestones-more"' not in page
    assert 'data-testid="my-processes-more"' not in page
