"""Importing historical exit notices: served and withdrawn through the notice services, the
whole file or nothing, with errors by row and column.

Today is frozen at 2026-11-24. The factory contracts renew yearly from 2027-12-31 with three
months' notice, so notice received in November 2026 ends the service on 2027-12-31.
"""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from contracts.models import ExitNotice
from imports.resources import RESOURCES, ExitNoticeResource
from imports.services import import_rows, read_sheet
from tests.contracts.factories import ContractFactory
from tests.transition.factories import (
    OutsourcedProcessFactory,
    ProgrammeFactory,
    ReadinessAssessmentFactory,
)
from transition.models import OutsourcedProcess, ProcessEvent
from transition.services import apply_transition, notice_serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

State = OutsourcedProcess.State
HEADER = (
    "contract,scope,served_on,dispatched_on,method,recipient,signed_by,note,processes,"
    "withdrawn_on,withdrawal_reason\n"
)


def run(actor, content, filename="notices.csv", dry_run=False):
    data = content.encode() if isinstance(content, str) else content
    return import_rows(
        actor=actor, kind="notices", sheet=read_sheet(data, filename), dry_run=dry_run
    )


def ready(contract, name, programme=None):
    process = OutsourcedProcessFactory(
        contract=contract, name=name, programme=programme or ProgrammeFactory()
    )
    ReadinessAssessmentFactory(process=process)
    return process


@pytest.fixture
def register():
    """Contract C-1 with two processes ready for notice, C-2 with one."""
    first, second = ContractFactory(reference="C-1"), ContractFactory(reference="C-2")
    return {
        "C-1": first,
        "C-2": second,
        "Returns": ready(first, "Returns"),
        "Warehousing": ready(first, "Warehousing"),
        "Payroll": ready(second, "Payroll"),
    }


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def states(register) -> dict[str, str]:
    return {name: fresh(register[name]).state for name in ("Returns", "Warehousing", "Payroll")}


def test_notices_are_a_kind_of_import():
    assert RESOURCES["notices"] is ExitNoticeResource
    resource = ExitNoticeResource()
    assert resource.required_columns() == ["contract", "served_on"]
    assert resource.column_names() == [
        "contract",
        "scope",
        "served_on",
        "dispatched_on",
        "method",
        "recipient",
        "signed_by",
        "note",
        "processes",
        "withdrawn_on",
        "withdrawal_reason",
        "provider_agreed",
        "exit_date",
    ]


def test_a_good_file_records_the_notices_and_moves_their_processes(operations_manager, register):
    content = HEADER + (
        "C-1,,2026-11-02,2026-10-30,Registered post,Company secretary,COO,By the board,,,\n"
        "C-2,processes,2026-11-10,,courier,,,,Payroll,,\n"
    )

    report = run(operations_manager, content)

    assert (report.ok, report.created, report.updated) == (True, 2, 0), report.errors
    whole = ExitNotice.objects.get(contract=register["C-1"])
    assert whole.scope == ExitNotice.Scope.WHOLE
    assert (whole.served_on, whole.dispatched_on) == (date(2026, 11, 2), date(2026, 10, 30))
    assert (whole.method, whole.recipient, whole.signed_by, whole.note) == (
        "registered_post",
        "Company secretary",
        "COO",
        "By the board",
    )
    assert whole.exit_date == date(2027, 12, 31)
    assert whole.served_by == operations_manager
    partial = ExitNotice.objects.get(contract=register["C-2"])
    assert partial.scope == ExitNotice.Scope.PROCESSES
    assert states(register) == dict.fromkeys(("Returns", "Warehousing", "Payroll"), "exit_notice")
    for name, notice in (("Returns", whole), ("Warehousing", whole), ("Payroll", partial)):
        process = fresh(register[name])
        assert process.exit_notice == notice
        assert process.notice_served_on == notice.served_on
        (event,) = ProcessEvent.objects.filter(process=process)
        assert (event.transition, event.notice, event.actor) == (
            "serve_exit_notice",
            notice,
            operations_manager,
        )


