"""Loading the ECB's reference rates: every real layout, and all or nothing on bad input."""

import io
from datetime import date
from decimal import Decimal

import pytest

from currencies import services
from currencies.models import ExchangeRate
from currencies.services import RatesFileError, load_ecb_rates, load_sample_rates
from tests.currencies.files import DAILY, HEADER, THREE_DAYS, history, zipped

pytestmark = pytest.mark.django_db


def stored() -> dict[tuple[date, str], Decimal]:
    return {(r.date, r.currency): r.rate for r in ExchangeRate.objects.all()}


@pytest.fixture
def earlier_rate(db):
    """A rate already in the table, which a refused file must leave as it was."""
    return ExchangeRate.objects.create(
        date=date(2026, 10, 1), currency="USD", rate=Decimal("1.1707"), source="ECB earlier"
    )


# Files that load.


def test_the_history_csv_loads_every_rate_and_skips_the_days_without_one():
    result = load_ecb_rates(THREE_DAYS, filename="eurofxref-hist.csv")

    assert stored() == {
        (date(2026, 10, 30), "USD"): Decimal("1.1172"),
        (date(2026, 10, 30), "JPY"): Decimal("175.68"),
        (date(2026, 10, 30), "GBP"): Decimal("0.8338"),
        (date(2026, 10, 29), "USD"): Decimal("1.113"),
        (date(2026, 10, 29), "GBP"): Decimal("0.83578"),
        (date(2026, 10, 28), "USD"): Decimal("1.1133"),
        (date(2026, 10, 28), "GBP"): Decimal("0.83785"),
    }
    assert set(ExchangeRate.objects.values_list("source", flat=True)) == {"ECB eurofxref-hist.csv"}
    assert (result.days, result.rates, result.written) == (3, 7, 7)
    assert (result.first_date, result.last_date) == (date(2026, 10, 28), date(2026, 10, 30))
    assert result.currencies == ("GBP", "JPY", "USD")
    assert str(result) == (
        "Loaded eurofxref-hist.csv: 7 rates of 3 currencies on 3 days, "
        "from 2026-10-28 to 2026-10-30; 7 new or changed."
    )


def test_the_history_zip_loads_as_downloaded_from_an_open_file():
    upload = io.BytesIO(zipped({"eurofxref-hist.csv": THREE_DAYS}))

    result = load_ecb_rates(upload, filename="eurofxref-hist.zip")

    assert result.rates == 7
    assert stored()[(date(2026, 10, 29), "GBP")] == Decimal("0.83578")
    assert ExchangeRate.objects.first().source == "ECB eurofxref-hist.zip"


def test_the_daily_file_loads_with_its_spaces_and_its_long_date():
    result = load_ecb_rates(DAILY, filename="eurofxref.csv")

    assert (result.days, result.rates, len(result.currencies)) == (1, 29, 29)
    assert result.first_date == result.last_date == date(2026, 10, 30)
    rates = stored()
    assert rates[(date(2026, 10, 30), "GBP")] == Decimal("0.8338")
    assert rates[(date(2026, 10, 30), "IDR")] == Decimal("20275.17")
    assert rates[(date(2026, 10, 30), "ZAR")] == Decimal("18.6455")


def test_the_shipped_sample_holds_two_months_of_real_ecb_rates():
    result = load_sample_rates()

    # 44 working days, each with the 29 currencies the ECB quotes today (41 columns).
    assert (result.days, result.rates, len(result.currencies)) == (44, 1276, 29)
    assert (result.first_date, result.last_date) == (date(2026, 9, 1), date(2026, 10, 30))
    rates = stored()
    assert rates[(date(2026, 10, 30), "USD")] == Decimal("1.1172")
    assert rates[(date(2026, 10, 30), "GBP")] == Decimal("0.8338")
    assert rates[(date(2026, 10, 29), "GBP")] == Decimal("0.83578")
    assert rates[(date(2026, 9, 1), "USD")] == Decimal("1.159")
    # Currencies the ECB no longer quotes ("N/A") get no row.
    assert not ExchangeRate.objects.filter(currency__in=["BGN", "RUB", "HRK"]).exists()


