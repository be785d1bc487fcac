"""Rates files as the ECB publishes them, built line by line for the tests."""

import io
import zipfile

# The history file's layout: every line ends with a comma (an empty last column).
HEADER = "Date,USD,JPY,GBP,"

# The ECB's daily file of 30 October 2026, byte for byte (eurofxref.csv, from eurofxref.zip).
DAILY = (
    b"Date, USD, JPY, CZK, DKK, GBP, HUF, PLN, RON, SEK, CHF, ISK, NOK, TRY, AUD, BRL, CAD, "
    b"CNY, HKD, IDR, ILS, INR, KRW, MXN, MYR, NZD, PHP, SGD, THB, ZAR, \n"
    b"30 October 2026, 1.1172, 175.68, 24.353, 7.4735, 0.83380, 366.33, 4.4038, 5.3447, "
    b"10.9780, 0.9194, 136.00, 10.3120, 55.8015, 1.5904, 6.0692, 1.5606, 7.4326, 8.7652, "
    b"20275.17, 3.4950, 106.0840, 1491.76, 21.1237, 4.5325, 1.9823, 71.143, 1.4282, 37.683, "
    b"18.6455, \n"
)


def history(*rows: str, header: str = HEADER) -> bytes:
    """A history CSV: the header, then the rows, each line ended by a line feed."""
    return "".join(f"{line}\n" for line in (header, *rows)).encode()


def zipped(members: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return stream.getvalue()


# Three days of real ECB rates (2026-10-28 to 30); the ECB had no JPY gap, one is made here.
THREE_DAYS = history(
    "2026-10-30,1.1172,175.68,0.8338,",
    "2026-10-29,1.113,N/A,0.83578,",
    "2026-10-28,1.1133,,0.83785,",
)