def test_a_notice_on_named_processes_moves_only_those(operations_manager, register):
    report = run(operations_manager, HEADER + "C-1,,2026-11-02,,,,,,Warehousing,,\n")

    assert report.ok, report.errors
    assert states(register) == {
        "Returns": "outsourced",
        "Warehousing": "exit_notice",
        "Payroll": "outsourced",
    }
    assert ExitNotice.objects.get().scope == ExitNotice.Scope.PROCESSES


def test_a_withdrawn_notice_is_served_then_withdrawn(operations_manager, register):
    content = (
        "contract,served_on,processes,withdrawn_on,withdrawal_reason,provider_agreed\n"
        "C-2,2026-11-02,Payroll,2026-11-16,Price cut agreed,yes\n"
    )

    report = run(operations_manager, content)

    assert report.ok, report.errors
    notice = ExitNotice.objects.get()
    assert (notice.withdrawn_on, notice.withdrawal_reason, notice.provider_agreed) == (
        date(2026, 11, 16),
        "Price cut agreed",
        True,
    )
    assert notice.withdrawn_by == operations_manager
    payroll = fresh(register["Payroll"])
    assert payroll.state == State.OUTSOURCED
    assert payroll.exit_notice is None
    assert list(
        ProcessEvent.objects.filter(process=payroll).order_by("pk").values_list("transition")
    ) == [("serve_exit_notice",), ("withdraw_notice",)]


