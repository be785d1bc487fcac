"""Imports read back our own exports, stay bounded whatever a file declares, refuse text that
cannot be stored, and record only the rows they wrote."""

import csv
import importlib
import io
import time
import zipfile

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from contracts.models import ServiceProvider
from core.spreadsheets import SafeXLSX, SpreadsheetRefused
from imports import services
from imports.models import ImportBatch
from imports.services import ImportRefused, import_rows, read_sheet
from tests.contracts.factories import ServiceProviderFactory

# A generous bound on refusing a hostile file, not a benchmark: before the bounds, one such
# file kept a worker busy for about an hour.
QUICKLY = 10.0

FORMULA_LIKE = {
    "name": "=1+1",
    "legal_name": "+44 20",
    "contact_name": "@SUM(A1)",
    "contact_phone": "-x",
    "notes": "'=already quoted",
}


def upload(client, content: bytes, name="providers.csv", kind="providers"):
    return client.post(
        "/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True
    )


def confirm(client, batch):
    return client.post(f"/import/{batch.pk}/confirm/", follow=True)


@pytest.fixture
def ops(client, operations_manager):
    client.force_login(operations_manager)
    return client


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A. Exports neutralise formulas; imports undo it, so a file we exported imports back.


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_survives_an_export_and_reimport_unchanged(ops, fmt):
    provider = ServiceProviderFactory(country="GB", **FORMULA_LIKE)

    response = ops.get(f"/providers/?export={fmt}")

    assert response.status_code == 200
    content = response.getvalue()  # streamed: read once
    if fmt == "csv":
        header, row = list(csv.reader(io.StringIO(content.decode())))
        cells = dict(zip(header, row, strict=True))
        for column, value in FORMULA_LIKE.items():
            assert cells[column] == "'" + value
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        header = [cell.value for cell in sheet[1]]
        for column, value in FORMULA_LIKE.items():
            cell = sheet.cell(row=2, column=header.index(column) + 1)
            assert (cell.data_type, cell.value) == ("s", "'" + value)

    upload(ops, content, name=f"providers.{fmt}")
    confirmed = confirm(ops, ImportBatch.objects.get())

    assert "0 created, 0 updated, 1 unchanged" in confirmed.content.decode()
    stored = ServiceProvider.objects.get()
    assert stored.pk == provider.pk
    assert {column: getattr(stored, column) for column in FORMULA_LIKE} == FORMULA_LIKE


def test_text_that_merely_starts_with_a_quote_is_kept(operations_manager):
    content = b"name,country,notes\n'Tis the season,GB,'quoted\n"

    report = import_rows(
        actor=operations_manager,
        kind="providers",
        sheet=read_sheet(content, "p.csv"),
        dry_run=False,
    )

    assert report.ok
    assert ServiceProvider.objects.get().notes == "'quoted"
    assert ServiceProvider.objects.get().name == "'Tis the season"


