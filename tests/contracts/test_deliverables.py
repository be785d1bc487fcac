"""Termination-assistance deliverables: the default checklist applied when notice is served,
recorded received, accepted, rejected or waived, who may do it, and the RAG they drive.

Today is frozen at 2026-11-24. The factory contract renews yearly from 2027-12-31 with
three months' notice, so notice received today ends the service on 2027-12-31; with six
months of termination assistance, the assistance ends on 2028-06-30.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import Deliverable, DeliverableTemplate
from contracts.services_deliverables import deliverable_save
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.models import OutsourcedProcess
from transition.selectors import process_list
from transition.services import apply_transition, notice_serve, notice_withdraw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

EXIT = date(2027, 12, 31)
ASSISTANCE_END = date(2028, 6, 30)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

# The default checklist of contracts/migrations/0009 and the due dates it gives here.
EXPECTED = {
    "Exit information": TODAY + timedelta(days=10),
    "Register of assets": TODAY + timedelta(days=20),
    "Register of intellectual property": TODAY + timedelta(days=20),
    "Register of sub-contracts": TODAY + timedelta(days=20),
    "Knowledge transfer complete": EXIT,
    "Data return": EXIT,
    "Novation of contracts": EXIT,
    "Access revocation": EXIT + timedelta(days=1),
    "Data deletion certificate": ASSISTANCE_END,
}


def ready(contract, **fields) -> OutsourcedProcess:
    process = OutsourcedProcessFactory(contract=contract, **fields)
    ReadinessAssessmentFactory(process=process)
    return process


@pytest.fixture
def contract(db):
    return ContractFactory(exit_assistance_months=6)


@pytest.fixture
def served(operations_manager, project_lead, contract):
    """A whole-contract notice served today on a contract with one process led by Liam."""
    ready(contract, lead=project_lead)
    return notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)


def test_the_default_checklist_follows_schedule_8_5_and_is_editable_rows():
    titles = list(DeliverableTemplate.objects.filter(active=True).values_list("title", flat=True))
    assert titles == list(EXPECTED)


def test_serving_notice_applies_the_checklist_with_dates_per_anchor_and_the_owner(served, contract):
    rows = {d.title: d for d in Deliverable.objects.filter(exit_notice=served)}
    assert {title: row.due_date for title, row in rows.items()} == EXPECTED
    assert {row.owner_id for row in rows.values()} == {contract.owner_id}
    assert {row.status for row in rows.values()} == {Deliverable.Status.REQUESTED}
    assert {row.contract_id for row in rows.values()} == {contract.pk}
    assert rows["Data return"].history.count() == 1


def test_a_notice_on_named_processes_gets_its_own_checklist(operations_manager, contract):
    first, second = ready(contract), ready(contract)
    notice = notice_serve(
        actor=operations_manager, contract=contract, served_on=TODAY, processes=[first.pk]
    )
    assert notice.deliverables.count() == len(EXPECTED)
    later = notice_serve(
        actor=operations_manager, contract=contract, served_on=TODAY, processes=[second.pk]
    )
    assert later.deliverables.count() == len(EXPECTED)
    assert Deliverable.objects.filter(contract=contract).count() == 2 * len(EXPECTED)


def test_serving_and_withdrawing_on_a_process_page_applies_and_waives_the_checklist(
    operations_manager, contract
):
    """The workflow's own serve (a process's page) records a notice naming that process:
    it owes the same checklist; withdrawing its only process withdraws it and waives it."""
    process = ready(contract)
    process = apply_transition(process, "serve_exit_notice", operations_manager, served_on=TODAY)
    notice = process.exit_notice
    assert {d.title: d.due_date for d in notice.deliverables.all()} == EXPECTED

    apply_transition(process, "withdraw_notice", operations_manager, reason="Price cut.")
    assert set(notice.deliverables.values_list("status", flat=True)) == {"waived"}


def test_an_inactive_template_is_not_applied(operations_manager, contract):
    DeliverableTemplate.objects.filter(title="Novation of contracts").update(active=False)
    ready(contract)
    notice = notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)
    assert "Novation of contracts" not in set(notice.deliverables.values_list("title", flat=True))


def test_a_refused_notice_writes_no_deliverable(operations_manager, contract):
    ready(contract)
    with pytest.raises(ValidationError):
        notice_serve(
            actor=operations_manager, contract=contract, served_on=TODAY + timedelta(days=1)
        )
    assert not Deliverable.objects.exists()


def test_withdrawing_notice_waives_what_is_open_and_keeps_what_was_received(
    operations_manager, served
):
    data = served.deliverables.get(title="Exit information")
    deliverable_save(
        actor=operations_manager, deliverable=data, status="received", received_on=TODAY
    )
    notice_withdraw(actor=operations_manager, notice=served, reason="Price cut.")
    statuses = dict(served.deliverables.values_list("title", "status"))
    assert statuses.pop("Exit information") == "received"
    assert set(statuses.values()) == {"waived"}
    note = served.deliverables.get(title="Data return").acceptance_note
    assert note == "Notice withdrawn on 24 Nov 2026."


def test_a_due_date_before_notice_is_refused_naming_both_dates(operations_manager, served):
    with pytest.raises(ValidationError) as refused:
        deliverable_save(
            actor=operations_manager,
            exit_notice=served,
            title="Escrow release",
            due_date=TODAY - timedelta(days=1),
        )
    message = refused.value.message_dict["due_date"][0]
    assert "A due date before notice" in message
    assert "23 Nov 2026" in message
    assert "24 Nov 2026" in message
    assert not Deliverable.objects.filter(title="Escrow release").exists()


def test_recording_received_with_evidence_stores_the_file(operations_manager, served):
    row = served.deliverables.get(title="Register of assets")
    evidence = SimpleUploadedFile("assets.pdf", PDF, content_type="application/pdf")
    deliverable_save(
        actor=operations_manager,
        deliverable=row,
        status="received",
        received_on=TODAY,
        evidence=evidence,
    )
    row.refresh_from_db()
    assert row.status == "received"
    assert row.received_on == TODAY
    assert row.evidence.name.startswith(f"contracts/{row.contract_id}/deliverables/")
    row.evidence.delete(save=False)


def test_evidence_of_a_wrong_type_is_refused_and_nothing_written(operations_manager, served):
    row = served.deliverables.get(title="Register of assets")
    evil = SimpleUploadedFile("assets.pdf", HTML, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        deliverable_save(
            actor=operations_manager,
            deliverable=row,
            status="received",
            received_on=TODAY,
            evidence=evil,
        )
    assert "evidence" in refused.value.message_dict
    row.refresh_from_db()
    assert row.status == "requested"
    assert not row.evidence


def test_received_in_the_future_or_without_a_date_is_refused(operations_manager, served):
    row = served.deliverables.get(title="Register of assets")
    with pytest.raises(ValidationError) as refused:
        deliverable_save(
            actor=operations_manager,
            deliverable=row,
            status="received",
            received_on=TODAY + timedelta(days=2),
        )
    assert "26 Nov 2026" in refused.value.message_dict["received_on"][0]
    with pytest.raises(ValidationError) as refused:
        deliverable_save(actor=operations_manager, deliverable=row, status="accepted")
    assert "received_on" in refused.value.message_dict


def test_accepting_and_rejecting_record_who_decided_and_when(
    operations_manager, project_lead, served
):
    row = served.deliverables.get(title="Data return")
    deliverable_save(
        actor=operations_manager, deliverable=row, status="received", received_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        deliverable_save(actor=project_lead, deliverable=row, status="rejected")
    assert "Say why “Data return” is rejected." in refused.value.message_dict["acceptance_note"]
    deliverable_save(
        actor=project_lead,
        deliverable=row,
        status="rejected",
        acceptance_note="CSV files are truncated.",
    )
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.decided_on) == ("rejected", project_lead, TODAY)
    assert row.is_open  # rejected is still owed
    with time_machine.travel(date(2026, 11, 30), tick=False):
        deliverable_save(
            actor=operations_manager,
            deliverable=row,
            status="accepted",
            acceptance_note="Complete now.",
        )
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.decided_on) == (
        "accepted",
        operations_manager,
        date(2026, 11, 30),
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("operations_manager", True),
        ("project_lead", True),
        ("other_lead", False),
        ("viewer", False),
    ],
)
def test_who_may_record_a_deliverable(request, served, who, allowed):
    actor = request.getfixturevalue(who)
    row = served.deliverables.get(title="Data return")
    assert actor.has_perm("contracts.edit_deliverable", row) is allowed
    if allowed:
        deliverable_save(actor=actor, deliverable=row, status="waived", acceptance_note="n/a")
        assert Deliverable.objects.get(pk=row.pk).status == "waived"
    else:
        with pytest.raises(PermissionDenied):
            deliverable_save(actor=actor, deliverable=row, status="waived", acceptance_note="x")
        assert Deliverable.objects.get(pk=row.pk).status == "requested"


def test_a_lead_may_edit_only_notices_naming_a_process_they_lead(
    operations_manager, project_lead, other_lead, contract
):
    mine, theirs = ready(contract, lead=project_lead), ready(contract, lead=other_lead)
    notice = notice_serve(
        actor=operations_manager, contract=contract, served_on=TODAY, processes=[theirs.pk]
    )
    assert not project_lead.has_perm("contracts.edit_deliverable", notice)
    assert other_lead.has_perm("contracts.edit_deliverable", notice)
    assert not project_lead.has_perm("contracts.edit_deliverable")  # no object: denied
    assert mine.exit_notice_id is None


def _rag(process_pk, on):
    return process_list().get(pk=process_pk).rag_explained_on(on)


def test_an_overdue_deliverable_turns_the_process_amber_naming_it(served, contract):
    process = contract.processes.get()
    on = TODAY + timedelta(days=11)
    rag, reason = _rag(process.pk, on)
    assert rag == "amber"
    assert reason == "“Exit information” from the provider is overdue (due 4 Dec 2026)."
    # Received but not yet accepted: still owed, and the reason says whose move it is.
    Deliverable.objects.filter(title="Exit information").update(status="received", received_on=on)
    assert _rag(process.pk, on) == (
        "amber",
        "“Exit information” was received and awaits our acceptance (due 4 Dec 2026).",
    )
    Deliverable.objects.filter(title="Exit information").update(status="rejected")
    assert (
        _rag(process.pk, on)[1]
        == "“Exit information” was rejected and is owed again (due 4 Dec 2026)."
    )
    Deliverable.objects.filter(title="Exit information").update(status="accepted", received_on=on)
    assert _rag(process.pk, on) == ("green", "")


def test_a_deliverable_open_after_the_assistance_ends_turns_the_process_red(served, contract):
    process = contract.processes.get()
    Deliverable.objects.exclude(title="Data deletion certificate").update(status="waived")
    assert _rag(process.pk, ASSISTANCE_END)[0] == "green"  # due that day: not late yet
    rag, reason = _rag(process.pk, ASSISTANCE_END + timedelta(days=1))
    assert rag == "red"
    assert reason == (
        "“Data deletion certificate” (due 30 Jun 2028) is still open after termination "
        "assistance ended on 30 Jun 2028."
    )


def test_the_rag_inputs_are_annotations_one_query_for_any_number_of_processes(
    django_assert_num_queries, operations_manager, contract
):
    for _n in range(3):
        ready(contract)
    notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)
    # processes + readiness + milestones: the deliverables come with the first.
    with django_assert_num_queries(3):
        rows = list(process_list().filter(contract=contract))
        assert [row.open_deliverable_title for row in rows] == ["Exit information"] * 3
