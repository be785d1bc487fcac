"""Spreadsheet cells out and in: formula injection neutralised on export, undone on import.

A cell whose text starts with `=`, `+`, `-`, `@`, tab or carriage return is a formula to
Excel and LibreOffice (CSV injection, OWASP). Every export prefixes such text with a single
quote, quotes every CSV field and writes XLSX text cells as text, never as formulas; every
import strips that one quote again, so a file we exported imports back to the original text
(docs/security.md). Plain numbers such as "-12.50" are data, not formulas, and stay as
they are. Characters XML cannot carry are replaced, so no stored text can fail an export.

XLSX cells are typed (docs/import-export.md, "Typed workbooks"): a list's rows arrive as
the text its resource renders, and `column_kinds` reads from the resource's widgets which
columns hold dates, numbers and yes/no, so those cells are written as Excel dates (shown
as `d mmm yyyy`, "16 Dec 2026", as the pages show them), numbers (decimals with as many
places as stored: money with 2) and booleans. Text stays text, neutralised as above; a
negative number in a number column is a number, not a formula. CSV can start with a UTF-8
byte order mark (`?bom=1`), which Excel needs to read UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any, TypeVar, overload

import tablib
from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_T = TypeVar("_T")

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
BOM = "\ufeff"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# How an XLSX writes a column's cells (`column_kinds`). AUTO: a computed column with no
# declared type, whose cells are dates when they read as YYYY-MM-DD.
TEXT, DATE, NUMBER, BOOLEAN, AUTO = "text", "date", "number", "boolean", "auto"
DATE_FORMAT = "d mmm yyyy"  # 16 Dec 2026: core.formats.SHORT_DATE
DATETIME_FORMAT = "d mmm yyyy hh:mm"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _needs_quote(text: str) -> bool:
    # Text that already starts with quotes gets one more when what follows them would need
    # one: the import strips exactly one, so "'=x" exports as "''=x" and reads back as "'=x".
    rest = text.lstrip(QUOTE)
    return bool(rest) and rest[0] in FORMULA_TRIGGERS and not PLAIN_NUMBER.fullmatch(rest)


@overload
def neutralise(value: str) -> str: ...
@overload
def neutralise(value: _T) -> _T: ...
def neutralise(value: object) -> object:
    """A value as an export cell: text that a spreadsheet would run gets a leading quote."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


@overload
def restore(value: str) -> str: ...
@overload
def restore(value: _T) -> _T: ...
def restore(value: object) -> object:
    """An imported cell as it was before `neutralise`: one protective quote removed."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence], *, bom: bool = False) -> str:
    """CSV text with every field quoted and every formula neutralised; with `bom`, it
    starts with the UTF-8 byte order mark Excel needs to read it as UTF-8."""
    return "".join(stream_csv(headers, rows, bom=bom))


def stream_csv(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    rows_per_chunk: int = 500,
    *,
    bom: bool = False,
) -> Iterator[str]:
    """The CSV of `write_csv` in pieces of `rows_per_chunk` rows: memory stays flat however
    many rows there are (a StreamingHttpResponse or a file writes each piece as it comes)."""
    stream = io.StringIO()
    if bom:
        stream.write(BOM)
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(str(header)) for header in headers])
    for number, row in enumerate(rows, 1):
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
        if number % rows_per_chunk == 0:
            yield stream.getvalue()
            stream.seek(0)
            stream.truncate()
    yield stream.getvalue()


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    title: str = "",
    kinds: Sequence[str] | None = None,
) -> bytes:
    """An XLSX workbook (write-only: memory stays flat) whose text cells are never formulas."""
    stream = io.BytesIO()
    save_xlsx(stream, headers, rows, title, kinds)
    return stream.getvalue()


def save_xlsx(
    target: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence],
    title: str = "",
    kinds: Sequence[str] | None = None,
) -> None:
    """Write the workbook of `write_xlsx` into a file: openpyxl's write-only sheet keeps its
    rows in a temporary file, so memory does not grow with the rows.

    The sheet is named `title` (made a valid sheet name). `kinds` (`column_kinds`) says
    which columns' text cells are dates, numbers or yes/no; dates, numbers and booleans
    that arrive as such are written typed whatever the column."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, str(header), font=bold) for header in headers])
    kinds = list(kinds or [])
    for row in rows:
        sheet.append(
            [
                _xlsx_value(sheet, _typed(cell, kinds[n] if n < len(kinds) else TEXT))
                for n, cell in enumerate(row)
            ]
        )
    workbook.save(target)


