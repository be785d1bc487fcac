"""Writes of the currencies app: loading the ECB's euro foreign exchange reference rates.

The file is read exactly as a person downloads it from the ECB (docs/money.md, "Exchange
rates"): the history `eurofxref-hist.zip` or the `eurofxref-hist.csv` inside it, or the day's
`eurofxref.csv`. Loading is all or nothing: the whole file is checked first and every error
is reported with its line and column; only a file without errors is written, in one
transaction, and loading the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from .models import BASE_CURRENCY, ExchangeRate

# The full history since 1999 is about 2 MB unzipped and 7,000 lines, growing by about
# 260 lines a year: these bounds leave room for decades and refuse zip bombs and junk.
MAX_FILE_BYTES = 20 * 1024 * 1024  # the upload, and the CSV once unzipped
MAX_LINES = 20_000
MAX_ERRORS = 20
BATCH_SIZE = 1_000  # rows an INSERT; SQLite and PostgreSQL take it well within their limits
SOURCE_LENGTH = ExchangeRate._meta.get_field("source").max_length or 100

SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "eurofxref-hist-sample.csv"

# The ECB's "no rate that day", for a currency it does not quote (yet, or any more).
NO_RATE = frozenset({"", "N/A"})
CODE = re.compile(r"[A-Z]{3}")
RATE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LONG_DAY = re.compile(r"([0-9]{1,2}) ([A-Za-z]+) ([0-9]{4})")  # the daily file: "30 October 2026"
# English month names, not strptime's "%B", which follows the process locale.
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
# What the rate column holds: 18 digits, 6 of them after the point.
RATE_DECIMALS = Decimal("0.000001")
RATE_LIMIT = Decimal(10) ** 12
SHOWN_CHARACTERS = 40  # of a cell quoted back in an error


class RatesFileError(ValueError):
    """A rates file that was not loaded; `errors` says why, one sentence each, for people."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class LoadResult:
    """What a loaded file held: its days, the rates written, and the currencies quoted."""

    source: str
    days: int
    rates: int  # in the file
    written: int  # new or changed: a file loaded again writes none
    first_date: date
    last_date: date
    currencies: tuple[str, ...]

    def __str__(self) -> str:
        return _(
            "Loaded %(file)s: %(rates)s rates of %(currencies)s currencies on %(days)s days, "
            "from %(first)s to %(last)s; %(written)s new or changed."
        ) % {
            "written": f"{self.written:,}",
            "file": self.source,
            "rates": f"{self.rates:,}",
            "currencies": len(self.currencies),
            "days": f"{self.days:,}",
            "first": self.first_date.isoformat(),
            "last": self.last_date.isoformat(),
        }


@dataclass(frozen=True)
class _Parsed:
    days: int
    rates: list[tuple[date, str, Decimal]]


def load_ecb_rates(source: bytes | Readable, *, filename: str) -> LoadResult:
    """Load an ECB reference rates file (.csv or .zip) completely, or write nothing at all."""
    name = PurePath(filename).name
    content = _bounded_read(source, name)
    extension = PurePath(name).suffix.lower()
    if extension == ".zip":
        content = _unzip(content, name)
    elif extension != ".csv":
        raise RatesFileError(
            [
                _(
                    "“%(name)s” is not a .csv or .zip file. Load the ECB file as downloaded: "
                    "eurofxref-hist.zip, eurofxref-hist.csv or eurofxref.csv."
                )
                % {"name": name}
            ]
        )
    parsed = _parse(_text(content, name))
    source_label = f"ECB {name}"[:SOURCE_LENGTH]
    written = _write(parsed.rates, source_label)
    days = sorted({day for day, _code, _rate in parsed.rates})
    return LoadResult(
        source=name,
        days=parsed.days,
        rates=len(parsed.rates),
        written=written,
        first_date=days[0],
        last_date=days[-1],
        currencies=tuple(sorted({code for _day, code, _rate in parsed.rates})),
    )


def load_sample_rates() -> LoadResult:
    """Load the real ECB rates shipped with the app (currencies/data/README.md)."""
    return load_ecb_rates(SAMPLE_FILE.read_bytes(), filename=SAMPLE_FILE.name)


# Reading within bounds.