def test_loading_the_same_file_again_writes_nothing_new():
    load_ecb_rates(THREE_DAYS, filename="eurofxref-hist.csv")

    again = load_ecb_rates(THREE_DAYS, filename="eurofxref-hist.csv")

    assert (again.rates, again.written) == (7, 0)
    assert ExchangeRate.objects.count() == 7


def test_a_newer_file_adds_its_day_and_corrects_a_changed_rate():
    load_ecb_rates(THREE_DAYS, filename="eurofxref-hist.csv")

    result = load_ecb_rates(
        history(
            "2026-11-02,1.1164,176.01,0.8331,",
            "2026-10-30,1.1175,175.68,0.8338,",
            "2026-10-29,1.113,N/A,0.83578,",
            "2026-10-28,1.1133,,0.83785,",
        ),
        filename="eurofxref-hist.csv",
    )

    assert result.written == 4  # three rates of the new day, one corrected
    assert ExchangeRate.objects.count() == 10
    assert stored()[(date(2026, 10, 30), "USD")] == Decimal("1.1175")


def test_the_daily_file_after_the_history_replaces_that_day_and_keeps_the_others():
    load_ecb_rates(THREE_DAYS, filename="eurofxref-hist.csv")

    load_ecb_rates(DAILY, filename="eurofxref.csv")

    day = ExchangeRate.objects.get(date=date(2026, 10, 30), currency="USD")
    assert (day.rate, day.source) == (Decimal("1.1172"), "ECB eurofxref.csv")
    assert ExchangeRate.objects.filter(date=date(2026, 10, 28)).count() == 2


def test_blank_lines_and_a_byte_order_mark_are_read_past():
    content = "\ufeff" + HEADER + "\n\n2026-10-30,1.1172,175.68,0.8338,\n\n"

    result = load_ecb_rates(content.encode(), filename="eurofxref-hist.csv")

    assert result.rates == 3


# Files that are refused whole.


def refused(content: bytes, filename: str = "eurofxref-hist.csv") -> list[str]:
    with pytest.raises(RatesFileError) as raised:
        load_ecb_rates(content, filename=filename)
    return raised.value.errors


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "Datum,USD,JPY,",
            "line 1: the header must start with “Date”, then the currency codes "
            "(“Date,USD,JPY,…”); it reads “Datum,USD,JPY,”. Is this the ECB's rates file?",
        ),
        (
            "Date,",
            "line 1: the header must start with “Date”, then the currency codes "
            "(“Date,USD,JPY,…”); it reads “Date,”. Is this the ECB's rates file?",
        ),
        (
            "Date,USD,usd,",
            "line 1: “usd” in the header is not a currency code of three capital letters; "
            "it reads “Date,USD,usd,”. Is this the ECB's rates file?",
        ),
        (
            "Date,USD,,JPY,",
            "line 1: “” in the header is not a currency code of three capital letters; "
            "it reads “Date,USD,,JPY,”. Is this the ECB's rates file?",
        ),
        (
            "Date,USD,EUR,",
            "line 1: the header has a EUR column, but every rate is a rate of the euro; "
            "it reads “Date,USD,EUR,”. Is this the ECB's rates file?",
        ),
        (
            "Date,USD,JPY,USD,",
            "line 1: the header names USD twice; it reads “Date,USD,JPY,USD,”. "
            "Is this the ECB's rates file?",
        ),
    ],
)
def test_a_file_without_the_ecb_header_is_refused_naming_the_header(earlier_rate, header, message):
    errors = refused(history("2026-10-30,1.1172,175.68,", header=header))

    assert errors == [message]
    assert stored() == {(date(2026, 10, 1), "USD"): Decimal("1.1707")}


@pytest.mark.parametrize(
    "value", ["abc", "0", "0.000000", "-1.2", "1.1234567", "1e3", "1 172", "1000000000000"]
)
def test_a_value_that_is_not_a_rate_is_named_by_line_and_column(earlier_rate, value):
    content = history("2026-10-30,1.1172,175.68,0.8338,", f"2026-10-29,1.113,{value},0.83578,")

    errors = refused(content)

    assert errors == [
        f"line 3, column JPY: “{value}” is not a rate (a positive number with at most "
        "6 decimals, such as 1.1172)."
    ]
    assert stored() == {(date(2026, 10, 1), "USD"): Decimal("1.1707")}


