"""Imports are all or nothing, refuse bad files with clear errors, and stay set-based."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from openpyxl import Workbook

from contracts.models import Contract, ServiceProvider
from imports import services
from imports.services import ImportRefused, import_rows, read_sheet
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import OutsourcedProcessFactory
from transition.models import Milestone

CONTRACT_HEADER = (
    "reference,title,provider,owner,start_date,end_date,renewal,renewal_term_months,"
    "notice_period,notice_unit,annual_value,currency\n"
)


def contract_line(n, provider="Acme", owner="olivia", end="2027-12-31", notice="3"):
    return (
        f"C-{n:05d},Agreement {n},{provider},{owner},2024-01-01,{end},automatic,12,"
        f"{notice},months,1000.00,EUR\n"
    )


def run(actor, kind, content, filename="file.csv", dry_run=False):
    data = content.encode() if isinstance(content, str) else content
    return import_rows(actor=actor, kind=kind, sheet=read_sheet(data, filename), dry_run=dry_run)


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def acme(db):
    return ServiceProviderFactory(name="Acme")


@pytest.mark.usefixtures("acme")
def test_one_bad_row_among_many_writes_nothing_and_names_its_row_and_column(operations_manager):
    lines = [contract_line(n) for n in range(1, 200)]
    lines[149] = contract_line(150, end="2023-01-01")  # ends before it starts

    report = run(operations_manager, "contracts", CONTRACT_HEADER + "".join(lines))

    assert not report.ok
    assert Contract.objects.count() == 0
    assert [(e.row, e.column) for e in report.errors] == [(151, "end_date")]
    assert "cannot be before the start date" in report.errors[0].message


@pytest.mark.usefixtures("acme")
def test_a_clean_file_creates_every_row(operations_manager):
    report = run(operations_manager, "contracts", CONTRACT_HEADER + contract_line(1))

    assert (report.ok, report.created) == (True, 1)
    contract = Contract.objects.get(reference="C-00001")
    assert (contract.provider.name, contract.owner.username) == ("Acme", "olivia")
    assert contract.history.get().history_user == operations_manager


@pytest.mark.usefixtures("acme")
def test_a_preview_writes_nothing(operations_manager):
    report = run(operations_manager, "contracts", CONTRACT_HEADER + contract_line(1), dry_run=True)

    assert (report.ok, report.to_create, report.created, report.dry_run) == (True, 1, 0, True)
    assert not Contract.objects.exists()


@pytest.mark.usefixtures("acme")
def test_unknown_references_are_reported_by_row_and_column(operations_manager):
    content = CONTRACT_HEADER + contract_line(1, provider="Nobody") + contract_line(2, owner="x")

    report = run(operations_manager, "contracts", content)

    assert [(e.row, e.column) for e in report.errors] == [(2, "provider"), (3, "owner")]
    assert "There is no service provider “Nobody”" in report.errors[0].message
    assert not Contract.objects.exists()


@pytest.mark.usefixtures("acme")
def test_duplicate_keys_in_a_file_are_refused(operations_manager):
    report = run(operations_manager, "contracts", CONTRACT_HEADER + contract_line(7) * 2)

    assert [(e.row, e.column) for e in report.errors] == [(3, "reference")]
    assert "Duplicate: data row 1" in report.errors[0].message
    assert not Contract.objects.exists()


def test_bad_cells_are_reported_not_raised(operations_manager, acme):
    content = "name,country,website\nOne,XX,\nTwo,GB,not a url\n"
    report = run(operations_manager, "providers", content)

    assert {(e.row, e.column) for e in report.errors} == {(2, "country"), (3, "website")}
    assert list(ServiceProvider.objects.values_list("name", flat=True)) == ["Acme"]


@pytest.mark.usefixtures("acme")
def test_numbers_dates_and_choices_that_do_not_parse_name_their_column(operations_manager):
    content = CONTRACT_HEADER + (
        "C-1,T,Acme,olivia,1 Jan 2024,2027-12-31,sometimes,twelve,3,months,lots,EUR\n"
    )
    report = run(operations_manager, "contracts", content)

    assert {e.column for e in report.errors} == {
        "start_date",
        "renewal",
        "renewal_term_months",
        "annual_value",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (CONTRACT_HEADER.replace("title,", "") + "x\n", "Missing column: title."),
        (
            CONTRACT_HEADER.replace("currency", "currency,colour") + "x\n",
            "Unknown column: colour.",
        ),
    ],
)
@pytest.mark.usefixtures("acme")
def test_missing_and_unknown_columns_refuse_the_file(operations_manager, content, message):
    with pytest.raises(ImportRefused) as refused:
        run(operations_manager, "contracts", content)

    assert any(error.startswith(message) for error in refused.value.errors)


def test_a_file_that_is_not_utf8_is_refused_with_advice(operations_manager):
    content = "name,country\nMüller GmbH,DE\n".encode("latin-1")

    with pytest.raises(ImportRefused, match="not UTF-8.*CSV UTF-8"):
        run(operations_manager, "providers", content)


def test_a_utf8_file_with_a_byte_order_mark_and_semicolons_imports(operations_manager):
    content = "\ufeffname;country\nMüller GmbH;DE\n".encode()

    assert run(operations_manager, "providers", content).ok
    assert ServiceProvider.objects.get().name == "Müller GmbH"


def test_a_file_that_is_not_a_workbook_is_refused(operations_manager):
    with pytest.raises(ImportRefused, match="not a readable Excel workbook"):
        run(operations_manager, "providers", b"name,country\n", filename="x.xlsx")


def test_only_csv_and_xlsx_are_accepted(operations_manager):
    with pytest.raises(ImportRefused, match=r"Upload a \.csv or \.xlsx file"):
        run(operations_manager, "providers", b"name,country\n", filename="x.xls")


def test_a_file_over_5_mb_is_refused_before_parsing(operations_manager):
    content = b"name,country\n" + b"x" * services.MAX_BYTES

    with pytest.raises(ImportRefused, match="imports may be at most 5 MB"):
        run(operations_manager, "providers", content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_over_10000_rows_is_refused(operations_manager, fmt):
    rows = [["name", "country"]] + [[f"P{n}", "GB"] for n in range(10_001)]
    content = "\n".join(",".join(r) for r in rows).encode() if fmt == "csv" else xlsx(rows)

    with pytest.raises(ImportRefused, match="more than 10,000 rows"):
        run(operations_manager, "providers", content, filename=f"p.{fmt}")


def test_xlsx_cells_keep_their_types(operations_manager, acme):
    from datetime import datetime

    # Spreadsheet date cells come back as naive datetimes.
    header = CONTRACT_HEADER.strip().split(",")
    start, end = datetime(2024, 1, 1), datetime(2027, 12, 31)  # noqa: DTZ001
    row = ["C-9", "T", "Acme", "olivia", start, end]
    row += ["automatic", 12, 3, "Months", 1000.5, "EUR"]

    report = run(operations_manager, "contracts", xlsx([header, row]), filename="c.xlsx")

    assert report.ok, [str(e) for e in report.errors]
    contract = Contract.objects.get()
    assert (str(contract.annual_value), contract.notice_unit) == ("1000.50", "months")


def test_empty_files_and_headers_without_rows_are_refused(operations_manager):
    with pytest.raises(ImportRefused, match="empty"):
        run(operations_manager, "providers", b"")
    with pytest.raises(ImportRefused, match="no rows"):
        run(operations_manager, "providers", b"name,country\n\n")


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_only_operations_managers_may_import(db, request, role):
    with pytest.raises(PermissionDenied):
        run(request.getfixturevalue(role), "providers", b"name,country\nA,GB\n")


def test_milestone_dependencies_must_exist_in_the_process(operations_manager):
    process = OutsourcedProcessFactory(name="Desk")
    programme = process.programme.name
    content = (
        "programme,process,title,due_date,status,completed_on,depends_on\n"
        f"{programme},Desk,Plan,2027-01-01,planned,,\n"
        f"{programme},Desk,Build,2027-02-01,planned,,Plan; Design\n"
        f"{programme},Desk,Run,2027-03-01,done,2026-11-01,Plan\n"
    )
    report = run(operations_manager, "milestones", content)

    assert [(e.row, e.column) for e in report.errors] == [(3, "depends_on"), (4, "depends_on")]
    assert "No milestone “Design”" in report.errors[0].message
    assert "while “Plan” is not done" in report.errors[1].message
    assert not Milestone.objects.exists()


def test_milestone_dependency_cycles_are_refused(operations_manager):
    process = OutsourcedProcessFactory(name="Desk")
    programme = process.programme.name
    content = (
        "programme,process,title,due_date,depends_on\n"
        f"{programme},Desk,A,2027-01-01,B\n"
        f"{programme},Desk,B,2027-02-01,A\n"
    )
    report = run(operations_manager, "milestones", content)

    assert {e.message for e in report.errors} == {"These dependencies form a cycle."}


def test_a_process_named_without_its_programme_is_explained(operations_manager):
    process = OutsourcedProcessFactory(name="Desk")
    content = (
        "programme,process,title,due_date\n"
        "Elsewhere,Desk,A,2027-01-01\n"
        f"{process.programme.name},Desk,B,2027-01-01\n"
    )

    report = run(operations_manager, "milestones", content)

    assert [(e.row, e.column) for e in report.errors] == [(2, "process")]
    assert "Programme “Elsewhere” has no process “Desk”" in report.errors[0].message


@pytest.fixture
def big_contract_file(acme):
    return CONTRACT_HEADER + "".join(contract_line(n) for n in range(1, 10_001))


def test_ten_thousand_rows_import_set_based(
    operations_manager, big_contract_file, django_assert_max_num_queries
):
    ContractFactory(reference="C-00001", provider__name="Other", owner=operations_manager)
    sheet = read_sheet(big_contract_file.encode(), "contracts.csv")

    # Bulk inserts with their history rows, never one query per row (10,000+). PostgreSQL
    # takes 1,000 rows a statement; SQLite caps bound parameters, so about 50 a statement
    # (fewer with the stored notice dates each contract carries, docs/contracts-list.md).
    limit = 60 if connection.vendor == "postgresql" else 700
    with django_assert_max_num_queries(limit):
        report = import_rows(actor=operations_manager, kind="contracts", sheet=sheet, dry_run=False)

    assert (report.ok, report.created, report.updated) == (True, 9_999, 1)
    assert Contract.objects.count() == 10_000
    assert Contract.history.count() == 10_001


def test_one_bad_row_among_ten_thousand_writes_nothing(operations_manager, big_contract_file):
    content = big_contract_file.replace(contract_line(9_999), contract_line(9_999, notice="-1"))

    report = run(operations_manager, "contracts", content)

    assert [(e.row, e.column) for e in report.errors] == [(10_000, "notice_period")]
    assert not Contract.objects.exists()