# B. Reading is bounded by the real data, not by what a file declares.

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def raw_xlsx(rows: str, dimension="A1:XFD1048576") -> bytes:
    """A minimal workbook written by hand, declaring whatever dimension it likes."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


HEADER = row(1, cell("A1", "name"), cell("B1", "country"))
BOMBS = {
    "one cell at XFD1048576": (
        row(1_048_576, cell("XFD1048576", "x")),
        "more than 10,000 rows (row 1,048,576 holds data)",
    ),
    "a header and a row at 1,048,576": (
        HEADER + row(1_048_576, cell("A1048576", "Acme"), cell("B1048576", "GB")),
        "more than 10,000 rows (row 1,048,576 holds data)",
    ),
    "a row 16,384 columns wide": (
        row(1, *(cell(f"{letter}1", "x") for letter in ("A", "B", "ZZ", "XFD"))),
        "Row 1 has data beyond column 100 (CV)",
    ),
}


@pytest.mark.parametrize(("rows", "message"), BOMBS.values(), ids=BOMBS.keys())
def test_a_workbook_declaring_a_huge_sheet_is_refused_quickly_when_read(rows, message):
    bomb = raw_xlsx(rows)
    assert len(bomb) < 5_000

    started = time.monotonic()
    with pytest.raises(ImportRefused) as refused:
        read_sheet(bomb, "bomb.xlsx")

    assert time.monotonic() - started < QUICKLY
    assert message in str(refused.value)


@pytest.mark.parametrize(("rows", "message"), BOMBS.values(), ids=BOMBS.keys())
def test_a_workbook_declaring_a_huge_sheet_is_refused_on_the_upload_form(ops, rows, message):
    started = time.monotonic()
    response = upload(ops, raw_xlsx(rows), name="bomb.xlsx")

    assert time.monotonic() - started < QUICKLY
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_a_row_16384_cells_wide_is_refused():
    from openpyxl.utils import get_column_letter

    wide = row(1, *(cell(f"{get_column_letter(n)}1", "x") for n in range(1, 16_385)))

    with pytest.raises(ImportRefused, match=r"Row 1 has data beyond column 100 \(CV\)"):
        read_sheet(raw_xlsx(wide), "wide.xlsx")


def test_a_declared_dimension_does_not_pad_a_small_sheet():
    rows = HEADER + row(2, cell("A2", "Acme"), cell("B2", "GB"))

    sheet = read_sheet(raw_xlsx(rows), "small.xlsx")

    assert (sheet.dataset.headers, sheet.dataset[0], sheet.row_numbers) == (
        ["name", "country"],
        ("Acme", "GB"),
        [2],
    )


def test_empty_columns_beyond_the_limit_are_dropped_not_refused():
    content = b"name,country" + b"," * 500 + b"\nAcme,GB" + b"," * 500 + b"\n"

    sheet = read_sheet(content, "p.csv")

    assert sheet.dataset.headers == ["name", "country"]


def test_a_csv_header_of_many_columns_is_refused_quickly():
    # Checking a wide header for duplicate names used to cost the square of its width.
    content = ",".join(f"c{n}" for n in range(300_000)).encode() + b"\nx\n"
    assert len(content) < services.MAX_BYTES

    started = time.monotonic()
    with pytest.raises(ImportRefused, match=r"data beyond column 100"):
        read_sheet(content, "wide.csv")

    assert time.monotonic() - started < QUICKLY


def test_a_workbook_that_unzips_past_the_limit_is_refused_before_parsing():
    sheet = " " * (50 * 1024 * 1024 + 1)  # compresses to a few KB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)

    with pytest.raises(
        ImportRefused, match="unzips to 50 MB; imports read workbooks of at most 50"
    ):
        read_sheet(buffer.getvalue(), "zipped.xlsx")


def test_reading_stops_at_the_deadline(settings):
    settings.IMPORT_PARSE_SECONDS = 0  # every row is then read after the deadline

    with pytest.raises(ImportRefused, match="took longer than 0 seconds"):
        read_sheet(xlsx([["name", "country"], ["Acme", "GB"]]), "p.xlsx")


def test_a_50_mb_upload_is_refused_quickly_naming_the_limit(ops):
    content = b"name,country\n" + b"Acme,GB\n" * (50 * 1024 * 1024 // 8)

    started = time.monotonic()
    response = upload(ops, content)

    assert time.monotonic() - started < QUICKLY
    assert "imports may be at most 5 MB" in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_an_upload_over_the_limit_is_refused_without_being_read(operations_manager):
    class Unread(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read")

    oversized = Unread("p.csv", b"")
    oversized.size = services.MAX_BYTES + 1

    with pytest.raises(ImportRefused, match="at most 5 MB"):
        services.batch_upload(actor=operations_manager, kind="providers", upload=oversized)


def test_the_admin_reads_xlsx_with_the_same_bounds():
    started = time.monotonic()
    with pytest.raises(SpreadsheetRefused, match="row 1,048,576 holds data"):
        SafeXLSX().create_dataset(raw_xlsx(row(1_048_576, cell("XFD1048576", "x"))))

    assert time.monotonic() - started < QUICKLY


def test_the_admin_import_shows_the_refusal(admin_client):
    url = reverse("admin:contracts_serviceprovider_import")
    formats = site._registry[ServiceProvider].get_import_formats()
    bomb = SimpleUploadedFile("bomb.xlsx", raw_xlsx(row(1_048_576, cell("XFD1048576", "x"))))

    response = admin_client.post(
        url, {"format": formats.index(SafeXLSX), "import_file": bomb, "resource": 0}
    )

    assert response.status_code == 200
    assert "row 1,048,576 holds data" in response.getvalue().decode()


@pytest.mark.django_db
def test_the_admin_still_reads_an_exported_workbook():
    ServiceProviderFactory(name="=cmd", country="GB")
    exported = SafeXLSX().export_data(
        site._registry[ServiceProvider].resource_classes[0]().export()
    )

    dataset = SafeXLSX().create_dataset(exported)

    assert dataset.dict[0]["name"] == "=cmd"


# C. Text that cannot be stored gets a clear refusal or a per-row error, never a 500.


def test_a_csv_with_a_nul_byte_is_refused_naming_the_line(ops):
    response = upload(ops, b"name,country\nAcme,GB\nBe\x00ta,GB\n")

    assert response.status_code == 200
    assert "Line 3 holds a NUL character" in response.context["form"].errors["file"][0]
    assert not ServiceProvider.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("p.csv", b"name,country,notes\nAcme,GB,ring \x07 the bell\n"),
        ("p.xlsx", xlsx([["name", "country", "notes"], ["Acme", "GB", "next \x85 line"]])),
    ],
)
def test_a_control_character_in_a_cell_is_a_row_error_naming_the_column(ops, name, content):
    response = upload(ops, content, name=name)

    assert response.status_code == 200
    report = response.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(2, "notes")]
    assert "control character" in report.errors[0].message
    assert not ServiceProvider.objects.exists()


def test_a_workbook_whose_xml_holds_a_control_character_is_refused(ops):
    rows = HEADER + row(2, cell("A2", "Ac&#1;me"), cell("B2", "GB"))

    response = upload(ops, raw_xlsx(rows, dimension="A1:B2"), name="p.xlsx")

    assert response.status_code == 200
    assert "not a readable Excel workbook" in response.context["form"].errors["file"][0]


# D. A batch records what was written: nothing, when the import failed.


def test_a_failed_import_records_nothing_written(ops):
    lines = [f"Provider {n:04d},GB" for n in range(1, 5_000)] + ["Provider 5000,XX"]
    content = ("name,country\n" + "\n".join(lines) + "\n").encode()

    preview = upload(ops, content)

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_count, batch.to_create_count) == ("previewed", 0, 4_999)
    assert "Nothing was imported" in preview.content.decode()

    response = ops.post(f"/import/{batch.pk}/confirm/")

    assert response.status_code == 422
    assert "no row was created or updated" in response.getvalue().decode()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.updated_count) == ("failed", 0, 0)
    assert batch.error_count == 1
    assert not ServiceProvider.objects.exists()


def test_an_import_report_counts_written_rows_only_when_written(operations_manager):
    ServiceProviderFactory(name="Acme", country="DE")
    good = b"name,country\nAcme,GB\nBeta,GB\n"
    bad = good + b"Gamma,XX\n"

    def report(content, dry_run):
        sheet = read_sheet(content, "p.csv")
        return import_rows(actor=operations_manager, kind="providers", sheet=sheet, dry_run=dry_run)

    preview, failed, done = report(good, True), report(bad, False), report(good, False)

    assert (preview.to_create, preview.to_update, preview.created, preview.updated) == (1, 1, 0, 0)
    assert (failed.written, failed.created, failed.updated) == (False, 0, 0)
    assert (done.written, done.created, done.updated) == (True, 1, 1)


def test_batches_stored_before_the_split_keep_their_checked_counts(operations_manager):
    migration = importlib.import_module("imports.migrations.0002_import_batch_written_counts")
    kwargs = {"kind": "providers", "filename": "p.csv", "content": b"", "total_rows": 9}
    failed = ImportBatch.objects.create(
        **kwargs, uploaded_by=operations_manager, status="failed", created_count=9
    )
    imported = ImportBatch.objects.create(
        **kwargs, uploaded_by=operations_manager, status="imported", created_count=9
    )

    migration.split_checked_from_written(apps, None)

    failed.refresh_from_db()
    imported.refresh_from_db()
    assert (failed.to_create_count, failed.created_count) == (9, 0)
    assert (imported.to_create_count, imported.created_count) == (9, 9)