def test_a_bad_last_line_after_good_lines_writes_nothing(earlier_rate):
    content = history(
        "2026-10-30,1.1172,175.68,0.8338,",
        "2026-10-29,1.113,175.92,0.83578,",
        "2026-10-28,1.1133,175.86,O.83785,",
    )

    errors = refused(content)

    assert errors == [
        "line 4, column GBP: “O.83785” is not a rate (a positive number with at most "
        "6 decimals, such as 1.1172)."
    ]
    assert stored() == {(date(2026, 10, 1), "USD"): Decimal("1.1707")}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2026-02-30", "line 2: “2026-02-30” is not a date such as 2026-10-30."),
        ("30/10/2026", "line 2: “30/10/2026” is not a date such as 2026-10-30."),
        ("31 Octember 2026", "line 2: “31 Octember 2026” is not a date such as 2026-10-30."),
        ("", "line 2: “” is not a date such as 2026-10-30."),
    ],
)
def test_a_date_that_does_not_parse_is_named_by_line(earlier_rate, cell, message):
    errors = refused(history(f"{cell},1.1172,175.68,0.8338,"))

    assert errors == [message]
    assert ExchangeRate.objects.count() == 1


def test_a_day_given_twice_names_both_lines(earlier_rate):
    content = history(
        "2026-10-30,1.1172,175.68,0.8338,",
        "2026-10-29,1.113,175.92,0.83578,",
        "2026-10-30,1.1172,175.68,0.8338,",
    )

    assert refused(content) == ["line 4: 2026-10-30 is already on line 2."]
    assert ExchangeRate.objects.count() == 1


def test_a_line_of_the_wrong_width_is_refused(earlier_rate):
    content = history(
        "2026-10-30,1.1172,175.68,0.8338,,,",  # empty cells past the last column are fine
        "2026-10-29,1.113",
        "2026-10-28,1.1133,175.86,0.83785,1.5,",
    )

    assert refused(content) == [
        "line 3 ends after 1 of the 3 currencies the header names.",
        "line 4 has more values than the header has currencies (3).",
    ]
    assert ExchangeRate.objects.count() == 1


def test_every_error_of_the_file_is_listed_at_once():
    content = history(
        "2026-10-30,1.1172,abc,0.8338,",
        "2026-13-29,1.113,175.92,0.83578,",
        "2026-10-28,1.1133,175.86,-0.8,",
    )

    assert refused(content) == [
        "line 2, column JPY: “abc” is not a rate (a positive number with at most 6 decimals, "
        "such as 1.1172).",
        "line 3: “2026-13-29” is not a date such as 2026-10-30.",
        "line 4, column GBP: “-0.8” is not a rate (a positive number with at most 6 decimals, "
        "such as 1.1172).",
    ]


def test_the_list_of_errors_stops_after_twenty():
    content = history(*(f"2026-09-{day:02},x,175.68,0.8338," for day in range(1, 31)))

    errors = refused(content)

    assert len(errors) == 21
    assert errors[19].startswith("line 21, column USD: “x” is not a rate")
    assert errors[20] == "Only the first 20 errors are listed; correct them and load it again."
    assert not ExchangeRate.objects.exists()