def column_kinds(resource: Any) -> list[str]:
    """Per export column of a django-import-export resource, how its cells are typed: from
    the column's widget (dates, numbers, yes/no; anything else is text). A computed column
    (in `computed_columns`, ignored on import) with no declared widget is AUTO."""
    computed = set(getattr(resource, "computed_columns", ()))
    kinds = []
    for field in resource.get_export_fields():
        widget = field.widget
        if isinstance(widget, widgets.DateWidget):
            kinds.append(DATE)
        elif isinstance(widget, widgets.NumberWidget):
            kinds.append(NUMBER)
        elif isinstance(widget, widgets.BooleanWidget):
            kinds.append(BOOLEAN)
        elif type(widget) is widgets.Widget and field.column_name in computed:
            kinds.append(AUTO)
        else:
            kinds.append(TEXT)
    return kinds


def _typed(value: object, kind: str) -> object:
    """A cell of a column of `kind` as the value to write: the text a resource renders for
    a date, number or yes/no made that type again; text that does not read as one stays."""
    if not isinstance(value, str) or kind == TEXT:
        return value
    if value == "":
        return None
    if kind in (DATE, AUTO):
        if ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
    elif kind == NUMBER:
        if PLAIN_NUMBER.fullmatch(value):
            if "." not in value:
                return int(value)
            try:
                return Decimal(value)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return value
    elif kind == BOOLEAN:
        return {"1": True, "0": False}.get(value, value)
    return value


def _number_format(value: object) -> str | None:
    """How a typed value shows in Excel; None for Excel's General."""
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, Decimal) and value.is_finite():
        places = -int(value.as_tuple().exponent)
        return "#,##0." + "0" * places if places > 0 else "#,##0"
    return None


