"""The totals download: each figure converted into the reporting currency with its rates' day,
then its subtotals by the currency entered; honest about what had no rate, never a formula."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_TRIGGERS, PLAIN_NUMBER
from currencies.models import ExchangeRate
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory
from transition.models import OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

OCT_30 = date(2026, 10, 30)
HEADERS = ["figure", "currency", "amount", "rates_of", "basis"]
OUTSOURCED = "Annual outsourced cost"
INHOUSE = "Projected in-house annual cost"
ONE_OFF = "One-off transition cost"


def rate(currency: str, per_euro: str, on: date = OCT_30) -> None:
    ExchangeRate.objects.create(date=on, currency=currency, rate=Decimal(per_euro))


def process(currency: str, outsourced, inhouse=None, one_off=None, **fields):
    return OutsourcedProcessFactory(
        contract=ContractFactory(currency=currency),
        annual_outsourced_cost=None if outsourced is None else Decimal(outsourced),
        projected_inhouse_annual_cost=None if inhouse is None else Decimal(inhouse),
        one_off_transition_cost=None if one_off is None else Decimal(one_off),
        **fields,
    )


def download(client, user, fmt="csv", **query):
    client.force_login(user)
    return client.get(reverse("portfolio_totals", args=[fmt]), query)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def by_figure(rows, figure: str) -> list[list[str]]:
    """The rows of one figure as (currency, amount, rates_of, basis)."""
    return [list(row[1:]) for row in rows[1:] if row[0].startswith(figure)]


@pytest.fixture
def three_currencies():
    rate("GBP", "0.8338")
    rate("USD", "1.1172")
    process("GBP", "4200000", "3350000", "1850000")
    process("EUR", "1150000", "960000", "520000")
    process("USD", "2320000", None, "300000")  # no in-house figure: not in the saving


def test_csv_has_each_converted_total_with_its_rates_day_then_the_subtotals(
    client, viewer, three_currencies
):
    response = download(client, viewer)

    assert response["Content-Disposition"] == (
        'attachment; filename="portfolio-totals-2026-11-24.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == HEADERS
    # GBP 4,200,000 / 0.8338 = 5,037,179.18; USD 2,320,000 / 1.1172 = 2,076,620.12.
    assert by_figure(rows, OUTSOURCED) == [
        ["EUR", "8263799.30", "2026-10-30", "converted total"],
        ["EUR", "1150000.00", "", "entered in EUR"],
        ["GBP", "4200000.00", "", "entered in GBP"],
        ["USD", "2320000.00", "", "entered in USD"],
    ]
    # GBP 3,350,000 / 0.8338 = 4,017,750.06, plus EUR 960,000; the USD process has none.
    assert by_figure(rows, INHOUSE) == [
        ["EUR", "4977750.06", "2026-10-30", "converted total"],
        ["EUR", "960000.00", "", "entered in EUR"],
        ["GBP", "3350000.00", "", "entered in GBP"],
    ]
    # (5,037,179.18 + 1,150,000) - (4,017,750.06 + 960,000), over the GBP and EUR processes.
    saving = [row for row in rows if row[0].startswith("Annual saving")]
    assert {row[0] for row in saving} == {"Annual saving (over the 2 processes with both figures)"}
    assert [row[1:] for row in saving] == [
        ["EUR", "1209429.12", "2026-10-30", "converted total"],
        ["EUR", "190000.00", "", "entered in EUR"],
        ["GBP", "850000.00", "", "entered in GBP"],
    ]
    # GBP 1,850,000 / 0.8338 = 2,218,757.50; USD 300,000 / 1.1172 = 268,528.46.
    assert by_figure(rows, ONE_OFF) == [
        ["EUR", "3007285.96", "2026-10-30", "converted total"],
        ["EUR", "520000.00", "", "entered in EUR"],
        ["GBP", "1850000.00", "", "entered in GBP"],
        ["USD", "300000.00", "", "entered in USD"],
    ]
    assert len(rows) == 1 + 4 + 3 + 3 + 4


def test_xlsx_holds_the_same_rows_with_amounts_as_numbers(client, viewer, three_currencies):
    response = download(client, viewer, "xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="portfolio-totals-2026-11-24.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Portfolio totals"
    amounts = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "n" for cell in amounts)
    rows = xlsx_rows(response)
    assert list(rows[0]) == HEADERS
    assert [(row[1], Decimal(str(row[2])), row[3], row[4]) for row in rows[1:5]] == [
        ("EUR", Decimal("8263799.30"), "2026-10-30", "converted total"),
        ("EUR", Decimal("1150000.00"), None, "entered in EUR"),
        ("GBP", Decimal("4200000.00"), None, "entered in GBP"),
        ("USD", Decimal("2320000.00"), None, "entered in USD"),
    ]
    assert [row[0] for row in rows[1:]] == [row[0] for row in csv_rows(download(client, viewer))][
        1:
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_currency_without_a_rate_is_left_out_of_the_total_and_said_so(client, viewer, fmt):
    process("EUR", "100")
    process("GBP", "100")  # no GBP rate at all

    response = download(client, viewer, fmt)

    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    outsourced = [
        (row[1], Decimal(str(row[2])), row[3] or "", row[4])
        for row in rows[1:]
        if row[0] == OUTSOURCED
    ]
    # EUR 100, never "200": the GBP cannot be added without a rate.
    assert outsourced == [
        (
            "EUR",
            Decimal("100.00"),
            "",
            "converted total — incomplete: GBP 100 not converted (no rate)",
        ),
        ("EUR", Decimal("100.00"), "", "entered in EUR"),
        ("GBP", Decimal("100.00"), "", "not converted: no rate on or before 2026-11-24"),
    ]


def test_the_rates_are_of_the_day_asked_for(client, viewer):
    rate("GBP", "0.8338")
    rate("GBP", "0.8000", on=date(2026, 11, 20))
    process("GBP", "800000")

    today = csv_rows(download(client, viewer))
    before = download(client, viewer, on="2026-11-01")
    too_early = csv_rows(download(client, viewer, on="2026-10-29"))

    # GBP 800,000 / 0.8 = EUR 1,000,000 today; / 0.8338 = 959,462.70 with October's rate.
    assert by_figure(today, OUTSOURCED)[0] == [
        "EUR",
        "1000000.00",
        "2026-11-20",
        "converted total",
    ]
    assert before["Content-Disposition"] == (
        'attachment; filename="portfolio-totals-2026-11-01.csv"'
    )
    assert by_figure(csv_rows(before), OUTSOURCED)[0] == [
        "EUR",
        "959462.70",
        "2026-10-30",
        "converted total",
    ]
    assert by_figure(too_early, OUTSOURCED) == [
        [
            "EUR",
            "0.00",
            "",
            "converted total — incomplete: GBP 800,000 not converted (no rate)",
        ],
        ["GBP", "800000.00", "", "not converted: no rate on or before 2026-10-29"],
    ]


def test_only_euro_amounts_need_no_conversion(client, viewer):
    process("EUR", "1000", "400", None)

    rows = csv_rows(download(client, viewer))

    assert by_figure(rows, OUTSOURCED) == [
        ["EUR", "1000.00", "", "total as entered (nothing to convert)"],
        ["EUR", "1000.00", "", "entered in EUR"],
    ]
    # No process has a one-off cost: a zero total and no subtotal.
    assert by_figure(rows, ONE_OFF) == [
        ["EUR", "0.00", "", "total as entered (nothing to convert)"]
    ]


@pytest.mark.parametrize("on", ["2026-13-01", "24/11/2026", "yesterday", "2026-11-24T00:00"])
def test_a_bad_day_is_refused_with_a_clear_message(client, viewer, on):
    response = download(client, viewer, on=on)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Rates of: Give the day as YYYY-MM-DD, such as 2026-10-30." in (
        response.content.decode()
    )


def test_an_unknown_programme_is_refused_with_a_clear_message(client, viewer):
    response = download(client, viewer, programme="999999")

    assert response.status_code == 400
    assert "Programme: Select a valid choice." in response.content.decode()


def test_a_programme_pages_download_has_only_its_processes(client, viewer):
    rate("GBP", "0.8338")
    mine = ProgrammeFactory()
    process("GBP", "834", programme=mine)
    process("EUR", "1000", programme=mine)
    process("EUR", "5000000")  # another programme's

    response = download(client, viewer, programme=mine.pk)

    assert response["Content-Disposition"] == (
        f'attachment; filename="programme-{mine.pk}-totals-2026-11-24.csv"'
    )
    # GBP 834 / 0.8338 = EUR 1,000.24, plus EUR 1,000.
    assert by_figure(csv_rows(response), OUTSOURCED) == [
        ["EUR", "2000.24", "2026-10-30", "converted total"],
        ["EUR", "1000.00", "", "entered in EUR"],
        ["GBP", "834.00", "", "entered in GBP"],
    ]


def test_the_process_lists_filters_and_search_select_the_same_processes(client, viewer):
    process("EUR", "1000", state=OutsourcedProcess.State.TRANSITION, name="Payroll")
    process("EUR", "2000", state=OutsourcedProcess.State.TRANSITION, name="Billing")
    process("EUR", "4000", name="Payroll archive")

    in_transition = download(client, viewer, state="transition")
    searched = download(client, viewer, state="transition", q="payroll")

    assert in_transition["Content-Disposition"] == (
        'attachment; filename="processes-totals-2026-11-24.csv"'
    )
    assert by_figure(csv_rows(in_transition), OUTSOURCED)[0][1] == "3000.00"
    assert by_figure(csv_rows(searched), OUTSOURCED)[0][1] == "1000.00"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_cell_can_become_a_formula(client, viewer, fmt):
    programme = ProgrammeFactory(name="=cmd|' /C calc'!A0")
    process("EUR", "10", name="=cmd|' /C calc'!A0", programme=programme)
    process("GBP", "100", name="+SUM(A1:A2)", programme=programme)

    response = download(client, viewer, fmt, programme=programme.pk)

    if fmt == "csv":
        cells = [cell for row in csv_rows(response) for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        cells = [value for row in xlsx_rows(response) for value in row]
    texts = [cell for cell in cells if isinstance(cell, str) and cell]
    assert [t for t in texts if t[0] in FORMULA_TRIGGERS and not PLAIN_NUMBER.fullmatch(t)] == []
    assert not any("cmd|" in text or "SUM(" in text for text in texts)


def test_signing_in_is_required(client):
    response = client.get(reverse("portfolio_totals", args=["csv"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["operations_manager", "project_lead", "viewer"])
def test_every_role_may_download(client, request, role):
    process("EUR", "1000")
    user = request.getfixturevalue(role)

    for fmt in ("csv", "xlsx"):
        assert download(client, user, fmt).status_code == 200


def test_an_unknown_format_is_not_found(client, viewer):
    client.force_login(viewer)

    assert client.get("/portfolio/totals.pdf").status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_query_count_is_fixed_whatever_the_number_of_processes(
    client, viewer, django_assert_num_queries, count
):
    rate("GBP", "0.8338")
    programme = ProgrammeFactory()
    for n in range(count):
        process(("GBP", "EUR")[n % 2], "1000", "800", programme=programme)
    client.force_login(viewer)
    url = reverse("portfolio_totals", args=["xlsx"])

    # The session, the user, the grouped sums and the rates.
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    # With a filter also the filter's people choices and the programme it names.
    with django_assert_num_queries(6):
        assert client.get(url, {"programme": programme.pk}).status_code == 200


def test_the_dashboard_and_the_programme_page_link_to_the_download(client, viewer):
    programme = ProgrammeFactory()
    client.force_login(viewer)

    dashboard = client.get(reverse("dashboard")).content.decode()
    page = client.get(programme.get_absolute_url()).content.decode()

    assert 'href="/portfolio/totals.csv"' in dashboard
    assert 'href="/portfolio/totals.xlsx"' in dashboard
    assert f'href="/portfolio/totals.csv?programme={programme.pk}"' in page
    assert f'href="/portfolio/totals.xlsx?programme={programme.pk}"' in page
