"""The baselines API: save (400 naming the field on bad input), list, variance, delete."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.models import Baseline, BaselineMilestone, Milestone
from transition.services.baselines import baseline_save

URL = "/api/v1/baselines/"


@pytest.fixture
def lead_client(client_for, project_lead):
    return client_for(project_lead)


def test_a_lead_saves_a_baseline_of_a_process_they_lead(lead_client, project_lead, process):
    response = lead_client.post(URL, {"process": process.pk, "name": " Approved "}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Approved"
    assert body["process"] == process.pk
    assert body["programme"] is None
    assert body["milestone_count"] == 1
    assert body["created_by_name"] == project_lead.get_full_name()
    assert Baseline.objects.get().entries.count() == 1


def test_a_repeated_name_is_a_400_naming_the_field_and_nothing_is_written(
    ops_client, operations_manager, process
):
    baseline_save(actor=operations_manager, process=process, name="Approved")

    response = ops_client.post(URL, {"process": process.pk, "name": "Approved"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "name": [
            "The process “Fulfilment” already has a baseline called “Approved”; "
            "choose another name."
        ]
    }
    assert Baseline.objects.count() == 1
    assert BaselineMilestone.objects.count() == 1


@pytest.mark.parametrize("both", [True, False])
def test_both_or_neither_subject_is_a_400(ops_client, process, both):
    payload = {"name": "Approved"}
    if both:
        payload |= {"process": process.pk, "programme": process.programme_id}

    response = ops_client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Save a baseline of either a process or a programme."]
    }
    assert not Baseline.objects.exists()


def test_a_blank_name_and_an_unknown_process_are_400s(ops_client, process):
    blank = ops_client.post(URL, {"process": process.pk, "name": "  "}, format="json")
    unknown = ops_client.post(URL, {"process": 999, "name": "X"}, format="json")

    assert blank.status_code == unknown.status_code == 400
    assert "name" in blank.json()
    assert "process" in unknown.json()


@pytest.mark.parametrize(
    ("who", "status"),
    [("operations_manager", 201), ("project_lead", 201), ("other_lead", 403), ("viewer", 403)],
)
def test_who_may_save_a_process_baseline(client_for, request, process, who, status):
    client = client_for(request.getfixturevalue(who))

    response = client.post(URL, {"process": process.pk, "name": "B"}, format="json")

    assert response.status_code == status
    assert Baseline.objects.exists() is (status == 201)


@pytest.mark.parametrize(("who", "status"), [("operations_manager", 201), ("project_lead", 403)])
def test_only_operations_managers_save_a_programme_baseline(
    client_for, request, process, who, status
):
    client = client_for(request.getfixturevalue(who))

    response = client.post(URL, {"programme": process.programme_id, "name": "B"}, format="json")

    assert response.status_code == status


def test_the_list_filters_by_process_and_programme(client_for, viewer, operations_manager, process):
    other = OutsourcedProcessFactory(programme=process.programme)
    mine = baseline_save(actor=operations_manager, process=process, name="Mine")
    baseline_save(actor=operations_manager, process=other, name="Other")
    programme = baseline_save(actor=operations_manager, programme=process.programme, name="P")
    client = client_for(viewer)

    by_process = client.get(URL, {"process": process.pk}).json()
    by_programme = client.get(URL, {"programme": process.programme_id}).json()

    assert [row["id"] for row in by_process["results"]] == [mine.pk]
    assert [row["id"] for row in by_programme["results"]] == [programme.pk]
    assert client.get(URL).json()["count"] == 3


def test_retrieve_carries_the_variance(client_for, viewer, operations_manager, process):
    baseline = baseline_save(actor=operations_manager, process=process, name="B")
    Milestone.objects.filter(process=process).update(due_date=date(2027, 4, 10))  # +10
    added = MilestoneFactory(process=process, title="Hypercare", due_date=date(2027, 5, 1))

    response = client_for(viewer).get(f"{URL}{baseline.pk}/")

    assert response.status_code == 200
    variance = response.json()["variance"]
    (row,) = variance["rows"]
    assert row["title"] == "Plan"
    assert row["status"] == "later"
    assert row["variance_days"] == 10
    assert row["baseline_due"] == "2027-03-31"
    assert row["current_due"] == "2027-04-10"
    assert [r["milestone"] for r in variance["added"]] == [added.pk]
    assert variance["removed"] == []
    assert variance["summary"]["later"] == 1
    assert variance["summary"]["max_slip_days"] == 10
    assert variance["summary"]["total"] == 2
    assert variance["summary"]["finish_variance_days"] == 31


def test_baselines_are_never_edited(ops_client, operations_manager, process):
    baseline = baseline_save(actor=operations_manager, process=process, name="B")

    response = ops_client.patch(f"{URL}{baseline.pk}/", {"name": "C"}, format="json")

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [("operations_manager", 204), ("project_lead", 204), ("other_lead", 403), ("viewer", 403)],
)
def test_the_creator_or_an_operations_manager_deletes(
    client_for, request, project_lead, process, who, status
):
    baseline = baseline_save(actor=project_lead, process=process, name="B")

    response = client_for(request.getfixturevalue(who)).delete(f"{URL}{baseline.pk}/")

    assert response.status_code == status
    assert Baseline.objects.exists() is (status != 204)


@pytest.mark.parametrize("size", [1, 25])
def test_list_and_retrieve_run_a_pinned_number_of_queries(
    client_for, viewer, operations_manager, size
):
    process = OutsourcedProcessFactory()
    for number in range(size):
        MilestoneFactory(process=process)
        baseline_save(actor=operations_manager, process=process, name=f"B{number}")
    client = client_for(viewer)
    last = Baseline.objects.latest("pk")

    with CaptureQueriesContext(connection) as listed:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as retrieved:
        assert client.get(f"{URL}{last.pk}/").status_code == 200

    # Session, user, count, page (reading needs no role, so no groups).
    assert len(listed) == 4
    # Session, user, the baseline, its entries, the milestones.
    assert len(retrieved) == 5