def _xlsx_value(sheet: WriteOnlyWorksheet, value: object) -> object:
    # A plain value is cheaper than a cell object: openpyxl stores text as text unless it
    # starts with "=", which neutralised text never does; should one slip through, it is
    # written as an explicit text cell all the same. Dates and decimals get a format.
    if isinstance(value, str):
        cell_text = neutralise(ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value))
        return _xlsx_cell(sheet, cell_text) if cell_text.startswith("=") else cell_text
    number_format = _number_format(value)
    if number_format is None:
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones: the local time shown
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object, font: Font | None = None) -> Cell:
    if isinstance(value, str):
        value = neutralise(ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
    if font is not None:
        cell.font = font
    return cell


def _sheet_title(title: str) -> str:
    return INVALID_TITLE_REGEX.sub("-", title).strip("'")[:31] or "Sheet1"


def dataset_content(dataset: tablib.Dataset, fmt: str) -> str | bytes:
    """A tablib dataset as CSV text or XLSX bytes, through the writers above."""
    rows = dataset._package(dicts=False)[1:] if dataset.headers else dataset._package(dicts=False)
    headers = dataset.headers or []
    if fmt == "csv":
        return write_csv(headers, rows)
    if fmt == "xlsx":
        # `column_kinds`: set by the admin's export (accounts/admin_import.py).
        kinds = getattr(dataset, "column_kinds", None)
        return write_xlsx(headers, rows, title=dataset.title or "", kinds=kinds)
    raise ValueError(f"Unknown export format {fmt!r}")


def dataset_response(dataset: tablib.Dataset, fmt: str, name: str) -> HttpResponse:
    """A download of the dataset; `name` is ours (never user text), without extension."""
    response = HttpResponse(dataset_content(dataset, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def write_rows(
    target: IO[bytes],
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str = "",
    kinds: Sequence[str] | None = None,
    bom: bool = False,
) -> None:
    """Rows written into a binary file as CSV (UTF-8, with `bom` a byte order mark first)
    or XLSX (a sheet named `title`, cells typed by `kinds`), a piece at a time."""
    if fmt == "csv":
        for piece in stream_csv(headers, rows, bom=bom):
            target.write(piece.encode())
    elif fmt == "xlsx":
        save_xlsx(target, headers, rows, title, kinds)
    else:
        raise ValueError(f"Unknown export format {fmt!r}")


def rows_response(
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    name: str,
    *,
    title: str = "",
    kinds: Sequence[str] | None = None,
    bom: bool = False,
) -> StreamingHttpResponse | FileResponse:
    """A download of rows that never holds them all: CSV streamed as it is written, XLSX
    written to a temporary file first (a zip archive cannot be streamed row by row) and
    then sent from it. `name` is ours (never user text), without extension; `title`,
    `kinds` and `bom` as in `write_rows`."""
    if fmt == "csv":
        response: StreamingHttpResponse | FileResponse = StreamingHttpResponse(
            stream_csv(headers, rows, bom=bom), content_type=CONTENT_TYPES[fmt]
        )
    elif fmt == "xlsx":
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
        save_xlsx(target, headers, rows, title, kinds)
        target.seek(0)
        response = FileResponse(target, content_type=CONTENT_TYPES[fmt])
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def restored_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A dataset read from a file with every cell passed through `restore`."""
    restored = tablib.Dataset(headers=[restore(h) for h in dataset.headers or []])
    for row in dataset:
        restored.append([restore(cell) for cell in row])
    return restored


class SafeCSV(base_formats.CSV):
    """django-import-export's CSV (used by the admin) through our writer and reader."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> str | bytes:
        return dataset_content(dataset, "csv")

    def create_dataset(self, in_stream: str | bytes, **kwargs: object) -> tablib.Dataset:
        # Not tablib's reader: it reads any number of rows and columns.
        return restored_dataset(read_csv_dataset(in_stream))


class SafeXLSX(base_formats.XLSX):
    """django-import-export's XLSX (used by the admin) through our writer and reader."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> str | bytes:
        return dataset_content(dataset, "xlsx")

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        # Not the parent's reader: it walks the sheet's declared dimension unbounded.
        return restored_dataset(read_xlsx_dataset(in_stream))


# Reading within bounds. The limits every import promises, in the browser and the admin
# alike (docs/import-export.md): a 5 KB workbook can declare the sheet A1:XFD1048576, and
# openpyxl would then pad a million rows to 16,384 cells each, an hour of CPU per upload.

MAX_ROWS = 10_000  # data rows under the header
MAX_COLUMNS = 100  # the widest resource has about 30 columns
MAX_XML_BYTES = 50 * 1024 * 1024  # an XLSX's parts once unzipped


class SpreadsheetRefused(ValueError):
    """A file the bounded readers will not read; the message says why, for people."""


def parse_deadline() -> float:
    """The monotonic-clock time by which reading one file must be done."""
    return time.monotonic() + settings.IMPORT_PARSE_SECONDS


def xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    """The first sheet's rows as (row number, values), its declared dimension ignored.

    Rows missing from the file come through as empty tuples, and a row is only as wide as
    its last cell, so the work follows the cells the file really holds. `bounded_rows`
    bounds that in turn.
    """
    from openpyxl import load_workbook

    _check_unzipped_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for files that are not workbooks
        raise SpreadsheetRefused(_not_a_workbook()) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), 1)
    except Exception:  # a part that does not parse, halfway through the sheet
        raise SpreadsheetRefused(_not_a_workbook()) from None
    finally:
        workbook.close()


def _check_unzipped_size(content: bytes) -> None:
    # The sizes the archive declares bound the work: zipfile stops inflating a part at its
    # declared size (and then fails its CRC check), so a part cannot unzip to more.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise SpreadsheetRefused(_not_a_workbook()) from None
    if unzipped > MAX_XML_BYTES:
        raise SpreadsheetRefused(
            _(
                "The workbook unzips to %(size)s MB; imports read workbooks of at most "
                "%(limit)s MB unzipped. Split it into smaller files."
            )
            % {"size": unzipped // 1_048_576, "limit": MAX_XML_BYTES // 1_048_576}
        )


def _not_a_workbook() -> str:
    return _("The file is not a readable Excel workbook (.xlsx); save it again as .xlsx.")


def bounded_rows(
    rows: Iterable[tuple[int, Sequence]],
    *,
    deadline: float,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> Iterator[tuple[int, Sequence]]:
    """The rows that hold something, as (row number, cells), refused past the limits.

    Data only in rows 1 to `max_rows` + 1 (a header and `max_rows` rows under it) and
    columns 1 to `max_columns`: empty cells beyond are dropped, data beyond is refused, not
    lost. Read by `deadline` (`parse_deadline()`): whatever a file declares, reading it
    costs a bounded time.
    """
    for number, cells in rows:
        if time.monotonic() > deadline:
            raise SpreadsheetRefused(
                _(
                    "Reading the file took longer than %(seconds)s seconds, so it was "
                    "stopped. Split it into smaller files, or save it again as a plain .csv."
                )
                % {"seconds": settings.IMPORT_PARSE_SECONDS}
            )
        if _blank(cells):
            continue
        if number > max_rows + 1:
            raise SpreadsheetRefused(
                _(
                    "The file has more than %(limit)s rows (row %(row)s holds data); imports "
                    "read a header and %(limit)s rows under it. Split it into smaller files."
                )
                % {"limit": f"{max_rows:,}", "row": f"{number:,}"}
            )
        if len(cells) > max_columns:
            if not _blank(cells[max_columns:]):
                raise SpreadsheetRefused(
                    _(
                        "Row %(row)s has data beyond column %(limit)s (%(letter)s); imports "
                        "read at most %(limit)s columns."
                    )
                    % {
                        "row": number,
                        "limit": max_columns,
                        "letter": get_column_letter(max_columns),
                    }
                )
            cells = cells[:max_columns]
        yield number, cells


def _blank(cells: Sequence) -> bool:
    # count() runs in C: a row padded to thousands of empty cells costs microseconds.
    if cells.count(None) + cells.count("") == len(cells):
        return True
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def read_xlsx_dataset(content: bytes) -> tablib.Dataset:
    """The first sheet as a dataset under its first row, read by `bounded_rows` (the admin's
    XLSX reader). Cells are as in the file: `restored_dataset` undoes `neutralise`."""
    return _bounded_dataset(xlsx_rows(content))


def read_csv_dataset(content: str | bytes) -> tablib.Dataset:
    """A CSV file as a dataset under its first row, within the same limits (the admin's CSV
    reader); the browser's import reads CSV with its own, more talkative checks."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetRefused(_("The file is not UTF-8 text.")) from None
    if "\x00" in content:
        raise SpreadsheetRefused(_("The file is not a CSV text file."))
    rows = csv.reader(io.StringIO(content.removeprefix("\ufeff"), newline=""))
    try:
        return _bounded_dataset(enumerate(rows, 1))
    except csv.Error as error:
        raise SpreadsheetRefused(
            _("The CSV file cannot be read: %(error)s.") % {"error": error}
        ) from None


def _bounded_dataset(numbered_rows: Iterable[tuple[int, Sequence]]) -> tablib.Dataset:
    rows = bounded_rows(numbered_rows, deadline=parse_deadline())
    dataset = tablib.Dataset()
    first = next(rows, None)
    if first is None:
        return dataset
    headers = list(first[1])
    while headers and headers[-1] is None:
        headers.pop()
    dataset.headers = headers
    width = len(headers)
    for number, cells in rows:
        if not _blank(cells[width:]):
            raise SpreadsheetRefused(
                _("Row %(row)s has more cells than the first row has column names.")
                % {"row": number}
            )
        dataset.append((list(cells) + [None] * width)[:width])
    return dataset
