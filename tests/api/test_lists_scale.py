"""Every API list runs a pinned number of queries for one page, whatever the portfolio
(docs/performance.md): a page of processes in every workflow state, led by different
people, costs what a page of four does, and never more rows than the page size.

Counts include the session, the user, the page count and the page; the process list adds
the readiness prefetch (RAG), the guards' inputs for the whole page (milestones, assets,
staff) and the user's groups (rules).
"""

from datetime import date

import pytest

from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.factories import UserFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PAGE = 25
State = OutsourcedProcess.State
STATES = [State.OUTSOURCED, State.EXIT_NOTICE, State.TRANSITION, State.IN_HOUSE]


def add_portfolio(count: int, lead) -> None:
    """`count` processes cycling through the states, half led by `lead`, each under a
    contract of its own with a full plan (two dependent milestones, asset, person)."""
    for n in range(count):
        process = OutsourcedProcessFactory(
            state=STATES[n % len(STATES)],
            lead=lead if n % 2 else UserFactory(),
            contract=ContractFactory(provider=ServiceProviderFactory()),
        )
        first = MilestoneFactory(process=process, start_date=date(2026, 12, 1))
        MilestoneFactory(process=process).depends_on.add(first)
        AssetFactory(process=process)
        StaffMemberFactory(process=process)
        ReadinessAssessmentFactory(process=process)


LISTS = [
    ("processes", 13),  # + 4 for the page's schedules (issue 14)
    ("programmes", 4),
    ("contracts", 5),
    ("providers", 4),
    ("milestones", 5),
    ("assets", 4),
    ("staff", 4),
]


@pytest.mark.parametrize(("name", "expected"), LISTS)
@pytest.mark.parametrize("role", ["operations_manager", "project_lead", "viewer"])
def test_an_api_list_costs_the_same_for_four_rows_as_for_a_full_page(
    request, client_for, project_lead, django_assert_num_queries, name, expected, role
):
    client = client_for(request.getfixturevalue(role))
    url = f"/api/v1/{name}/"
    add_portfolio(4, project_lead)
    with django_assert_num_queries(expected):
        small = client.get(url)
    assert small.status_code == 200

    add_portfolio(2 * PAGE, project_lead)
    with django_assert_num_queries(expected):
        large = client.get(url)
    assert large.status_code == 200
    assert len(large.json()["results"]) == PAGE
    assert large.json()["count"] > PAGE


def test_a_page_of_processes_offers_each_its_own_transitions(
    client_for, operations_manager, project_lead
):
    """Worked out for the page at once, the options are still those of each row's state."""
    add_portfolio(8, project_lead)
    rows = client_for(operations_manager).get("/api/v1/processes/").json()["results"]
    offered = {
        row["state"]: sorted(t["name"] for t in row["available_transitions"]) for row in rows
    }
    assert offered == {
        "outsourced": ["serve_exit_notice"],
        "exit_notice": ["start_transition", "withdraw_notice"],
        "transition": ["complete"],
        "in_house": [],
    }