def _bounded_read(source: bytes | Readable, name: str) -> bytes:
    content = (
        bytes(source) if isinstance(source, bytes | bytearray) else source.read(MAX_FILE_BYTES + 1)
    )
    if not content:
        raise RatesFileError([_("“%(name)s” is empty.") % {"name": name}])
    if len(content) > MAX_FILE_BYTES:
        raise RatesFileError([_too_large(name)])
    return content


def _too_large(name: str) -> str:
    return _(
        "“%(name)s” is larger than %(limit)s MB; the ECB's full history is about 2 MB. "
        "Load the file as downloaded from the ECB."
    ) % {"name": name, "limit": MAX_FILE_BYTES // 1_048_576}


def _unzip(content: bytes, name: str) -> bytes:
    """The one CSV file of a zip archive, refused past the size bound whatever it claims."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            member = _the_csv(archive, name)
            with archive.open(member) as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
    except RatesFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        RuntimeError,  # an encrypted member
        NotImplementedError,  # a compression method zipfile does not know
    ):
        raise RatesFileError(
            [_("“%(name)s” is not a readable zip file.") % {"name": name}]
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise RatesFileError([_too_large(PurePath(member.filename).name)])
    return data


def _the_csv(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    members = [member for member in archive.infolist() if not member.is_dir()]
    if len(members) == 1 and members[0].filename.lower().endswith(".csv"):
        member = members[0]
        # The declared size bounds the work: zipfile stops inflating a member at its
        # declared size (and then fails its CRC check), so it cannot unzip to more.
        if member.file_size > MAX_FILE_BYTES:
            raise RatesFileError([_too_large(PurePath(member.filename).name)])
        return member
    if members:
        message = _(
            "“%(name)s” must hold exactly one .csv file, as the ECB's eurofxref-hist.zip "
            "does; it holds: %(held)s."
        ) % {"name": name, "held": ", ".join(PurePath(m.filename).name for m in members)}
    else:
        message = _("“%(name)s” must hold exactly one .csv file; it holds no file.") % {
            "name": name
        }
    raise RatesFileError([message])


def _text(content: bytes, name: str) -> str:
    not_text = RatesFileError([_("“%(name)s” is not a CSV text file.") % {"name": name}])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_text from None
    if "\x00" in text:
        raise not_text
    if not text.strip():
        raise RatesFileError([_("“%(name)s” is empty.") % {"name": name}])
    return text


# Checking every line before anything is written.


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _parse(text: str) -> _Parsed:
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        raise RatesFileError([_("The file is empty.")])
    codes = _header(*first)
    errors: list[str] = []
    seen: dict[date, int] = {}
    rates: list[tuple[date, str, Decimal]] = []
    for number, cells in rows:
        errors.extend(_check_line(number, cells, codes, seen, rates))
        if len(errors) > MAX_ERRORS:
            break
    if len(errors) > MAX_ERRORS:
        errors = [
            *errors[:MAX_ERRORS],
            _("Only the first %(count)s errors are listed; correct them and load it again.")
            % {"count": MAX_ERRORS},
        ]
    elif not errors and not rates:
        errors = [_("The file holds no rates under its header.")]
    if errors:
        raise RatesFileError(errors)
    return _Parsed(days=len(seen), rates=rates)


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank lines as (line number, cells), within the bounds."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            if reader.line_num > MAX_LINES:
                raise RatesFileError(
                    [
                        _(
                            "The file has more than %(limit)s lines; the ECB's history has "
                            "about 7,000."
                        )
                        % {"limit": f"{MAX_LINES:,}"}
                    ]
                )
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells
    except csv.Error as error:
        raise RatesFileError(
            [
                _("line %(line)s cannot be read: %(error)s.")
                % {"line": reader.line_num, "error": error}
            ]
        ) from None


def _header(number: int, cells: list[str]) -> list[str]:
    """The currency codes the header names, in column order; refused unless it is the ECB's."""
    shown = _shown(",".join(cells))
    cells = [cell.strip() for cell in cells]
    while cells and not cells[-1]:
        cells.pop()  # the ECB ends every line with a comma: an empty last column
    codes = cells[1:]
    if cells[0] != "Date" or not codes:
        problem = _("the header must start with “Date”, then the currency codes (“Date,USD,JPY,…”)")
    elif bad := [code for code in codes if not CODE.fullmatch(code)]:
        problem = _("“%(code)s” in the header is not a currency code of three capital letters") % {
            "code": _shown(bad[0])
        }
    elif BASE_CURRENCY in codes:
        problem = _("the header has a %(euro)s column, but every rate is a rate of the euro") % {
            "euro": BASE_CURRENCY
        }
    elif len(set(codes)) != len(codes):
        twice = next(code for code in codes if codes.count(code) > 1)
        problem = _("the header names %(code)s twice") % {"code": twice}
    else:
        return codes
    raise RatesFileError(
        [
            _("line %(line)s: %(problem)s; it reads “%(header)s”. Is this the ECB's rates file?")
            % {"line": number, "problem": problem, "header": shown}
        ]
    )


def _check_line(
    number: int,
    cells: list[str],
    codes: list[str],
    seen: dict[date, int],
    rates: list[tuple[date, str, Decimal]],
) -> list[str]:
    """The errors of one line; its rates are added to `rates` when its date is good."""
    cells = [cell.strip() for cell in cells]
    values = cells[1:]
    if len(values) > len(codes) and any(values[len(codes) :]):
        return [
            _("line %(line)s has more values than the header has currencies (%(count)s).")
            % {"line": number, "count": len(codes)}
        ]
    if len(values) < len(codes):
        return [
            _("line %(line)s ends after %(found)s of the %(count)s currencies the header names.")
            % {"line": number, "found": len(values), "count": len(codes)}
        ]
    errors = []
    day = _day(cells[0])
    if day is None:
        errors.append(
            _("line %(line)s: “%(text)s” is not a date such as 2026-10-30.")
            % {"line": number, "text": _shown(cells[0])}
        )
    elif day in seen:
        errors.append(
            _("line %(line)s: %(day)s is already on line %(first)s.")
            % {"line": number, "day": day.isoformat(), "first": seen[day]}
        )
        day = None
    else:
        seen[day] = number
    for code, value in zip(codes, values, strict=False):
        if value in NO_RATE:
            continue
        rate = _rate(value)
        if rate is None:
            errors.append(
                _(
                    "line %(line)s, column %(code)s: “%(text)s” is not a rate (a positive "
                    "number with at most 6 decimals, such as 1.1172)."
                )
                % {"line": number, "code": code, "text": _shown(value)}
            )
        elif day is not None:
            rates.append((day, code, rate))
    return errors


def _day(text: str) -> date | None:
    try:
        if ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
        if (match := LONG_DAY.fullmatch(text)) and (month := MONTHS.get(match[2].lower())):
            return date(int(match[3]), month, int(match[1]))
    except ValueError:  # 2026-02-30
        return None
    return None


def _rate(text: str) -> Decimal | None:
    """The rate `text` spells, if it is one the rate column can hold exactly."""
    if not RATE.fullmatch(text):
        return None
    value = Decimal(text)
    if not 0 < value < RATE_LIMIT or value != value.quantize(RATE_DECIMALS):
        return None
    return value


# Writing, once everything is known to be good.


def _write(rates: list[tuple[date, str, Decimal]], source: str) -> int:
    """Upsert the rates that are new or differ from the stored ones; how many were written."""
    written = 0
    rates = sorted(rates)
    # One transaction: a failure halfway leaves the table as it was. The upsert on the natural
    # key makes a load of an overlapping file update the days both hold; rows already stored
    # as they are in the file are not written again, so reloading the whole history each day
    # only writes the new day (the ORM's per-row cost dominates a full load).
    with transaction.atomic():
        for start in range(0, len(rates), BATCH_SIZE):
            batch = rates[start : start + BATCH_SIZE]
            stored = {
                (day, code): rate
                for day, code, rate in ExchangeRate.objects.filter(
                    date__range=(batch[0][0], batch[-1][0]), source=source
                ).values_list("date", "currency", "rate")
            }
            changed = [
                ExchangeRate(date=day, currency=code, rate=rate, source=source)
                for day, code, rate in batch
                if stored.get((day, code)) != rate
            ]
            if changed:
                ExchangeRate.objects.bulk_create(
                    changed,
                    update_conflicts=True,
                    unique_fields=["date", "currency"],
                    update_fields=["rate", "source"],
                )
            written += len(changed)
    return written
