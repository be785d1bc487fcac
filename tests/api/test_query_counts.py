"""Query counts of the API process list: pinned, and the same for 1 process as for 20.

Every count includes the session, the user, the page count, the page, the readiness
prefetch (RAG) and, when a transition is offered, the user's groups (rules). The guards
then need, for the whole page at once: nothing more before notice (contract and readiness
are loaded already) or under notice (the milestone count is annotated), and the open
milestones, unsettled assets and unsettled staff (three queries) during the transition.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

State = OutsourcedProcess.State
URL = "/api/v1/processes/?page_size=50"
TRANSITIONS_FROM = {
    State.OUTSOURCED: 1,
    State.EXIT_NOTICE: 2,
    State.TRANSITION: 1,
    State.IN_HOUSE: 0,
}


def add_processes(states: list[str], lead) -> None:
    """A process in each of `states`, each with a milestone, an asset, a person, readiness."""
    for state in states:
        process = OutsourcedProcessFactory(state=state, lead=lead)
        MilestoneFactory(process=process)
        AssetFactory(process=process)
        StaffMemberFactory(process=process)
        ReadinessAssessmentFactory(process=process)


# Each + 4 for the page's schedules (issue 14): the milestones (with the RAG's inputs),
# assets, staff and change freezes of the processes on the page.
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.OUTSOURCED, 10),
        (State.EXIT_NOTICE, 10),
        (State.TRANSITION, 13),
        (State.IN_HOUSE, 9),
    ],
)
def test_the_process_list_costs_the_same_for_one_process_as_for_twenty(
    client_for, operations_manager, project_lead, django_assert_num_queries, state, expected
):
    client = client_for(operations_manager)
    add_processes([state], project_lead)
    with django_assert_num_queries(expected):
        one = client.get(URL)
    add_processes([state] * 19, project_lead)
    with django_assert_num_queries(expected):
        twenty = client.get(URL)

    assert (one.data["count"], twenty.data["count"]) == (1, 20)
    offered = {len(row["available_transitions"]) for row in twenty.data["results"]}
    assert offered == {TRANSITIONS_FROM[state]}


def test_a_page_mixing_every_state_loads_each_guard_input_once(
    client_for, operations_manager, project_lead, django_assert_num_queries
):
    client = client_for(operations_manager)
    add_processes(
        [State.OUTSOURCED, State.EXIT_NOTICE, State.TRANSITION, State.IN_HOUSE] * 5, project_lead
    )

    with django_assert_num_queries(13):  # + 4 for the page's schedules (issue 14)
        response = client.get(URL)

    assert response.data["count"] == 20


def test_the_options_on_a_page_are_those_of_each_process_alone(
    client_for, operations_manager, project_lead
):
    """Loading the guards' inputs for the page gives every row its own reasons."""
    client = client_for(operations_manager)
    add_processes([State.TRANSITION, State.TRANSITION], project_lead)
    settled = OutsourcedProcess.objects.order_by("pk").last()
    settled.milestones.update(status="done", completed_on=date(2026, 11, 1))
    settled.assets.update(status="transferred", transferred_on=date(2026, 11, 1))
    settled.staff.update(status="onboarded")

    rows = {row["id"]: row for row in client.get(URL).data["results"]}

    [blocked] = [row for pk, row in rows.items() if pk != settled.pk]
    [complete_blocked] = blocked["available_transitions"]
    [complete_allowed] = rows[settled.pk]["available_transitions"]
    assert (complete_blocked["allowed"], len(complete_blocked["reasons"])) == (False, 3)
    assert (complete_allowed["allowed"], complete_allowed["reasons"]) == (True, [])
