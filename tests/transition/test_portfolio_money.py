"""Portfolio money: summed per currency, converted once with a stated day's rates, never mixed.

Rates are euro reference rates, as the ECB quotes them: units of the currency one euro buys.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from currencies.models import ExchangeRate
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory
from transition.demo import PROGRAMME_NAME
from transition.models import OutsourcedProcess, Programme
from transition.selectors import money_figures, portfolio_money, programme_money

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

OCT_30 = date(2026, 10, 30)


def rate(currency: str, per_euro: str, day: date = OCT_30) -> ExchangeRate:
    return ExchangeRate.objects.create(date=day, currency=currency, rate=Decimal(per_euro))


def process(currency: str, outsourced, inhouse=None, one_off=None, **fields) -> OutsourcedProcess:
    """A process whose contract (and so whose figures) are in `currency`."""
    fields.setdefault("contract", ContractFactory(currency=currency))
    return OutsourcedProcessFactory(
        annual_outsourced_cost=None if outsourced is None else Decimal(outsourced),
        projected_inhouse_annual_cost=None if inhouse is None else Decimal(inhouse),
        one_off_transition_cost=None if one_off is None else Decimal(one_off),
        **fields,
    )


def amount(total) -> Decimal:
    return total.amount.amount


# The rule


def test_each_currency_is_summed_then_converted_once_with_the_days_rate():
    rate("GBP", "0.8338")
    process("GBP", "100000", "60000")
    process("GBP", "50000", "40000")
    process("EUR", "70000", "50000")

    figures = money_figures(on=TODAY)

    # GBP 150,000 / 0.8338 = EUR 179,899.26 (to the cent, half-up), plus EUR 70,000.
    assert amount(figures.annual_outsourced_cost) == Decimal("249899.26")
    # GBP 100,000 / 0.8338 = EUR 119,932.84, plus EUR 50,000.
    assert amount(figures.projected_inhouse_annual_cost) == Decimal("169932.84")
    assert amount(figures.annual_saving) == Decimal("79966.42")
    assert figures.currency == "EUR"
    assert figures.rates_date == OCT_30
    assert figures.complete
    assert {code: s.annual_outsourced_cost for code, s in figures.by_currency.items()} == {
        "EUR": Decimal("70000"),
        "GBP": Decimal("150000"),
    }


def test_the_latest_rate_on_or_before_the_day_is_used():
    rate("GBP", "0.8", date(2026, 10, 1))
    rate("GBP", "0.5", date(2026, 11, 2))
    process("GBP", "100")

    before = money_figures(on=date(2026, 11, 1))
    after = money_figures(on=date(2026, 11, 2))

    assert (amount(before.annual_outsourced_cost), before.rates_date) == (
        Decimal("125.00"),
        date(2026, 10, 1),
    )
    assert (amount(after.annual_outsourced_cost), after.rates_date) == (
        Decimal("200.00"),
        date(2026, 11, 2),
    )


def test_a_currency_without_a_rate_is_listed_and_never_added():
    rate("GBP", "0.8338")
    process("EUR", "1000", "800", "500")
    process("CHF", "5000", "4000", "3000")

    figures = money_figures(on=TODAY)

    assert amount(figures.annual_outsourced_cost) == Decimal("1000")
    assert amount(figures.annual_saving) == Decimal("200")
    assert not figures.complete
    assert list(figures.unconverted) == ["CHF"]
    assert figures.annual_outsourced_cost.unconverted["CHF"].amount == Decimal("5000")
    assert figures.annual_saving.unconverted["CHF"].amount == Decimal("1000")
    # A payback on part of the money would mislead.
    assert figures.payback_months is None


def test_two_currencies_without_rates_are_never_added_as_one():
    process("GBP", "100", "0")
    process("EUR", "100", "0")

    figures = money_figures(on=TODAY)

    assert amount(figures.annual_outsourced_cost) == Decimal("100")
    assert figures.annual_outsourced_cost.unconverted["GBP"].amount == Decimal("100")
    assert amount(figures.annual_saving) == Decimal("100")
    assert Decimal("200") not in {amount(total) for total in figures.totals}


def test_the_saving_is_over_the_processes_with_both_figures_and_says_how_many():
    process("EUR", "1000", "600", "100")
    process("EUR", "500", None, "900")  # no in-house cost: no saving
    process("EUR", None, "300")  # no outsourced cost: no saving
    process("EUR", None)

    figures = money_figures(on=TODAY)

    assert (figures.process_count, figures.saving_count, figures.left_out) == (4, 1, 3)
    assert amount(figures.annual_outsourced_cost) == Decimal("1500")
    assert amount(figures.projected_inhouse_annual_cost) == Decimal("900")
    assert amount(figures.saving_outsourced) == Decimal("1000")
    assert amount(figures.saving_inhouse) == Decimal("600")
    assert amount(figures.annual_saving) == Decimal("400")
    # Payback on the totals shown: EUR 1,000 one-off over EUR 400 a year.
    assert figures.payback_months == Decimal("30.0")


def test_the_saving_is_exactly_the_converted_outsourced_minus_the_converted_in_house():
    rate("USD", "1.1172")
    rate("GBP", "0.8338")
    process("USD", "333333.33", "111111.11")
    process("GBP", "777777.77", "222222.22")

    figures = money_figures(on=TODAY)

    assert amount(figures.annual_saving) == amount(figures.saving_outsourced) - amount(
        figures.saving_inhouse
    )


@pytest.mark.parametrize(
    ("currency", "expected"),
    [
        # EUR 1,000 × 0.8338.
        ("EUR", Decimal("833.80")),
        # USD 1,117.20 / 1.1172 × 0.8338: through the euro.
        ("USD", Decimal("833.80")),
        ("GBP", Decimal("1000.00")),
    ],
)
def test_a_reporting_currency_other_than_the_euro_converts_through_the_euro(
    settings, currency, expected
):
    settings.REPORTING_CURRENCY = "GBP"
    rate("USD", "1.1172")
    rate("GBP", "0.8338")
    process(currency, "1117.20" if currency == "USD" else "1000")

    figures = money_figures(on=TODAY)

    assert figures.currency == "GBP"
    assert amount(figures.annual_outsourced_cost) == expected
    assert figures.annual_outsourced_cost.currency == "GBP"


def test_a_process_without_a_currency_of_its_own_counts_in_its_contracts():
    rate("GBP", "0.8")
    saved = process("GBP", "80")
    OutsourcedProcess.objects.filter(pk=saved.pk).update(currency="")

    figures = money_figures(on=TODAY)

    assert list(figures.by_currency) == ["GBP"]
    assert amount(figures.annual_outsourced_cost) == Decimal("100.00")


def test_the_portfolio_is_split_by_state_with_one_set_of_rates():
    rate("GBP", "0.8")
    process("GBP", "80", "40")
    process("EUR", "10", "5", state=OutsourcedProcess.State.TRANSITION)

    money = portfolio_money(on=TODAY)

    states = {s.state: s.figures for s in money.states}
    assert list(states) == ["outsourced", "exit_notice", "transition", "in_house"]
    assert amount(states["outsourced"].annual_saving) == Decimal("50.00")
    assert amount(states["transition"].annual_saving) == Decimal("5")
    assert states["in_house"].process_count == 0
    assert amount(money.total.annual_saving) == Decimal("55.00")


# Queries


def test_the_portfolio_costs_one_grouped_query_and_one_for_the_rates(django_assert_num_queries):
    rate("GBP", "0.8")
    rate("USD", "1.1")
    for currency in ("GBP", "USD", "EUR") * 5:
        process(currency, "100", "50")

    with django_assert_num_queries(2):
        money = portfolio_money(on=TODAY)

    assert money.total.process_count == 15


def test_a_portfolio_all_in_the_reporting_currency_needs_no_rates(django_assert_num_queries):
    process("EUR", "100", "50")

    with django_assert_num_queries(1):
        figures = money_figures(on=TODAY)

    assert figures.rates_date is None


def test_every_programme_is_totalled_in_one_grouped_query(django_assert_num_queries):
    rate("GBP", "0.8")
    programmes = ProgrammeFactory.create_batch(3)
    for programme in programmes[:2]:
        process("GBP", "80", "40", programme=programme)
        process("EUR", "20", "10", programme=programme)

    with django_assert_num_queries(2):
        money = programme_money([p.pk for p in programmes], on=TODAY)

    assert [amount(money[p.pk].annual_saving) for p in programmes] == [
        Decimal("60.00"),
        Decimal("60.00"),
        Decimal("0"),
    ]
    assert money[programmes[2].pk].process_count == 0


def test_a_page_converting_a_currency_costs_one_query_more_for_the_rates(
    client, operations_manager
):
    client.force_login(operations_manager)
    programme = ProgrammeFactory()
    process("EUR", "100", "50", programme=programme)
    counts = {}
    for name in ("process_list", "process_board", "programme_list"):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(f"transition:{name}"))
        counts[name] = len(captured)
    rate("GBP", "0.8")
    process("GBP", "100", "50", programme=programme)

    for name, before in counts.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(f"transition:{name}"))
        assert len(captured) == before + 1, name


# Every page, the admin and the API


PAGES = [
    "dashboard",
    "transition:process_board",
    "transition:process_list",
    "transition:programme_list",
    "transition:programme_detail",
    "admin:transition_programme_changelist",
]


def page(client, name: str, programme: Programme) -> str:
    args = [programme.pk] if name == "transition:programme_detail" else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def without_a_rate(db):
    """EUR 20,000 − 16,000 and CHF 1,000 − 700 in one programme; the franc has no rate."""
    rate("GBP", "0.8338")
    programme = ProgrammeFactory(name="Both")
    process("EUR", "20000", "16000", "500", programme=programme)
    process("CHF", "1000", "700", "40", programme=programme)
    return programme


@pytest.mark.parametrize("name", PAGES)
def test_every_page_lists_a_currency_without_a_rate_and_does_not_add_it(
    admin_client, without_a_rate, name
):
    html = page(admin_client, name, without_a_rate)

    # The franc's saving, listed as left out of the incomplete total.
    assert "incomplete" in html
    assert "not added" in html
    assert "CHF 300" in html
    # Never the franc added as if it were euros: 21,000 − 16,700 = 4,300.
    for mixed in ("21,000", "16,700", "4,300", "540"):
        assert f"EUR {mixed}" not in html
        assert f"CHF {mixed}" not in html


def test_the_api_lists_a_currency_without_a_rate_and_does_not_add_it(admin_client, without_a_rate):
    data = admin_client.get("/api/v1/portfolio/").json()

    assert data["complete"] is False
    assert data["annual_saving"] == "4000.00"
    assert data["unconverted"]["CHF"]["annual_saving"] == "300.00"
    assert list(data["unconverted"]) == ["CHF"]


@pytest.mark.parametrize("name", PAGES)
def test_no_page_adds_pounds_and_euros_without_a_rate(admin_client, name):
    """GBP 100 and EUR 100, and no rate for the pound: never "200" of anything."""
    programme = ProgrammeFactory()
    process("GBP", "100", "0", "100", programme=programme)
    process("EUR", "100", "0", "100", programme=programme)

    html = page(admin_client, name, programme)

    assert "EUR 200" not in html
    assert "GBP 200" not in html
    assert "GBP 100" in html


def test_the_api_never_adds_pounds_and_euros_without_a_rate(admin_client):
    process("GBP", "100", "0", "100")
    process("EUR", "100", "0", "100")

    data = admin_client.get("/api/v1/portfolio/").json()

    figures = ("annual_outsourced_cost", "projected_inhouse_annual_cost", "annual_saving")
    assert "200.00" not in {data[f] for f in (*figures, "one_off_transition_cost")}
    assert data["annual_outsourced_cost"] == "100.00"
    assert data["unconverted"]["GBP"]["annual_outsourced_cost"] == "100.00"


# The demo


LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def demo(settings, tmp_path):
    """The demo loaded on 24 Nov 2026, with the shipped ECB rates (the latest: 30 Oct 2026)."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime(2026, 11, 24, 9, tzinfo=LONDON), tick=False):
        call_command("seed_demo", stdout=StringIO())
        yield Programme.objects.get(name=PROGRAMME_NAME)


