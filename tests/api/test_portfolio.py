"""GET /api/v1/portfolio/: totals in the reporting currency, honest about what they leave out."""

from datetime import date
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.services import token_create
from currencies.models import ExchangeRate
from tests.api.conftest import ROLES
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

URL = "/api/v1/portfolio/"
OCT_30 = date(2026, 10, 30)


def rate(currency: str, per_euro: str, day: date = OCT_30) -> None:
    ExchangeRate.objects.create(date=day, currency=currency, rate=Decimal(per_euro))


def process(currency: str, outsourced: str, inhouse: str | None, one_off: str | None, **fields):
    return OutsourcedProcessFactory(
        contract=ContractFactory(currency=currency),
        annual_outsourced_cost=Decimal(outsourced),
        projected_inhouse_annual_cost=None if inhouse is None else Decimal(inhouse),
        one_off_transition_cost=None if one_off is None else Decimal(one_off),
        **fields,
    )


@pytest.fixture
def mixed():
    """GBP 834 − 417 (one-off 8,338) and USD 1,117.20 with no in-house cost, EUR 100 − 60."""
    rate("GBP", "0.8338")
    rate("USD", "1.1172")
    rate("GBP", "0.5", date(2026, 10, 1))
    process("GBP", "833.80", "416.90", "8338")
    process("USD", "1117.20", None, None)
    process("EUR", "100", "60", None)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_portfolio(client_for, request, role, mixed):
    response = client_for(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 200


def test_the_portfolio_needs_a_signed_in_user_and_cannot_be_written(client, ops_client):
    assert client.get(URL).status_code == 403
    assert ops_client.post(URL, {}).status_code == 403


def test_totals_are_decimal_strings_in_the_reporting_currency(ops_client, mixed):
    data = ops_client.get(URL).json()

    assert data == {
        "currency": "EUR",
        "on": "2026-11-24",
        "rates_date": "2026-10-30",
        "complete": True,
        "process_count": 3,
        "saving_process_count": 2,
        # GBP 833.80 / 0.8338 = 1,000; USD 1,117.20 / 1.1172 = 1,000; EUR 100.
        "annual_outsourced_cost": "2100.00",
        # GBP 416.90 / 0.8338 = 500; EUR 60.
        "projected_inhouse_annual_cost": "560.00",
        # Over the GBP and EUR processes, which have both figures: 1,100 − 560.
        "annual_saving": "540.00",
        "one_off_transition_cost": "10000.00",
        # 10,000 × 12 / 540.
        "payback_months": "222.2",
        "by_currency": {
            "EUR": {
                "process_count": 1,
                "saving_process_count": 1,
                "annual_outsourced_cost": "100.00",
                "projected_inhouse_annual_cost": "60.00",
                "annual_saving": "40.00",
                "one_off_transition_cost": "0.00",
            },
            "GBP": {
                "process_count": 1,
                "saving_process_count": 1,
                "annual_outsourced_cost": "833.80",
                "projected_inhouse_annual_cost": "416.90",
                "annual_saving": "416.90",
                "one_off_transition_cost": "8338.00",
            },
            "USD": {
                "process_count": 1,
                "saving_process_count": 0,
                "annual_outsourced_cost": "1117.20",
                "projected_inhouse_annual_cost": "0.00",
                "annual_saving": "0.00",
                "one_off_transition_cost": "0.00",
            },
        },
        "unconverted": {},
    }


def test_the_rates_of_an_earlier_day_can_be_asked_for(ops_client, mixed):
    data = ops_client.get(URL, {"on": "2026-10-15"}).json()

    assert (data["on"], data["rates_date"]) == ("2026-10-15", "2026-10-01")
    # GBP 833.80 / 0.5 = 1,667.60; USD has no rate that early, so it is not added.
    assert data["annual_outsourced_cost"] == "1767.60"
    assert data["complete"] is False
    assert data["unconverted"]["USD"]["annual_outsourced_cost"] == "1117.20"
    assert list(data["unconverted"]) == ["USD"]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "1850-01-01", "2026-11-24x"])
