"""The API's schedule: the process carries its findings, forecast, margins, critical path
and RAG reason; milestones refuse or flag as the pages do; freezes at /api/v1/freezes/."""

from datetime import date

import pytest

from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
)
from transition.models import ChangeFreeze, Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def process(operations_manager, project_lead):
    return OutsourcedProcessFactory(
        owner=operations_manager, lead=project_lead, exit_date=date(2027, 3, 31)
    )


def test_the_process_carries_its_schedule(ops_client, process):
    late = MilestoneFactory(process=process, kind="go_live", due_date=date(2027, 4, 10))

    for url in (f"/api/v1/processes/{process.pk}/", "/api/v1/processes/"):
        body = ops_client.get(url).json()
        row = body if "id" in body else body["results"][0]
        assert row["forecast_ready_date"] == "2027-04-10"
        assert row["ready_margin_days"] == -10
        assert row["critical_path"] == [late.pk]
        assert row["rag"] == "red"
        assert "10 Apr 2027" in row["rag_reason"]
        [issue] = [i for i in row["schedule_issues"] if i["code"] == "handover_after_exit"]
        assert issue["severity"] == "error"
        assert "31 Mar 2027" in issue["message"]


def test_a_milestone_inside_a_freeze_is_refused_for_a_lead_and_allowed_with_an_override(
    client_for, project_lead, operations_manager, process
):
    ChangeFreeze.objects.create(
        programme=process.programme,
        name="Peak",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
    )
    payload = {
        "process": process.pk,
        "title": "Switch",
        "kind": "cut_over",
        "due_date": "2026-12-15",
    }
    refused = client_for(project_lead).post("/api/v1/milestones/", payload, format="json")
    assert refused.status_code == 400
    assert "Peak" in str(refused.json())
    assert not Milestone.objects.exists()

    lead_override = client_for(project_lead).post(
        "/api/v1/milestones/", {**payload, "freeze_override_reason": "Please"}, format="json"
    )
    assert lead_override.status_code == 400
    assert not Milestone.objects.exists()

    allowed = client_for(operations_manager).post(
        "/api/v1/milestones/", {**payload, "freeze_override_reason": "CFO agreed"}, format="json"
    )
    assert allowed.status_code == 201, allowed.json()
    body = allowed.json()
    assert body["freeze_override_by"] == operations_manager.pk
    assert body["freeze_overridden_at"]
    assert [w["code"] for w in body["schedule_warnings"]] == ["freeze_overridden"]


def test_a_flagged_milestone_is_saved_with_its_warning(client_for, project_lead, process):
    response = client_for(project_lead).post(
        "/api/v1/milestones/",
        {"process": process.pk, "title": "Go", "kind": "go_live", "due_date": "2027-04-02"},
        format="json",
    )
    assert response.status_code == 201
    assert "handover_after_exit" in [w["code"] for w in response.json()["schedule_warnings"]]


def test_freezes_crud_and_end_before_start(ops_client, client_for, project_lead):
    programme = ProgrammeFactory()
    other = ProgrammeFactory()
    ChangeFreeze.objects.create(
        programme=other, name="Other", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 2)
    )
    bad = ops_client.post(
        "/api/v1/freezes/",
        {
            "programme": programme.pk,
            "name": "Audit",
            "starts_on": "2027-02-10",
            "ends_on": "2027-02-01",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "1 Feb 2027" in str(bad.json())
    assert not ChangeFreeze.objects.filter(programme=programme).exists()

    made = ops_client.post(
        "/api/v1/freezes/",
        {
            "programme": programme.pk,
            "name": "Audit",
            "starts_on": "2027-02-01",
            "ends_on": "2027-02-10",
        },
        format="json",
    )
    assert made.status_code == 201
    listed = ops_client.get(f"/api/v1/freezes/?programme={programme.pk}").json()
    assert [row["name"] for row in listed["results"]] == ["Audit"]

    lead = client_for(project_lead)
    assert lead.get("/api/v1/freezes/").status_code == 200
    pk = made.json()["id"]
    assert lead.patch(f"/api/v1/freezes/{pk}/", {"name": "X"}, format="json").status_code == 403
    assert ops_client.delete(f"/api/v1/freezes/{pk}/").status_code == 204