def test_the_demo_mixes_pounds_euros_and_dollars(demo):
    currencies = dict(
        OutsourcedProcess.objects.filter(programme=demo).values_list("name", "currency")
    )

    assert currencies == {
        "Midlands DC fulfilment": "GBP",
        "Returns processing": "GBP",
        "IT service desk": "EUR",
        "End-user device management": "EUR",
        "Software licence management": "EUR",
        "Payroll processing": "EUR",
        "Customer service: phone and e-mail": "USD",
        "Social media and chat support": "USD",
    }


def test_the_demo_portfolio_converts_with_the_ecb_rates_of_30_october_2026(demo):
    """Recomputed by hand from the ECB's rates of 30 Oct 2026: USD 1.1172, GBP 0.8338 a euro.

    GBP: fulfilment 4,200,000 / 3,350,000 / 1,850,000; returns 860,000 / 690,000 / 310,000.
    EUR: desk 1,150,000 / 960,000 / 520,000; devices 780,000 / 610,000 / 240,000; licences
    310,000 / 220,000 / 90,000; payroll 640,000 / 455,000 / 380,000.
    USD: phone 1,900,000 / 1,520,000 / 640,000; chat 420,000 and nothing else (no saving).
    """
    figures = money_figures(on=date(2026, 11, 24))

    assert figures.rates_date == date(2026, 10, 30)
    assert figures.complete
    assert (figures.process_count, figures.saving_count) == (8, 7)
    # GBP 5,060,000 / 0.8338 = 6,068,601.58; USD 2,320,000 / 1.1172 = 2,076,620.12.
    assert amount(figures.annual_outsourced_cost) == Decimal("6068601.58") + Decimal(
        "2880000"
    ) + Decimal("2076620.12")
    assert amount(figures.annual_outsourced_cost) == Decimal("11025221.70")
    # GBP 4,040,000 / 0.8338 = 4,845,286.64; USD 1,520,000 / 1.1172 = 1,360,544.22.
    assert amount(figures.projected_inhouse_annual_cost) == Decimal("8450830.86")
    # Over the seven with both figures: USD 1,900,000 / 1.1172 = 1,700,680.27 outsourced.
    assert amount(figures.saving_outsourced) == Decimal("10649281.85")
    assert amount(figures.saving_inhouse) == Decimal("8450830.86")
    assert amount(figures.annual_saving) == Decimal("2198450.99")
    # GBP 2,160,000 / 0.8338 = 2,590,549.29; EUR 1,230,000; USD 640,000 / 1.1172 = 572,860.72.
    assert amount(figures.one_off_transition_cost) == Decimal("4393410.01")
    # 4,393,410.01 × 12 / 2,198,450.99 = 23.98…
    assert figures.payback_months == Decimal("24.0")
    assert {code: s.annual_saving for code, s in figures.by_currency.items()} == {
        "EUR": Decimal("635000.00"),
        "GBP": Decimal("1020000.00"),
        "USD": Decimal("380000.00"),
    }


def test_seeding_the_demo_again_loads_the_rates_again_without_writing_them(demo):
    rates = ExchangeRate.objects.count()

    with time_machine.travel(datetime(2026, 11, 24, 9, tzinfo=LONDON), tick=False):
        out = StringIO()
        call_command("seed_demo", stdout=out)

    assert ExchangeRate.objects.count() == rates > 0
    assert "0 new or changed" in out.getvalue()


# Exports


def test_the_process_export_gives_each_row_its_currency_and_adds_nothing_up(client, viewer):
    process("GBP", "100", "60")
    process("EUR", "100", "60")
    client.force_login(viewer)

    response = client.get(reverse("transition:process_list"), {"export": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert sorted((row["currency"], row["annual_outsourced_cost"]) for row in rows) == [
        ("EUR", "100.00"),
        ("GBP", "100.00"),
    ]
    assert len(rows) == 2  # no totals row
