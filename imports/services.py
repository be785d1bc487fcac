"""Reading uploaded CSV/XLSX files and importing them all or nothing, set-based."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import Result

from accounts.rules import IMPORT_DATA
from core.changes import FieldChange
from core.services import require_perm
from core.spreadsheets import (
    SpreadsheetRefused,
    bounded_rows,
    parse_deadline,
    restore,
    xlsx_rows,
)
from core.types import AuthUser, User

from .models import ImportBatch
from .resources import RESOURCES, NaturalKeyResource, text

MAX_BYTES = 5 * 1024 * 1024
FORMATS = ("csv", "xlsx")
PREVIEW_ROWS = 50
PREVIEW_CHANGES = 200  # rows to update whose changes a preview lists
MAX_REPORTED_ERRORS = 500


class ImportRefused(Exception):
    """The file as a whole cannot be imported; `.errors` says why, in words for people."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


@dataclass(frozen=True)
class RowError:
    """One problem in the file: its row (as numbered in the spreadsheet) and column."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class SheetData:
    """A file's rows under its header, with each data row's number in the spreadsheet."""

    dataset: tablib.Dataset
    row_numbers: list[int]


@dataclass(frozen=True)
class RowChanges:
    """A row to update: its number in the spreadsheet, its key, and each field it changes."""

    row: int | None
    key: str
    changes: list[FieldChange]


@dataclass
class ImportReport:
    """What a file amounts to, and what an import wrote: nothing unless `written`.

    `to_create`/`to_update` count the rows the file would create and update (what a preview
    shows), `unchanged` the rows equal to the stored ones, which are skipped: not written,
    no history entry; `created`/`updated` count the rows written, 0 for a preview and for
    an import that a bad row rolled back. `changes` says what each row to update changes.
    """

    kind: str
    total_rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    changes: list[RowChanges] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_total: int = 0
    headers: list[str] = field(default_factory=list)
    preview: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells)
    warnings: list[RowError] = field(default_factory=list)  # saved, but flagged (schedule)
    dry_run: bool = True  # True when nothing was written: a preview, or rolled back

    @property
    def ok(self) -> bool:
        return self.error_total == 0

    @property
    def written(self) -> bool:
        return not self.dry_run

    @property
    def created(self) -> int:
        return self.to_create if self.written else 0

    @property
    def updated(self) -> int:
        return self.to_update if self.written else 0


# Reading files


def file_format(filename: str) -> str:
    """The format of an upload from its extension, or ImportRefused."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ImportRefused(
            [_("Upload a .csv or .xlsx file (got “%(name)s”).") % {"name": filename}]
        )
    return extension


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ImportRefused(
            [
                _("The file is %(size).1f MB; imports may be at most %(limit)s MB.")
                % {"size": size / 1_048_576, "limit": MAX_BYTES // 1_048_576}
            ]
        )


def read_sheet(content: bytes, filename: str) -> SheetData:
    """Parse a CSV (UTF-8) or XLSX upload into rows, refusing what cannot be imported.

    Every cell passes through `restore`, so a file we exported (formulas neutralised with a
    leading quote) imports back to the original text. Reading is bounded by MAX_ROWS,
    MAX_COLUMNS, MAX_XML_BYTES and IMPORT_PARSE_SECONDS, whatever the file declares.
    """
    check_size(len(content))
    if not content.strip():
        raise ImportRefused([_("The file is empty.")])
    deadline = parse_deadline()
    raw = _csv_rows(content) if file_format(filename) == "csv" else xlsx_rows(content)
    try:
        return _sheet(bounded_rows(raw, deadline=deadline))
    except SpreadsheetRefused as refused:
        raise ImportRefused([str(refused)]) from None


def _sheet(rows: Iterator[tuple[int, Sequence[object]]]) -> SheetData:
    first = next(rows, None)
    if first is None:
        raise ImportRefused([_("The file is empty.")])
    headers = [text(restore(cell)) for cell in first[1]]
    while headers and headers[-1] == "":
        headers.pop()
    errors = []
    if "" in headers:
        position = headers.index("") + 1
        errors.append(_("Column %(n)s has no name in the first row.") % {"n": position})
    duplicates = sorted(h for h, count in Counter(headers).items() if h and count > 1)
    if duplicates:
        errors.append(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(duplicates)}
        )
    data, numbers = [], []
    for number, cells in rows:
        extra = cells[len(headers) :]
        if any(text(cell) for cell in extra):
            errors.append(
                _("Row %(row)s has more cells than the first row has column names.")
                % {"row": number}
            )
            continue
        cells = [restore(cell) for cell in cells[: len(headers)]]
        cells += [""] * (len(headers) - len(cells))
        data.append(["" if cell is None else cell for cell in cells])
        numbers.append(number)
    if errors:
        raise ImportRefused(errors)
    if not data:
        raise ImportRefused([_("The file has a header but no rows.")])
    return SheetData(tablib.Dataset(*data, headers=headers), numbers)


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [
                _(
                    "The file is not UTF-8 text (byte %(position)s cannot be read). "
                    "Save it as “CSV UTF-8” and upload it again."
                )
                % {"position": error.start + 1}
            ]
        ) from None
    nul = decoded.find("\x00")
    if nul != -1:
        # A NUL is never text: UTF-16 files hold one in every other byte, and PostgreSQL
        # cannot store it.
        raise ImportRefused(
            [
                _(
                    "Line %(line)s holds a NUL character, so the file is not UTF-8 CSV "
                    "text. Save it as “CSV UTF-8” and upload it again."
                )
                % {"line": decoded.count("\n", 0, nul) + 1}
            ]
        )
    try:
        dialect = csv.Sniffer().sniff(decoded[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return enumerate(list(csv.reader(io.StringIO(decoded, newline=""), dialect)), 1)
    except csv.Error as error:
        raise ImportRefused(
            [_("The CSV file cannot be read: %(error)s.") % {"error": error}]
        ) from None


def check_columns(kind: str, headers: list[str]) -> list[str]:
    """Unknown and missing columns for a kind of import, as messages."""
    return RESOURCES[kind]().column_errors(headers)


# Importing


def import_rows(*, actor: User, kind: str, sheet: SheetData, dry_run: bool) -> ImportReport:
    """Import every row or none: a single bad row rolls the whole file back.

    Set-based: existing rows and referenced objects are read once, new rows bulk-created
    and changed rows bulk-updated in batches, so the query count does not grow per row.
    """
    require_perm(actor, IMPORT_DATA)
    if kind not in RESOURCES:
        raise ImportRefused([_("Unknown kind of import “%(kind)s”.") % {"kind": kind}])
    column_errors = check_columns(kind, sheet.dataset.headers)
    if column_errors:
        raise ImportRefused(column_errors)
    resource = RESOURCES[kind]()
    with transaction.atomic():
        result = resource.import_data(
            sheet.dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=actor,
        )
        errors = _errors(resource, result, sheet.row_numbers)
        if dry_run or errors:
            transaction.set_rollback(True)
    return ImportReport(
        kind=kind,
        total_rows=len(sheet.dataset),
        to_create=result.totals.get("new", 0),
        to_update=result.totals.get("update", 0),
        unchanged=result.totals.get("skip", 0),
        changes=[] if errors else _changes(resource, sheet)[:PREVIEW_CHANGES],
        errors=errors[:MAX_REPORTED_ERRORS],
        error_total=len(errors),
        headers=list(sheet.dataset.headers),
        preview=[
            (number, list(row))
            for number, row in zip(sheet.row_numbers, sheet.dataset[:PREVIEW_ROWS], strict=False)
        ],
        warnings=[] if errors else _warnings(resource, sheet.row_numbers),
        dry_run=dry_run or bool(errors),
    )


def _errors(resource: NaturalKeyResource, result: Result, row_numbers: list[int]) -> list[RowError]:
    def file_row(number: int) -> int | None:
        return row_numbers[number - 1] if number and number <= len(row_numbers) else None

    errors = [RowError(None, "", _explain(error.error)) for error in result.base_errors]
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else resource.column_of(key) or key
            errors.extend(RowError(file_row(invalid.number), column, m) for m in messages)
    for number, row_errors in result.row_errors():
        errors.extend(RowError(file_row(number), "", _explain(e.error)) for e in row_errors)
    return sorted(errors, key=lambda e: (e.row or 0, e.column))


def _changes(resource: NaturalKeyResource, sheet: SheetData) -> list[RowChanges]:
    """Each row to update with what it changes, in file order (core/resources.py)."""
    rows = []
    for number, changes in sorted(resource.row_changes.items()):
        index = number - 1
        if 0 <= index < len(sheet.dataset):
            row = dict(zip(sheet.dataset.headers, sheet.dataset[index], strict=False))
            key = " · ".join(str(part) for part in resource.row_key(row) if part)
            rows.append(RowChanges(sheet.row_numbers[index], key, changes))
        else:
            rows.append(RowChanges(None, "", changes))
    return rows


def _warnings(resource: NaturalKeyResource, row_numbers: list[int]) -> list[RowError]:
    """Rows saved but flagged, e.g. by the schedule checks (transition/resources/plan.py)."""
    return [
        RowError(row_numbers[number - 1] if 0 < number <= len(row_numbers) else None, column, note)
        for number, column, note in getattr(resource, "row_warnings", [])[:MAX_REPORTED_ERRORS]
    ]


def _explain(error: Exception) -> str:
    return str(error) or error.__class__.__name__


# The browser flow: upload → preview → confirm.


def batch_upload(
    *, actor: AuthUser, kind: str, upload: UploadedFile
) -> tuple[ImportBatch, ImportReport]:
    """Keep an uploaded file and preview its import without writing any row."""
    require_perm(actor, IMPORT_DATA)
    # Django's upload handlers (and SimpleUploadedFile) give every upload a name and size.
    assert upload.name is not None  # noqa: S101
    assert upload.size is not None  # noqa: S101
    check_size(upload.size)  # before reading the upload into memory
    file_format(upload.name)
    content = upload.read()
    sheet = read_sheet(content, upload.name)
    report = import_rows(actor=actor, kind=kind, sheet=sheet, dry_run=True)
    batch = ImportBatch.objects.create(
        kind=kind,
        filename=upload.name[:255],
        content=content,
        uploaded_by=actor,
        total_rows=report.total_rows,
        to_create_count=report.to_create,
        to_update_count=report.to_update,
        error_count=report.error_total,
    )
    return batch, report


def batch_preview(*, batch: ImportBatch, actor: User) -> ImportReport:
    """What confirming the batch would do now."""
    sheet = read_sheet(bytes(batch.content), batch.filename)
    return import_rows(actor=actor, kind=batch.kind, sheet=sheet, dry_run=True)


@transaction.atomic
def batch_confirm(*, batch: ImportBatch, actor: User) -> ImportReport:
    """Import a previewed batch whole and at most once, or nothing if any row fails now.

    The batch row stays locked until the rows are written, so a second confirm of the same
    batch waits, then finds it imported and is refused. A failed import's rows roll back to
    import_rows's savepoint while the batch still records FAILED and what the check found.
    """
    require_perm(actor, IMPORT_DATA)
    claimed = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if claimed.status == ImportBatch.Status.IMPORTED:
        raise ImportRefused([_("This file has already been imported.")])
    sheet = read_sheet(bytes(claimed.content), claimed.filename)
    report = import_rows(actor=actor, kind=claimed.kind, sheet=sheet, dry_run=False)
    outcome = {
        "to_create_count": report.to_create,
        "to_update_count": report.to_update,
        "created_count": report.created,
        "updated_count": report.updated,
        "error_count": report.error_total,
        "status": ImportBatch.Status.IMPORTED if report.ok else ImportBatch.Status.FAILED,
        "imported_at": timezone.now() if report.ok else claimed.imported_at,
    }
    for instance in (claimed, batch):  # the caller's copy shows the outcome too
        for name, value in outcome.items():
            setattr(instance, name, value)
    claimed.save(update_fields=list(outcome))
    return report