def test_a_bad_day_is_refused_naming_the_parameter(ops_client, value):
    response = ops_client.get(URL, {"on": value})

    assert response.status_code == 400
    assert list(response.json()) == ["on"]


def test_one_programme_can_be_asked_for(ops_client):
    wanted = ProgrammeFactory()
    process("EUR", "100", "60", None, programme=wanted)
    process("EUR", "900", "100", None)

    data = ops_client.get(URL, {"programme": wanted.pk}).json()

    assert (data["process_count"], data["annual_saving"]) == (1, "40.00")


@pytest.mark.parametrize("value", ["999999", "abc", "99999999999999999999999"])
def test_an_unknown_programme_is_refused_naming_the_parameter(ops_client, value):
    response = ops_client.get(URL, {"programme": value})

    assert response.status_code == 400
    assert list(response.json()) == ["programme"]


def test_a_currency_without_a_rate_is_listed_not_added(ops_client):
    process("EUR", "100", "60", None)
    process("CHF", "1000", "700", None)

    data = ops_client.get(URL).json()

    assert data["complete"] is False
    assert (data["annual_outsourced_cost"], data["annual_saving"]) == ("100.00", "40.00")
    assert data["unconverted"]["CHF"]["annual_saving"] == "300.00"
    assert data["payback_months"] is None
    assert data["rates_date"] is None


def test_pounds_and_euros_without_a_rate_never_make_200(ops_client):
    process("GBP", "100", "0", "100")
    process("EUR", "100", "0", "100")

    data = ops_client.get(URL).json()

    totals = ("annual_outsourced_cost", "annual_saving", "one_off_transition_cost")
    assert [data[name] for name in totals] == ["100.00", "100.00", "100.00"]
    assert data["unconverted"]["GBP"]["annual_outsourced_cost"] == "100.00"


def test_the_reporting_currency_can_be_other_than_the_euro(settings, ops_client, mixed):
    settings.REPORTING_CURRENCY = "GBP"

    data = ops_client.get(URL).json()

    assert data["currency"] == "GBP"
    # GBP 833.80 + USD 1,117.20 / 1.1172 × 0.8338 + EUR 100 × 0.8338.
    assert data["annual_outsourced_cost"] == str(Decimal("833.80") * 2 + Decimal("83.38"))
    assert data["annual_outsourced_cost"] == "1750.98"


@pytest.mark.parametrize("rows", [1, 30])
def test_the_portfolio_costs_a_fixed_number_of_queries(django_assert_num_queries, rows):
    rate("GBP", "0.8338")
    rate("USD", "1.1172")
    for _ in range(rows):
        for currency in ("GBP", "USD", "EUR"):
            process(currency, "100", "50", "10")
    user = UserFactory(role="Viewers")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user, name='t')[1]}")

    # The token with its user; its last use recorded (savepoint, update, release); the
    # processes grouped by currency; the rates.
    with django_assert_num_queries(6):
        response = client.get(URL)

    assert response.json()["process_count"] == 3 * rows


def test_asking_for_a_programme_costs_one_query_more(ops_client, django_assert_num_queries):
    programme = ProgrammeFactory()
    process("EUR", "100", "50", None, programme=programme)

    # Session, user, the processes grouped by currency (all euros: no rates)…
    with django_assert_num_queries(3):
        ops_client.get(URL)
    # … and the programme named.
    with django_assert_num_queries(4):
        response = ops_client.get(URL, {"programme": programme.pk})

    assert response.json()["process_count"] == 1


def test_the_operation_is_in_the_schema_with_its_parameters_and_response():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"on", "programme"}
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"$ref": "#/components/schemas/Portfolio"}
    properties = schema["components"]["schemas"]["Portfolio"]["properties"]
    assert {"currency", "rates_date", "annual_saving", "by_currency", "unconverted"} <= set(
        properties
    )
    assert "400" in operation["responses"]
