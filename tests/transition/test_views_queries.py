"""Query counts of the transition pages: pinned, and the same for 1 row as for 25 (STYLE.md).

Counts include the session, the user, the user's groups (rules), the unread-notification
badge and, for users who are not operations managers, Django's permission cache.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_processes(programme, lead, count: int) -> None:
    """`count` processes, each with two dependent milestones, an asset, a person, readiness."""
    for _ in range(count):
        process = OutsourcedProcessFactory(programme=programme, lead=lead)
        first = MilestoneFactory(process=process, start_date=date(2026, 12, 1))
        MilestoneFactory(process=process).depends_on.add(first)
        AssetFactory(process=process, transfer_due=date(2027, 1, 15))
        StaffMemberFactory(process=process, planned_start=date(2027, 2, 1))
        ReadinessAssessmentFactory(process=process)


# The programme list and the board add one grouped money query (transition/selectors/
# portfolio.py); the process list's money query also counts its rows, so it costs none more.
# Converting a currency other than the reporting one adds one query for the rates (below).
# The contract and process filters list only their chosen option (transition/filters.py,
# SuggestSelect), so no query lists those tables.
# Each register list: + its saved views (docs/saved-views.md); the milestone list: + the
# new-owner choices of its bulk action (docs/bulk-actions.md; the process list reuses its
# filter's). The board: + the contracts' stale notice dates (none), which rank a process
# still outsourced after its decision date (docs/contracts-list.md).
LIST_PAGES = [
    ("transition:programme_list", 9),
    # The process list and the board: + the milestones the RAG's forecast reads (issue 14).
    ("transition:process_list", 11),
    ("transition:milestone_list", 10),
    ("transition:asset_list", 8),
    ("transition:staff_list", 8),
    ("transition:process_board", 10),
]


@pytest.mark.parametrize(("name", "expected"), LIST_PAGES)
def test_list_pages_run_a_pinned_number_of_queries_whatever_the_rows(
    client, operations_manager, project_lead, name, expected
):
    client.force_login(operations_manager)
    programme = ProgrammeFactory()
    add_processes(programme, project_lead, 1)
    one_row = queries_for(client, reverse(name))
    add_processes(programme, project_lead, 24)
    many_rows = queries_for(client, reverse(name))

    assert one_row == many_rows == expected
    assert expected <= 11


def test_the_gantt_page_runs_a_pinned_number_of_queries_whatever_the_processes(
    client, viewer, project_lead
):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    url = reverse("transition:programme_gantt", args=[programme.pk])
    add_processes(programme, project_lead, 1)
    one = queries_for(client, url)
    add_processes(programme, project_lead, 24)

    # 8, plus the programme's change freezes and the baselines the page offers; the critical
    # path is computed from the milestones already loaded (transition/selectors/gantt.py).
    assert one == queries_for(client, url) == 10


def test_the_programme_page_runs_a_pinned_number_of_queries_whatever_the_processes(
    client, viewer, project_lead
):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    url = reverse("transition:programme_detail", args=[programme.pk])
    add_processes(programme, project_lead, 1)
    one = queries_for(client, url)
    add_processes(programme, project_lead, 24)

    # 7, plus the programme's money grouped by currency (transition/selectors/portfolio.py),
    # plus the schedule of the processes shown (issue 14): their milestones (the RAG's
    # forecast), assets and staff, and the programme's change freezes; plus the RAID heat
    # map (one grouped query).
    assert one == queries_for(client, url) == 13


def process_with_plan(state: str, lead, items: int):
    process = OutsourcedProcessFactory(lead=lead, state=state)
    previous = None
    for _ in range(items):
        milestone = MilestoneFactory(process=process)
        if previous is not None:
            milestone.depends_on.add(previous)
        previous = milestone
        AssetFactory(process=process)
        StaffMemberFactory(process=process)
        ReadinessAssessmentFactory(process=process)
    return process


# + the programme's change freezes for the Schedule panel and the process's RAID summary
# (one grouped query, raid/templatetags/raid_panels.py) (issue 14); + the scorecard card's
# KPIs joined to their actuals (one query, transition/templatetags/scorecard_panels.py); + the
# exit-plan card's status, subqueries of one query (transition/templatetags/exit_plan_panels.py).
WORKSPACE = [
    ("outsourced", "operations_manager", 14),
    ("exit_notice", "operations_manager", 15),
    ("transition", "operations_manager", 17),
    ("transition", "project_lead", 19),
    ("transition", "viewer", 16),
]


@pytest.mark.parametrize(("state", "role", "expected"), WORKSPACE)
def test_the_workspace_query_count_does_not_grow_with_the_plan(
    client, request, project_lead, state, role, expected
):
    client.force_login(request.getfixturevalue(role))
    small = process_with_plan(state, project_lead, 1)
    large = process_with_plan(state, project_lead, 25)
    small_count = queries_for(client, reverse("transition:process_detail", args=[small.pk]))
    large_count = queries_for(client, reverse("transition:process_detail", args=[large.pk]))

    assert small_count == large_count == expected
    assert expected <= 19
