"""The dashboard's money: converted into the reporting currency, with the rates' day, honest
about what it could not convert, the subtotals by currency on demand, the chart converted."""

import html
import json
import re
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from currencies.models import ExchangeRate
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory
from transition.models import OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

OCT_30 = date(2026, 10, 30)


def rate(currency: str, per_euro: str) -> None:
    ExchangeRate.objects.create(date=OCT_30, currency=currency, rate=Decimal(per_euro))


def process(currency: str, outsourced, inhouse=None, one_off=None, **fields):
    return OutsourcedProcessFactory(
        contract=ContractFactory(currency=currency),
        annual_outsourced_cost=None if outsourced is None else Decimal(outsourced),
        projected_inhouse_annual_cost=None if inhouse is None else Decimal(inhouse),
        one_off_transition_cost=None if one_off is None else Decimal(one_off),
        **fields,
    )


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


def text(response) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    page = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def section(response, testid: str) -> str:
    page = response.content.decode()
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</dl>" if testid == "portfolio" else "</p>", start)]


def test_totals_are_converted_into_the_reporting_currency_with_the_rates_day(client, viewer):
    rate("GBP", "0.8338")
    process("GBP", "4200000", "3350000", "1850000")
    process("EUR", "1150000", "960000", "520000", state=OutsourcedProcess.State.TRANSITION)

    response = dashboard(client, viewer)

    words = text(response)
    assert "In EUR, converted at the ECB rates of 30 Oct 2026." in words
    # GBP 4,200,000 / 0.8338 = EUR 5,037,179.18, plus EUR 1,150,000: not "EUR 5,350,000".
    portfolio = section(response, "portfolio")
    assert "EUR 6,187,179" in portfolio
    assert "5,350,000" not in response.content.decode()
    # GBP 850,000 / 0.8338 = 1,019,429.12, plus EUR 190,000.
    assert "EUR 1,209,429" in portfolio
    assert "incomplete" not in words


def test_the_subtotals_by_currency_are_a_disclosure_each_in_its_own_currency(client, viewer):
    rate("GBP", "0.8338")
    rate("USD", "1.1172")
    process("GBP", "4200000", "3350000")
    process("USD", "1900000", "1520000")
    process("EUR", "640000", "455000")

    page = dashboard(client, viewer).content.decode()

    start = page.index('<details class="small money-subtotals"')
    subtotals = page[start : page.index("</details>", start)]
    for amount in ("GBP 4,200,000", "GBP 850,000", "USD 1,900,000", "USD 380,000", "EUR 185,000"):
        assert amount in subtotals


def test_a_currency_without_a_rate_makes_the_totals_incomplete_and_is_listed(client, viewer):
    process("EUR", "20000", "16000", "500")
    process("CHF", "1000", "700", "40")

    response = dashboard(client, viewer)

    words = text(response)
    assert "Incomplete: no rate on or before 24 Nov 2026 for CHF" in words
    portfolio = text(response).split("Annual outsourced cost", 1)[1]
    assert "EUR 20,000 incomplete not added, no rate: CHF 1,000" in portfolio
    assert "EUR 4,000 incomplete not added, no rate: CHF 300" in portfolio
    assert "EUR 21,000" not in words
    assert "EUR 4,300" not in words
    # No payback on part of the money.
    assert "none while a total is incomplete" in words
    assert response.context["chart"]["complete"] is False


def test_the_saving_says_what_it_counts(client, viewer):
    process("EUR", "1000", "600")
    process("EUR", "500", None)
    process("EUR", None, None)

    words = text(dashboard(client, viewer))

    assert (
        "Annual saving = annual outsourced cost − projected in-house cost, over the 1 process "
        "that has both figures (EUR 1,000 − EUR 600); 2 processes without both are left out."
    ) in words
    assert "the 2 processes with the figure" in words  # the outsourced cost's


def test_the_chart_is_in_the_reporting_currency(client, viewer):
    rate("GBP", "0.8")
    process("GBP", "80", "40")
    process("CHF", "5000", "1000")  # no rate: not in the bars

    chart = dashboard(client, viewer).context["chart"]

    assert chart["currency"] == "EUR"
    assert chart["series"][0]["data"] == [100.0, 0.0, 0.0, 0.0]
    assert chart["series"][2]["data"] == [50.0, 0.0, 0.0, 0.0]


def test_a_reporting_currency_other_than_the_euro(client, viewer, settings):
    settings.REPORTING_CURRENCY = "GBP"
    rate("GBP", "0.8338")
    process("EUR", "1000", "500")
    process("GBP", "1000", "500")

    response = dashboard(client, viewer)

    # EUR 1,000 × 0.8338 + GBP 1,000.
    assert "GBP 1,834" in section(response, "portfolio")
    assert "In GBP, converted at the ECB rates of 30 Oct 2026." in text(response)
    assert response.context["chart"]["currency"] == "GBP"
    embedded = response.content.decode().split('id="portfolio-chart-data"', 1)[1]
    chart = json.loads(embedded[embedded.index(">") + 1 : embedded.index("</script>")])
    assert chart["currency"] == "GBP"


def test_every_state_card_shows_its_converted_outsourced_cost(client, viewer):
    rate("USD", "1.1172")
    process("USD", "1117200", state=OutsourcedProcess.State.EXIT_NOTICE)

    page = dashboard(client, viewer).content.decode()

    card = page[page.index('data-testid="state-exit_notice"') :]
    assert "EUR 1,000,000" in card[: card.index("</a>")]


@pytest.mark.parametrize("rows", [1, 25])
def test_converting_costs_the_dashboard_one_query_for_the_rates(
    client, operations_manager, django_assert_num_queries, rows
):
    rate("GBP", "0.8")
    for _ in range(rows):
        process("GBP", "100", "50", owner=operations_manager)
        process("EUR", "100", "50")
    client.force_login(operations_manager)

    # The 41 of tests/web/test_dashboard_scale.py less 3, plus the rates of the currencies
    # to convert: the end of termination assistance loads the rows it shows only when it
    # shows one (web/selectors.py), and the notice deadline's and dispatch-by's outsourced
    # processes are read only for rows shown, which there are none of here.
    with django_assert_num_queries(39):
        response = client.get(reverse("dashboard"))

    assert response.context["dashboard"].portfolio.total.process_count == 2 * rows


def test_the_demo_dashboard_shows_the_portfolio_converted_at_the_ecb_rates(
    client, settings, tmp_path
):
    """The demo's GBP, EUR and USD processes at the ECB's rates of 30 Oct 2026 (USD 1.1172,
    GBP 0.8338 a euro), recomputed by hand in tests/transition/test_portfolio_money.py."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(
        datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Europe/London")), tick=False
    ):
        call_command("seed_demo", stdout=StringIO())
        client.force_login(OutsourcedProcess.objects.first().owner)
        response = client.get(reverse("dashboard"))

    portfolio = section(response, "portfolio")
    assert "EUR 11,025,222" in portfolio  # 11,025,221.70 outsourced
    assert "EUR 8,450,831" in portfolio  # 8,450,830.86 in-house
    assert "EUR 2,198,451" in portfolio  # 2,198,450.99 saving
    assert "EUR 4,393,410" in portfolio  # 4,393,410.01 one-off
    assert "24.0 months" in portfolio
    assert "In EUR, converted at the ECB rates of 30 Oct 2026." in text(response)
    assert "EUR 10,260,000" not in response.content.decode()