def test_an_xlsx_file_with_date_cells_imports(operations_manager, register):
    workbook = Workbook()
    workbook.active.append(["contract", "served_on", "processes"])
    workbook.active.append(["C-2", date(2026, 11, 2), "Payroll"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(operations_manager, buffer.getvalue(), filename="notices.xlsx")

    assert report.ok, report.errors
    assert fresh(register["Payroll"]).notice_served_on == date(2026, 11, 2)


def test_a_preview_moves_nothing(operations_manager, register):
    report = run(operations_manager, HEADER + "C-1,,2026-11-02,,,,,,,,\n", dry_run=True)

    assert (report.ok, report.to_create, report.created) == (True, 1, 0)
    assert not ExitNotice.objects.exists()
    assert not ProcessEvent.objects.exists()
    assert set(states(register).values()) == {"outsourced"}


@pytest.mark.parametrize(
    ("line", "row", "column", "message"),
    [
        ("C-9,,2026-11-02,,,,,,,,", 3, "contract", "C-9"),
        (
            "C-1,,2026-11-02,,,,,,Payroll,,",
            3,
            "processes",
            "Process “Payroll” is not under contract C-1 but under C-2.",
        ),
        ("C-1,,2026-11-02,,,,,,Cleaning,,", 3, "processes", "has no process “Cleaning”"),
        (
            "C-1,,2026-11-25,,,,,,,,",
            3,
            "served_on",
            "Notice cannot be received in the future (25 Nov 2026).",
        ),
        ("C-1,,24/11/2026,,,,,,,,", 3, "served_on", "write it as YYYY-MM-DD"),
        ("C-1,,2026-11-02,2026-11-03,,,,,,,", 3, "dispatched_on", "cannot be dispatched"),
        ("C-1,whole,2026-11-02,,,,,,Returns,,", 3, "scope", "names no processes"),
        ("C-1,,2026-11-02,,,,,,,2026-11-10,", 3, "withdrawal_reason", "Give a reason"),
        ("C-1,,2026-11-02,,,,,,,,Changed our mind", 3, "withdrawn_on", "Give the date"),
    ],
    ids=[
        "unknown contract",
        "process of another contract",
        "unknown process",
        "future date",
        "not a date",
        "dispatched after received",
        "whole scope naming processes",
        "withdrawal without reason",
        "reason without withdrawal",
    ],
)
def test_a_bad_row_rolls_the_whole_file_back_naming_row_and_column(
    line, row, column, message, operations_manager, register
):
    good = "C-2,,2026-11-02,,,,,,,,\n"

    report = run(operations_manager, HEADER + good + line + "\n")

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(row, column)], report.errors
    assert message in report.errors[0].message
    assert report.created == 0
    assert not ExitNotice.objects.exists()
    assert not ProcessEvent.objects.exists()
    assert set(states(register).values()) == {"outsourced"}


def test_an_unmet_guard_rolls_back_and_names_the_process(operations_manager, register):
    OutsourcedProcessFactory(contract=register["C-2"], name="Pensions")  # no readiness

    report = run(operations_manager, HEADER + "C-2,,2026-11-02,,,,,,,,\n")

    assert [(e.row, e.column) for e in report.errors] == [(2, "processes")]
    assert report.errors[0].message == (
        "Pensions: Record a readiness assessment before serving exit notice."
    )
    assert not ExitNotice.objects.exists()
    assert fresh(register["Payroll"]).state == State.OUTSOURCED


def test_a_process_already_under_notice_is_refused(operations_manager, register):
    notice_serve(
        actor=operations_manager,
        contract=register["C-1"],
        served_on=date(2026, 11, 2),
        processes=[register["Returns"].pk],
    )

    report = run(operations_manager, HEADER + "C-1,,2026-11-10,,,,,,Returns,,\n")

    assert [(e.row, e.column) for e in report.errors] == [(2, "processes")]
    assert "Returns is already under notice received 2 Nov 2026." in report.errors[0].message
    assert ExitNotice.objects.count() == 1


def test_a_name_shared_by_two_processes_of_the_contract_is_ambiguous(operations_manager, register):
    ready(register["C-1"], "Returns", programme=ProgrammeFactory(name="Second wave"))

    report = run(operations_manager, HEADER + "C-1,,2026-11-02,,,,,,Returns,,\n")

    assert [(e.row, e.column) for e in report.errors] == [(2, "processes")]
    assert "several processes “Returns”" in report.errors[0].message
    assert not ExitNotice.objects.exists()


def test_an_exported_file_matches_the_same_notices_unchanged(operations_manager, register):
    process = register["Warehousing"]
    apply_transition(process, "serve_exit_notice", operations_manager, served_on=date(2026, 11, 2))
    notice_serve(actor=operations_manager, contract=register["C-2"], served_on=date(2026, 11, 3))
    exported = ExitNoticeResource().export().csv
    events = ProcessEvent.objects.count()

    report = run(operations_manager, exported)

    assert (report.ok, report.created, report.updated) == (True, 0, 0), report.errors
    assert report.unchanged == 2
    assert ExitNotice.objects.count() == 2
    assert ProcessEvent.objects.count() == events
    assert "Warehousing" in exported


def test_a_matching_row_corrects_the_details_and_may_withdraw(operations_manager, register):
    notice = notice_serve(
        actor=operations_manager, contract=register["C-2"], served_on=date(2026, 11, 2)
    )
    content = HEADER + (
        "C-2,,2026-11-02,2026-10-29,courier,Legal department,CFO,Letter ref 7,,"
        "2026-11-20,Provider matched our in-house cost\n"
    )

    report = run(operations_manager, content)

    assert (report.ok, report.created, report.updated) == (True, 0, 1), report.errors
    notice = fresh(notice)
    assert (notice.dispatched_on, notice.method, notice.recipient, notice.signed_by) == (
        date(2026, 10, 29),
        "courier",
        "Legal department",
        "CFO",
    )
    assert notice.note == "Letter ref 7"
    assert notice.withdrawn_on == date(2026, 11, 20)
    assert fresh(register["Payroll"]).state == State.OUTSOURCED


def test_an_import_cannot_undo_a_withdrawal(operations_manager, register):
    notice = notice_serve(
        actor=operations_manager, contract=register["C-2"], served_on=date(2026, 11, 2)
    )
    from transition.services import notice_withdraw

    notice_withdraw(actor=operations_manager, notice=notice, reason="Price cut")

    report = run(operations_manager, HEADER + "C-2,,2026-11-02,,,,,,,,\n")

    assert [(e.row, e.column) for e in report.errors] == [(2, "withdrawn_on")]
    assert "cannot change or undo its withdrawal" in report.errors[0].message
    assert not fresh(notice).is_active
