"""The deliverables endpoint: filters by contract and process, create and record through
the service (a due date before notice refused), roles, evidence by multipart, query counts."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import Deliverable
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.services import notice_serve

TODAY = date(2026, 11, 24)
URL = "/api/v1/deliverables/"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def ready(contract, **fields):
    process = OutsourcedProcessFactory(contract=contract, **fields)
    ReadinessAssessmentFactory(process=process)
    return process


@pytest.fixture
def setup(operations_manager, project_lead, other_lead):
    """Contract A: two processes, notice served on the first (led by Liam) only; contract B
    under notice as a whole."""
    a, b = ContractFactory(exit_assistance_months=3), ContractFactory()
    first, second = ready(a, lead=project_lead), ready(a, lead=other_lead)
    ready(b)
    on_first = notice_serve(
        actor=operations_manager, contract=a, served_on=TODAY, processes=[first.pk]
    )
    on_b = notice_serve(actor=operations_manager, contract=b, served_on=TODAY)
    return {"a": a, "b": b, "first": first, "second": second, "notice": on_first, "on_b": on_b}


def test_filters_by_contract_process_status_and_due_date(client_for, viewer, setup):
    client = client_for(viewer)
    by_contract = client.get(URL, {"contract": setup["a"].pk}).json()
    assert by_contract["count"] == 9
    assert {row["exit_notice"] for row in by_contract["results"]} == {setup["notice"].pk}
    assert client.get(URL, {"process": setup["first"].pk}).json()["count"] == 9
    assert client.get(URL, {"process": setup["second"].pk}).json()["count"] == 0
    due = client.get(URL, {"contract": setup["a"].pk, "due_date_before": "2026-12-04"}).json()
    assert [row["title"] for row in due["results"]] == ["Exit information"]
    assert client.get(URL, {"status": "accepted"}).json()["count"] == 0
    assert client.get(URL, {"status": "requested"}).json()["count"] == 18


def test_a_due_date_before_notice_is_refused_and_nothing_written(
    client_for, operations_manager, setup
):
    response = client_for(operations_manager).post(
        URL,
        {"exit_notice": setup["notice"].pk, "title": "Escrow", "due_date": "2026-11-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "A due date before notice" in response.json()["due_date"][0]
    assert "24 Nov 2026" in response.json()["due_date"][0]
    assert not Deliverable.objects.filter(title="Escrow").exists()


def test_create_takes_the_contract_and_owner_from_the_notice(client_for, operations_manager, setup):
    response = client_for(operations_manager).post(
        URL,
        {"exit_notice": setup["notice"].pk, "title": "Escrow", "due_date": "2026-12-20"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contract"] == setup["a"].pk
    assert body["owner"] == setup["a"].owner_id
    assert body["status"] == "requested"


@pytest.mark.parametrize(
    ("role", "status"),
    [("operations_manager", 200), ("project_lead", 200), ("other_lead", 403), ("viewer", 403)],
)
def test_who_may_record_through_the_api(request, client_for, setup, role, status):
    row = setup["notice"].deliverables.get(title="Data return")
    response = client_for(request.getfixturevalue(role)).patch(
        f"{URL}{row.pk}/", {"status": "waived", "acceptance_note": "Not needed."}, format="json"
    )
    assert response.status_code == status
    row.refresh_from_db()
    assert row.status == ("waived" if status == 200 else "requested")


def test_evidence_is_uploaded_as_multipart_and_accept_records_who(
    client_for, project_lead, viewer, setup
):
    row = setup["notice"].deliverables.get(title="Register of assets")
    client = client_for(project_lead)
    evidence = SimpleUploadedFile("assets.pdf", PDF, content_type="application/pdf")
    response = client.patch(
        f"{URL}{row.pk}/",
        {"status": "received", "received_on": "2026-11-24", "evidence": evidence},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    download = f"http://testserver{URL}{row.pk}/evidence/"
    assert response.json()["evidence"] == download
    # Anyone who may read the deliverable downloads it through the API, token or session.
    answer = client_for(viewer).get(download)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    response = client.patch(f"{URL}{row.pk}/", {"status": "accepted"}, format="json")
    assert response.json()["decided_by"] == project_lead.pk
    assert response.json()["decided_on"] == "2026-11-24"
    row.refresh_from_db()
    row.evidence.delete(save=False)


@pytest.mark.parametrize("notices", [1, 4])
def test_the_list_costs_the_same_queries_for_any_number_of_rows(
    client_for, viewer, operations_manager, django_assert_num_queries, notices
):
    for _n in range(notices):
        contract = ContractFactory()
        ready(contract)
        notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)
    client = client_for(viewer)
    # session, user, count, the page of rows (notice, contract and people joined)
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.json()["count"] == 9 * notices
