"""Deliverable pages: the contract's checklist, the process's "Termination assistance"
card, a deliverable's page with its evidence, the forms; pinned query counts."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Deliverable
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.services import notice_serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def ready(contract, **fields):
    process = OutsourcedProcessFactory(contract=contract, **fields)
    ReadinessAssessmentFactory(process=process)
    return process


@pytest.fixture
def served(operations_manager, project_lead):
    contract = ContractFactory(exit_assistance_months=6)
    ready(contract, lead=project_lead)
    return notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)


def test_the_contract_page_lists_each_notices_checklist_with_overdue_flagged(
    client, viewer, served
):
    Deliverable.objects.filter(title="Exit information").update(due_date=TODAY - timedelta(days=1))
    client.force_login(viewer)
    page = client.get(served.contract.get_absolute_url()).content.decode()
    assert 'id="deliverables"' in page
    assert "Register of intellectual property" in page
    assert "1 overdue" in page
    assert 'class="table-danger"' in page
    assert "Add a deliverable" not in page  # a viewer reads


def test_an_overdue_deliverable_is_flagged_on_the_process_card(client, project_lead, served):
    row = served.deliverables.get(title="Exit information")
    Deliverable.objects.filter(pk=row.pk).update(due_date=TODAY - timedelta(days=1))
    client.force_login(project_lead)
    process = served.processes.get()
    page = client.get(process.get_absolute_url()).content.decode()
    assert 'id="termination-assistance"' in page
    assert "1 overdue" in page
    assert "Add a deliverable" in page  # Liam leads a process under this notice


def test_the_form_refuses_a_due_date_before_notice(client, operations_manager, served):
    client.force_login(operations_manager)
    url = reverse("contracts:deliverable_create") + f"?notice={served.pk}"
    response = client.post(url, {"title": "Escrow", "category": "other", "due_date": "2026-11-01"})
    assert response.status_code == 200
    assert "A due date before notice" in response.content.decode()
    assert not Deliverable.objects.filter(title="Escrow").exists()


def test_recording_received_with_evidence_then_downloading_it(client, project_lead, served):
    row = served.deliverables.get(title="Register of assets")
    client.force_login(project_lead)
    evidence = SimpleUploadedFile("assets.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("contracts:deliverable_record", args=[row.pk]),
        {"status": "received", "received_on": TODAY.isoformat(), "evidence": evidence},
    )
    assert response.status_code == 302
    page = client.get(row.get_absolute_url()).content.decode()
    assert reverse("contracts:deliverable_evidence", args=[row.pk]) in page
    download = client.get(reverse("contracts:deliverable_evidence", args=[row.pk]))
    assert b"".join(download.streaming_content) == PDF
    Deliverable.objects.get(pk=row.pk).evidence.delete(save=False)


def test_a_refused_record_shows_why_and_writes_nothing(client, operations_manager, served):
    row = served.deliverables.get(title="Register of assets")
    client.force_login(operations_manager)
    response = client.post(
        reverse("contracts:deliverable_record", args=[row.pk]),
        {"status": "rejected", "received_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "Say why “Register of assets” is rejected." in response.content.decode()
    assert Deliverable.objects.get(pk=row.pk).status == "requested"


def test_other_leads_and_viewers_cannot_record(client, other_lead, viewer, served):
    row = served.deliverables.get(title="Register of assets")
    for user in (other_lead, viewer):
        client.force_login(user)
        response = client.post(
            reverse("contracts:deliverable_record", args=[row.pk]),
            {"status": "waived", "acceptance_note": "x"},
        )
        assert response.status_code == 403
    assert Deliverable.objects.get(pk=row.pk).status == "requested"


@pytest.mark.parametrize("extra", [0, 20])
def test_the_contract_page_costs_one_query_for_its_checklists_whatever_their_length(
    client, viewer, served, extra, django_assert_num_queries
):
    for n in range(extra):
        Deliverable.objects.create(
            exit_notice=served,
            contract=served.contract,
            title=f"Extra {n}",
            due_date=date(2027, 1, 1),
            owner=served.contract.owner,
        )
    client.force_login(viewer)
    # The contract page's 11 (tests/contracts/test_views.py) with one process and a
    # notice: + the notice's processes and serve events (transition's notices panel),
    # + the deliverables of the notices (one query).
    with django_assert_num_queries(14):
        client.get(served.contract.get_absolute_url())


@pytest.mark.parametrize("extra", [0, 20])
def test_the_process_card_costs_one_query_whatever_its_length(
    client, operations_manager, served, extra
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(extra):
        Deliverable.objects.create(
            exit_notice=served,
            contract=served.contract,
            title=f"Extra {n}",
            due_date=date(2027, 1, 1),
        )
    client.force_login(operations_manager)
    url = served.processes.get().get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    ours = [q["sql"] for q in queries if 'FROM "contracts_deliverable"' in q["sql"]]
    # The RAG's annotation (in the process's own query) and the card's one query.
    assert len(ours) == 2


def test_the_admin_refuses_a_due_date_before_notice_and_lists_the_checklist(
    client, served, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    response = client.post(
        reverse("admin:contracts_deliverable_add"),
        {
            "exit_notice": served.pk,
            "title": "Escrow",
            "category": "other",
            "due_date": "2026-11-01",
            "status": "requested",
        },
    )
    assert response.status_code == 200
    assert "A due date before notice" in response.content.decode()
    assert not Deliverable.objects.filter(title="Escrow").exists()
    templates = client.get(reverse("admin:contracts_deliverabletemplate_changelist"))
    assert "Data deletion certificate" in templates.content.decode()
