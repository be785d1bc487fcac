"""`manage.py load_exchange_rates FILE`: one summary line, or every error and nothing written."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from currencies.models import ExchangeRate
from tests.currencies.files import THREE_DAYS, history, zipped

pytestmark = pytest.mark.django_db


def test_the_command_loads_a_zip_and_prints_a_summary(tmp_path):
    path = tmp_path / "eurofxref-hist.zip"
    path.write_bytes(zipped({"eurofxref-hist.csv": THREE_DAYS}))
    out = StringIO()

    call_command("load_exchange_rates", str(path), stdout=out)

    assert out.getvalue() == (
        "Loaded eurofxref-hist.zip: 7 rates of 3 currencies on 3 days, "
        "from 2026-10-28 to 2026-10-30; 7 new or changed.\n"
    )
    usd = ExchangeRate.objects.get(date=date(2026, 10, 30), currency="USD")
    assert usd.rate == Decimal("1.1172")


def test_a_bad_file_fails_with_every_error_and_writes_nothing(tmp_path):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_bytes(
        history(
            "2026-10-30,1.1172,175.68,0.8338,",
            "2026-10-29,1.113,abc,0.83578,",
            "2026-10-29,1.1133,175.86,0.83785,",
        )
    )

    with pytest.raises(CommandError) as failed:
        call_command("load_exchange_rates", str(path))

    assert str(failed.value).splitlines() == [
        "eurofxref-hist.csv was not loaded; no rate was written:",
        "line 3, column JPY: “abc” is not a rate (a positive number with at most 6 decimals, "
        "such as 1.1172).",
        "line 4: 2026-10-29 is already on line 3.",
    ]
    assert not ExchangeRate.objects.exists()


def test_a_missing_file_fails(tmp_path):
    with pytest.raises(CommandError, match="No such file or directory"):
        call_command("load_exchange_rates", str(tmp_path / "eurofxref-hist.zip"))
