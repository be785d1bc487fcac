"""Deliverables import and export: all or nothing, rows keyed by contract + notice received
on + title, a due date before notice refused naming the row, formulas neutralised."""

import pytest

from contracts.models import Deliverable
from imports.resources import RESOURCES
from imports.services import import_rows, read_sheet
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.services import notice_serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

HEADER = (
    "contract,notice_served_on,title,category,due_date,owner,status,received_on,acceptance_note\n"
)


def run(actor, content):
    return import_rows(
        actor=actor,
        kind="deliverables",
        sheet=read_sheet(content.encode(), "deliverables.csv"),
        dry_run=False,
    )


@pytest.fixture
def served(operations_manager):
    contract = ContractFactory(reference="C-77")
    process = OutsourcedProcessFactory(contract=contract)
    ReadinessAssessmentFactory(process=process)
    return notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)


def test_deliverables_are_a_kind_of_import():
    assert "deliverables" in RESOURCES


def test_a_good_file_adds_and_records_deliverables(operations_manager, served):
    report = run(
        operations_manager,
        HEADER
        + "C-77,2026-11-24,Escrow release,other,2027-01-15,,requested,,\n"
        + "C-77,2026-11-24,Exit information,exit_information,2026-12-04,,accepted,"
        + "2026-11-24,Complete\n",
    )
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    row = served.deliverables.get(title="Exit information")
    assert (row.status, row.decided_by, row.decided_on) == ("accepted", operations_manager, TODAY)


def test_a_due_date_before_notice_rolls_the_whole_file_back(operations_manager, served):
    report = run(
        operations_manager,
        HEADER
        + "C-77,2026-11-24,Escrow release,other,2027-01-15,,requested,,\n"
        + "C-77,2026-11-24,Too early,other,2026-11-01,,requested,,\n",
    )
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "due_date")]
    assert "A due date before notice" in report.errors[0].message
    assert not Deliverable.objects.filter(title__in=["Escrow release", "Too early"]).exists()


def test_an_unknown_notice_is_named(operations_manager, served):
    report = run(operations_manager, HEADER + "C-77,2026-10-01,X,other,2027-01-15,,,,\n")
    assert not report.ok
    assert "Contract C-77 has no notice received on 2026-10-01." in report.errors[0].message


def test_an_export_neutralises_formulas_and_imports_back_unchanged(operations_manager, served):
    Deliverable.objects.filter(title="Data return").update(acceptance_note="=HYPERLINK(1)")
    resource = RESOURCES["deliverables"]()
    headers, rows = resource.export_headers_and_rows(Deliverable.objects.all())
    rows = list(rows)
    assert headers[:3] == ["contract", "notice_served_on", "title"]
    assert rows[5][:3] == ["C-77", "2026-11-24", "Data return"]
