"""/api/v1/exit-plans/, /api/v1/rehearsals/ and /api/v1/remediation-actions/, and the
register's exit-plan fields on /api/v1/processes/."""

import threading
from datetime import date

import pytest
from django.db import connection

from tests.transition.exit_plan_factories import (
    ExitPlanFactory,
    RehearsalFactory,
    RemediationActionFactory,
)
from tests.transition.factories import OutsourcedProcessFactory
from transition import services
from transition.models import ExitPlan, Rehearsal, RemediationAction

pytestmark = pytest.mark.usefixtures("frozen_today")

PLANS = "/api/v1/exit-plans/"
REHEARSALS = "/api/v1/rehearsals/"
ACTIONS = "/api/v1/remediation-actions/"
CONTENT = {
    "objectives": "Bring it in-house.",
    "triggers": ["termination"],
    "business_impact": "Orders stop.",
    "roles": "Exit manager.",
    "success_criteria": "98% on time.",
    "substitutability": "difficult",
    "reintegration": "highly_complex",
}


def test_draft_patch_approve_and_review(ops_client, operations_manager, process):
    created = ops_client.post(
        PLANS, {"process": process.pk, **CONTENT, "owner": operations_manager.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert (created.json()["version"], created.json()["status"]) == (1, "draft")

    patched = ops_client.patch(f"{PLANS}{plan_id}/", {"roles": "Exit board"}, format="json")
    assert patched.json()["roles"] == "Exit board"
    approved = ops_client.post(f"{PLANS}{plan_id}/approve/", {"on": "2026-03-03"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["next_review_due"]) == (
        "approved",
        "2027-03-03",
    )
    reviewed = ops_client.post(f"{PLANS}{plan_id}/review/", {"reviewed_on": "2026-11-01"})
    assert reviewed.json()["next_review_due"] == "2027-11-01"
    refused = ops_client.patch(f"{PLANS}{plan_id}/", {"roles": "x"}, format="json")
    assert refused.status_code == 400
    assert "start a new draft" in str(refused.json())


def test_approving_with_no_owner_or_a_bad_trigger_is_a_400_and_nothing_changes(ops_client, process):
    bad = ops_client.post(PLANS, {"process": process.pk, "triggers": ["meteor"]}, format="json")
    assert bad.status_code == 400
    assert "triggers" in bad.json()
    plan = ExitPlanFactory(process=process, owner=None)

    response = ops_client.post(f"{PLANS}{plan.pk}/approve/", {}, format="json")

    assert response.status_code == 400
    assert "an exit plan approved with no owner" in response.json()["owner"][0]
    plan.refresh_from_db()
    assert plan.status == "draft"


@pytest.mark.parametrize(
    ("role", "plan_status", "rehearsal_status"),
    [
        ("operations_manager", 201, 201),
        ("project_lead", 403, 201),
        ("other_lead", 403, 403),
        ("viewer", 403, 403),
    ],
)
def test_who_may_write(client_for, request, process, role, plan_status, rehearsal_status):
    client = client_for(request.getfixturevalue(role))
    plan = ExitPlanFactory(process=process, approved=True)

    assert client.post(PLANS, {"process": process.pk}, format="json").status_code == plan_status
    rehearsal = {"process": process.pk, "held_on": "2026-11-20", "scenario": "x", "outcome": "pass"}
    assert client.post(REHEARSALS, rehearsal, format="json").status_code == rehearsal_status
    assert client.get(f"{PLANS}{plan.pk}/").status_code == 200


def test_a_rehearsal_in_the_future_is_a_400_naming_the_date(ops_client, process):
    ExitPlanFactory(process=process, approved=True)

    response = ops_client.post(
        REHEARSALS,
        {"process": process.pk, "held_on": "2026-12-01", "scenario": "x", "outcome": "fail"},
        format="json",
    )

    assert response.status_code == 400
    assert "1 Dec 2026" in response.json()["held_on"][0]
    assert not Rehearsal.objects.exists()


def test_rehearsals_and_actions_round_trip(client_for, project_lead, process):
    client = client_for(project_lead)
    plan = ExitPlanFactory(process=process, approved=True)
    created = client.post(
        REHEARSALS,
        {"exit_plan": plan.pk, "held_on": "2026-09-12", "scenario": "x", "outcome": "partial"},
        format="json",
    )
    assert created.json()["next_test_due"] == "2027-03-12"  # partial: retested in 6 months
    rehearsal_id = created.json()["id"]
    action = client.post(
        ACTIONS, {"rehearsal": rehearsal_id, "title": "Fix", "due_date": "2026-12-31"}
    ).json()

    closing = client.patch(f"{ACTIONS}{action['id']}/", {"status": "closed"}, format="json")
    assert closing.status_code == 400
    assert "closed_on" in closing.json()
    closed = client.patch(
        f"{ACTIONS}{action['id']}/", {"status": "closed", "closed_on": "2026-11-20"}
    )
    assert closed.json()["closed_on"] == "2026-11-20"
    listed = client.get(REHEARSALS, {"process": process.pk}).json()["results"]
    assert listed[0]["actions"][0]["status"] == "closed"


def test_lists_filter_by_process_and_status(client_for, viewer, process):
    ExitPlanFactory(process=process, approved=True)
    ExitPlanFactory(process=process)
    ExitPlanFactory()
    client = client_for(viewer)

    assert len(client.get(PLANS, {"process": process.pk}).json()["results"]) == 2
    drafts = client.get(PLANS, {"process": process.pk, "status": "draft"}).json()["results"]
    assert [p["version"] for p in drafts] == [2]


@pytest.mark.parametrize("size", [1, 15])
def test_list_queries_are_pinned(client_for, viewer, django_assert_num_queries, size):
    for _ in range(size):
        RemediationActionFactory()
    client = client_for(viewer)

    # session, user, COUNT, the page.
    with django_assert_num_queries(4):
        assert client.get(PLANS).status_code == 200
    # session, user, COUNT, the page with plan and process, the actions prefetched.
    with django_assert_num_queries(5):
        assert client.get(REHEARSALS).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(ACTIONS).status_code == 200


def test_the_process_api_carries_the_register_fields(client_for, viewer, process):
    plan = ExitPlanFactory(process=process, approved=True)
    RehearsalFactory(exit_plan=plan, held_on=date(2026, 9, 12))
    bare = OutsourcedProcessFactory()
    client = client_for(viewer)

    row = client.get(f"/api/v1/processes/{process.pk}/").json()
    empty = client.get(f"/api/v1/processes/{bare.pk}/").json()

    assert (
        row["exit_plan_exists"],
        row["exit_plan_tested"],
        row["substitutability"],
        row["reintegration"],
    ) == (True, "2026-09-12", "difficult", "easy")
    assert (empty["exit_plan_exists"], empty["exit_plan_tested"], empty["reintegration"]) == (
        False,
        None,
        "",
    )


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
def test_two_approvals_racing_leave_exactly_one_version_in_force(operations_manager):
    process = OutsourcedProcessFactory()
    plan = ExitPlanFactory(process=process, owner=operations_manager)
    barrier = threading.Barrier(2)
    outcomes, lock = [], threading.Lock()

    def attempt():
        try:
            mine = ExitPlan.objects.get(pk=plan.pk)
            barrier.wait(timeout=10)
            try:
                services.exit_plan_approve(plan=mine, actor=operations_manager)
                outcome = "approved"
            except Exception as error:  # the refusal, or anything else (fails below)
                outcome = type(error).__name__
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ValidationError", "approved"]
    assert ExitPlan.objects.approved().filter(process=process).count() == 1


def test_remediation_action_writes_are_checked_on_the_rehearsals_process(
    client_for, other_lead, process
):
    action = RemediationActionFactory(rehearsal__exit_plan__process=process)

    response = client_for(other_lead).patch(f"{ACTIONS}{action.pk}/", {"title": "x"})

    assert response.status_code == 403
    assert RemediationAction.objects.get().title != "x"
