"""XLSX exports hold dates as dates, numbers as numbers and yes/no as booleans on a sheet
named after the list; CSV exports can start with a byte order mark for Excel; files we
export still import back unchanged (core/spreadsheets.py, docs/import-export.md)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Contract
from core.spreadsheets import (
    AUTO,
    BOOLEAN,
    DATE,
    DATE_FORMAT,
    NUMBER,
    TEXT,
    column_kinds,
    save_xlsx,
    write_csv,
    write_xlsx,
)
from imports.exports import export_build
from imports.models import ExportFile
from imports.resources import RESOURCES
from imports.services import import_rows, read_sheet
from tests.imports.test_resources import ORDER, empty_database
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"

LISTS = {
    "contracts:provider_list": "Service providers",
    "contracts:contract_list": "Contracts",
    "transition:programme_list": "Programmes",
    "transition:process_list": "Processes",
    "transition:milestone_list": "Milestones",
    "transition:asset_list": "Assets",
    "transition:staff_list": "Staff",
    "raid:item_list": "RAID log",
}


def midnight(day: date) -> datetime:
    """A date as openpyxl reads an Excel date cell back."""
    return datetime.combine(day, datetime.min.time())


def workbook_of(response):
    content = b"".join(response) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def rows_by_header(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return [dict(zip(headers, row, strict=False)) for row in rows[1:]]


def content_of(response) -> bytes:
    return b"".join(response) if response.streaming else response.content


# The writer


def test_cells_are_typed_by_their_column_and_text_stays_neutralised():
    headers = ["when", "amount", "count", "done", "note", "computed", "free"]
    kinds = [DATE, NUMBER, NUMBER, BOOLEAN, TEXT, AUTO, TEXT]
    rows = [
        ["2026-12-16", "-12.50", "3", "1", "=1+1", "2027-01-31", "-12.50"],
        ["", "2750000.00", "-4", "0", "-2+3", "not a date", "@SUM(1)"],
        ["soon", "n/a", "", "", "plain", "", "+44"],
    ]
    sheet = load_workbook(io.BytesIO(write_xlsx(headers, rows, "Typed", kinds))).active

    first, second, third = ([cell for cell in row] for row in sheet.iter_rows(min_row=2, max_row=4))
    # Dates are Excel dates, shown as on the pages.
    assert first[0].value == midnight(date(2026, 12, 16))
    assert first[0].is_date
    assert first[0].number_format == DATE_FORMAT
    assert first[5].value == midnight(date(2027, 1, 31))
    assert first[5].is_date
    # Numbers are numbers, a negative one too; decimals keep their places in the format.
    assert first[1].value == -12.5
    assert first[1].data_type == "n"
    assert first[1].number_format == "#,##0.00"
    assert second[1].value == 2750000
    assert second[1].data_type == "n"
    assert (first[2].value, second[2].value) == (3, -4)
    assert isinstance(first[2].value, int)
    # Yes/no are booleans.
    assert (first[3].value, second[3].value) == (True, False)
    assert first[3].data_type == "b"
    # Text stays text: formulas neutralised, a negative number in a text column is text.
    assert (first[4].value, first[4].data_type) == ("'=1+1", "s")
    assert (second[4].value, second[4].data_type) == ("'-2+3", "s")
    assert (first[6].value, first[6].data_type) == ("-12.50", "s")
    assert second[6].value == "'@SUM(1)"
    assert second[5].value == "not a date"
    # Text that does not read as its column's type stays text; empty cells stay empty.
    assert (third[0].value, third[1].value) == ("soon", "n/a")
    assert second[0].value is None
    assert third[2].value is None
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_native_values_are_typed_whatever_the_column():
    stream = io.BytesIO()
    save_xlsx(stream, ["day", "amount", "rate"], [[date(2026, 12, 16), Decimal("5.5"), 1.25]])
    day, amount, rate = next(load_workbook(stream).active.iter_rows(min_row=2))
    assert day.is_date
    assert day.number_format == DATE_FORMAT
    assert (amount.value, amount.number_format) == (5.5, "#,##0.0")
    assert rate.value == 1.25


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Milestones", "Milestones"),
        ("Plan [draft]: a/b\\c*?", "Plan -draft-- a-b-c--"),
        ("A list whose name is far longer than Excel allows", "A list whose name is far longer"),
        ("", "Sheet1"),
    ],
)
def test_the_sheet_name_is_valid_for_excel(title, expected):
    sheet = load_workbook(io.BytesIO(write_xlsx(["a"], [["1"]], title))).active
    assert sheet.title == expected
    assert len(sheet.title) <= 31


def test_the_csv_starts_with_a_byte_order_mark_only_when_asked():
    assert write_csv(["name"], [["Zoë"]], bom=True).startswith('\ufeff"name"')
    assert write_csv(["name"], [["Zoë"]]).startswith('"name"')


def test_column_kinds_come_from_the_resource_widgets():
    resource = RESOURCES["contracts"]()
    kinds = dict(zip(resource.get_export_headers(), column_kinds(resource), strict=True))
    assert kinds["reference"] == TEXT
    assert kinds["provider"] == TEXT  # a natural key
    assert kinds["renewal"] == TEXT  # a choice
    assert kinds["start_date"] == DATE
    assert (kinds["annual_value"], kinds["notice_period"]) == (NUMBER, NUMBER)
    assert kinds["termination_for_convenience"] == BOOLEAN
    assert kinds["next_notice_deadline"] == AUTO  # computed, ignored on import
    assert kinds["status"] == AUTO


# The lists


@pytest.mark.usefixtures("portfolio")
def test_the_contract_list_exports_typed_cells(client, operations_manager):
    client.force_login(operations_manager)
    response = client.get(reverse("contracts:contract_list"), {"export": "xlsx"})

    sheet = workbook_of(response).active
    assert sheet.title == "Contracts"
    row = next(r for r in rows_by_header(sheet) if r["reference"].value == "C-ACME-1")
    contract = Contract.objects.get(reference="C-ACME-1")
    assert row["start_date"].value == midnight(contract.start_date)
    assert row["start_date"].number_format == DATE_FORMAT
    assert row["annual_value"].value == 123456.78
    assert row["annual_value"].number_format == "#,##0.00"
    assert row["notice_period"].value == 90
    assert row["termination_for_convenience"].value is True
    deadline = contract.next_notice_deadline()
    assert row["next_notice_deadline"].value == midnight(deadline)
    assert row["current_term_end"].is_date
    assert isinstance(row["status"].value, str)
    assert row["provider"].value == "Acme, Logistics"


@pytest.mark.usefixtures("portfolio")
@pytest.mark.parametrize(("url_name", "title"), LISTS.items())
def test_each_list_names_its_sheet(client, operations_manager, url_name, title):
    client.force_login(operations_manager)
    response = client.get(reverse(url_name), {"export": "xlsx"})
    assert response.status_code == 200
    assert workbook_of(response).sheetnames == [title]


def test_formula_text_is_neutralised_in_a_typed_list(client, operations_manager):
    MilestoneFactory(process=OutsourcedProcessFactory(name="Fulfilment"), title="=1+1")
    client.force_login(operations_manager)
    response = client.get(reverse("transition:milestone_list"), {"export": "xlsx"})

    (row,) = rows_by_header(workbook_of(response).active)
    assert (row["title"].value, row["title"].data_type) == ("'=1+1", "s")
    assert row["due_date"].is_date


@pytest.mark.usefixtures("portfolio")
def test_csv_for_excel_has_a_byte_order_mark_and_the_plain_csv_has_none(client, operations_manager):
    client.force_login(operations_manager)
    url = reverse("contracts:provider_list")
    for_excel = content_of(client.get(url, {"export": "csv", "bom": "1"}))
    plain = content_of(client.get(url, {"export": "csv"}))

    assert for_excel.startswith(BOM + b'"name"')
    assert not plain.startswith(BOM)
    assert for_excel == BOM + plain
    names = [row[0] for row in csv.reader(io.StringIO(for_excel.decode("utf-8-sig")))]
    assert "Acme, Logistics" in names


def test_the_list_offers_csv_for_excel(client, operations_manager):
    client.force_login(operations_manager)
    page = client.get(reverse("contracts:provider_list"), {"q": "x"}).content.decode()
    assert 'href="?q=x&amp;export=csv&amp;bom=1"' in page
    assert "CSV for Excel" in page


# Background exports


@pytest.fixture
def large(settings, tmp_path, monkeypatch):
    """Three milestones past a threshold of two rows; the task is not run by the broker."""
    from imports import tasks

    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(tasks.build_export, "delay", lambda export_id: None)
    process = OutsourcedProcessFactory(name="Fulfilment")
    for title in ("=Alpha", "Beta", "Gamma"):
        MilestoneFactory(process=process, title=title, due_date=date(2027, 3, 1))


def background_file(client, user, captured, **query) -> bytes:
    client.force_login(user)
    with captured(execute=True):
        response = client.get(reverse("transition:milestone_list"), query)
    assert response.status_code == 302
    export = ExportFile.objects.latest("pk")
    export_build(export_id=export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as stored:
        return stored.read()


@pytest.mark.usefixtures("large")
def test_a_background_xlsx_is_typed_and_named_like_a_streamed_one(
    client, operations_manager, django_capture_on_commit_callbacks
):
    content = background_file(
        client, operations_manager, django_capture_on_commit_callbacks, export="xlsx"
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Milestones"
    rows = rows_by_header(sheet)
    assert len(rows) == 3
    assert {row["due_date"].value for row in rows} == {midnight(date(2027, 3, 1))}
    assert all(row["due_date"].number_format == DATE_FORMAT for row in rows)
    assert "'=Alpha" in {row["title"].value for row in rows}


@pytest.mark.usefixtures("large")
def test_a_background_csv_for_excel_keeps_its_byte_order_mark(
    client, operations_manager, django_capture_on_commit_callbacks
):
    for_excel = background_file(
        client, operations_manager, django_capture_on_commit_callbacks, export="csv", bom="1"
    )
    plain = background_file(
        client, operations_manager, django_capture_on_commit_callbacks, export="csv"
    )
    assert for_excel.startswith(BOM)
    assert not plain.startswith(BOM)


# Round trip


def typed_workbook(kind: str) -> bytes:
    """A list's XLSX as the list pages write it: typed cells, named sheet."""
    resource = RESOURCES[kind]()
    headers, rows = resource.export_headers_and_rows(resource.get_queryset().order_by("pk"))
    return write_xlsx(headers, rows, kind, column_kinds(resource))


@pytest.mark.usefixtures("portfolio")
def test_every_typed_workbook_imports_into_an_empty_database_unchanged(operations_manager):
    before = {kind: typed_workbook(kind) for kind in ORDER}
    csv_before = {kind: RESOURCES[kind]().export().export("csv") for kind in ORDER}
    typed = load_workbook(io.BytesIO(before["contracts"])).active
    assert any(cell.is_date for cell in typed[2])  # the files really are typed
    empty_database()

    for kind in ORDER:
        sheet = read_sheet(before[kind], f"{kind}.xlsx")
        report = import_rows(actor=operations_manager, kind=kind, sheet=sheet, dry_run=False)
        assert report.ok, [str(e) for e in report.errors]
        assert report.created == report.total_rows > 0

    assert {kind: RESOURCES[kind]().export().export("csv") for kind in ORDER} == csv_before