def test_a_long_cell_is_quoted_shortened():
    errors = refused(history(f"2026-10-30,{'9' * 30}.{'1' * 30},175.68,0.8338,"))

    assert errors == [
        f"line 2, column USD: “{'9' * 30}.{'1' * 8}…” is not a rate (a positive number with "
        "at most 6 decimals, such as 1.1172)."
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "eurofxref-hist.csv", "“eurofxref-hist.csv” is empty."),
        (b" \n\n", "eurofxref-hist.csv", "“eurofxref-hist.csv” is empty."),
        (b",,,\n", "eurofxref-hist.csv", "The file is empty."),
        (history(), "eurofxref-hist.csv", "The file holds no rates under its header."),
        (
            history("2026-10-30,N/A,N/A,,"),
            "eurofxref-hist.csv",
            "The file holds no rates under its header.",
        ),
        (
            b"Date,USD\n\xff\xfe",
            "eurofxref-hist.csv",
            "“eurofxref-hist.csv” is not a CSV text file.",
        ),
        (b"Date,USD\x00\n", "eurofxref-hist.csv", "“eurofxref-hist.csv” is not a CSV text file."),
        (
            THREE_DAYS,
            "eurofxref-hist.xlsx",
            "“eurofxref-hist.xlsx” is not a .csv or .zip file. Load the ECB file as "
            "downloaded: eurofxref-hist.zip, eurofxref-hist.csv or eurofxref.csv.",
        ),
        (THREE_DAYS, "eurofxref-hist.zip", "“eurofxref-hist.zip” is not a readable zip file."),
        (
            zipped({"eurofxref-hist.csv": THREE_DAYS, "eurofxref.csv": DAILY}),
            "eurofxref-hist.zip",
            "“eurofxref-hist.zip” must hold exactly one .csv file, as the ECB's "
            "eurofxref-hist.zip does; it holds: eurofxref-hist.csv, eurofxref.csv.",
        ),
        (
            zipped({"rates/readme.txt": b"Rates"}),
            "eurofxref-hist.zip",
            "“eurofxref-hist.zip” must hold exactly one .csv file, as the ECB's "
            "eurofxref-hist.zip does; it holds: readme.txt.",
        ),
        (
            zipped({}),
            "eurofxref-hist.zip",
            "“eurofxref-hist.zip” must hold exactly one .csv file; it holds no file.",
        ),
        (
            zipped({"eurofxref-hist.csv": b"Date,USD,\n2026-10-30,abc,\n"}),
            "eurofxref-hist.zip",
            "line 2, column USD: “abc” is not a rate (a positive number with at most 6 "
            "decimals, such as 1.1172).",
        ),
    ],
)
def test_a_file_that_is_not_an_ecb_rates_file_is_refused(earlier_rate, content, filename, message):
    assert refused(content, filename) == [message]
    assert stored() == {(date(2026, 10, 1), "USD"): Decimal("1.1707")}


def test_a_file_past_the_size_bound_is_refused_unread(monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_BYTES", len(THREE_DAYS) - 1)

    errors = refused(THREE_DAYS)

    assert errors == [
        "“eurofxref-hist.csv” is larger than 0 MB; the ECB's full history is about 2 MB. "
        "Load the file as downloaded from the ECB."
    ]


def test_a_zip_that_unzips_past_the_size_bound_is_refused(monkeypatch):
    bomb = zipped({"eurofxref-hist.csv": HEADER.encode() + b"\n" + b" " * 100_000})
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 50_000)
    assert len(bomb) < 50_000

    errors = refused(bomb, "eurofxref-hist.zip")

    assert errors == [
        "“eurofxref-hist.csv” is larger than 0 MB; the ECB's full history is about 2 MB. "
        "Load the file as downloaded from the ECB."
    ]


def test_a_zip_whose_member_lies_about_its_size_stops_at_the_declared_size(monkeypatch):
    content = bytearray(zipped({"eurofxref-hist.csv": THREE_DAYS + b" " * 10_000}))
    # Shrink the size the central directory declares: zipfile must not inflate past it.
    declared = content.rindex(b"PK\x01\x02") + 24
    content[declared : declared + 4] = (100).to_bytes(4, "little")

    errors = refused(bytes(content), "eurofxref-hist.zip")

    assert errors == ["“eurofxref-hist.zip” is not a readable zip file."]


def test_a_file_with_too_many_lines_is_refused(monkeypatch):
    monkeypatch.setattr(services, "MAX_LINES", 3)

    errors = refused(THREE_DAYS)

    assert errors == ["The file has more than 3 lines; the ECB's history has about 7,000."]
    assert not ExchangeRate.objects.exists()


def test_a_line_the_csv_reader_cannot_read_is_named(earlier_rate):
    content = history("2026-10-30,1.1172,175.68,0.8338,", f'2026-10-29,"{"9" * 140_000}",,,')

    assert refused(content) == ["line 3 cannot be read: field larger than field limit (131072)."]
    assert ExchangeRate.objects.count() == 1
