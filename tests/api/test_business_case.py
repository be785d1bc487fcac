"""The business-case endpoints: the computed case of a process and of a programme, and the
inputs written through `case_inputs_update` (docs/api.md, "Business case")."""

from datetime import date
from decimal import Decimal

import pytest

from currencies.models import ExchangeRate
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory
from transition.business_case import scenarios, sensitivity
from transition.business_case.model import YearFlow
from transition.business_case.selectors import process_case, with_case_inputs
from transition.models import BusinessCaseInputs, OutsourcedProcess

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

YEAR_FIELDS = [name for name in YearFlow.__dataclass_fields__ if name != "year"]


def url(process) -> str:
    return f"/api/v1/processes/{process.pk}/business-case/"


def programme_url(programme) -> str:
    return f"/api/v1/programmes/{programme.pk}/business-case/"


def case_of(process):
    return process_case(with_case_inputs(OutsourcedProcess.objects.all()).get(pk=process.pk))


@pytest.mark.parametrize("role", ["viewer", "project_lead", "other_lead", "operations_manager"])
def test_every_role_reads_the_computed_case(client_for, request, role, process):
    response = client_for(request.getfixturevalue(role)).get(url(process))

    assert response.status_code == 200
    case = case_of(process)
    body = response.json()
    assert body["process"] == process.pk
    assert body["missing_cost_figures"] == []
    results = body["results"]
    assert results["npv"] == f"{case.npv:.2f}"
    assert results["payback_month"] == case.payback_month
    assert results["break_even_saving"] == f"{case.break_even_saving:.2f}"
    assert results["warnings"] == case.warnings
    assert len(results["years"]) == len(case.years) == process.programme.case_horizon_years
    for row, flow in zip(results["years"], case.years, strict=True):
        assert row["year"] == flow.year
        for name in YEAR_FIELDS:
            # Every figure as a decimal string to the cent.
            assert row[name] == f"{getattr(flow, name):.2f}", name
    assert len(results["monthly_cumulative"]) == 12 * process.programme.case_horizon_years
    assert [s["key"] for s in results["scenarios"]] == ["stay", "renegotiate", "in_house"]
    assert results["scenarios"][2]["npv_vs_stay"] == f"{scenarios(case.inputs)[2].npv_vs_stay:.2f}"
    expected = sensitivity(case.inputs)
    assert results["sensitivity"]["base_npv"] == f"{expected.base_npv:.2f}"
    assert [row["key"] for row in results["sensitivity"]["rows"]] == [
        row.key for row in expected.rows
    ]


def test_the_inputs_show_the_stored_assumptions_and_where_the_rest_came_from(ops_client):
    programme = ProgrammeFactory(
        case_horizon_years=7, discount_rate=Decimal("6.5"), start_date=date(2026, 1, 1)
    )
    contract = ContractFactory(currency="GBP", annual_indexation=Decimal("2.5"))
    process = OutsourcedProcessFactory(
        programme=programme, contract=contract, target_in_house_date=date(2027, 3, 15)
    )

    inputs = ops_client.get(url(process)).json()["inputs"]

    assert inputs == {
        "labour_cost_growth": "3.00",
        "renegotiation_change": "-10.00",
        "go_live_month": None,
        "dual_running_months": 0,
        "termination_fee": "0.00",
        "exit_assistance_cost": "0.00",
        "tupe_cost": "0.00",
        "stranded_cost": "0.00",
        "stored": False,
        "currency": "GBP",
        "horizon_years": 7,
        "discount_rate": "6.50",
        "annual_outsourced_cost": "500000.00",
        "projected_inhouse_annual_cost": "380000.00",
        "one_off_transition_cost": "240000.00",
        "annual_indexation": "2.50",
        "effective_go_live_month": 15,
    }


def test_a_process_without_cost_figures_has_no_results_and_says_which(ops_client):
    process = OutsourcedProcessFactory(annual_outsourced_cost=None)

    body = ops_client.get(url(process)).json()

    assert body["results"] is None
    assert body["missing_cost_figures"] == ["annual_outsourced_cost"]
    assert body["inputs"]["annual_outsourced_cost"] is None


@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_operations_manager_changes_the_inputs_and_gets_the_new_case(
    ops_client, process, method
):
    before = case_of(process).npv

    response = getattr(ops_client, method)(
        url(process),
        {"go_live_month": 7, "dual_running_months": 2, "termination_fee": "10000"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    row = BusinessCaseInputs.objects.get(process=process)
    assert (row.go_live_month, row.dual_running_months) == (7, 2)
    assert row.termination_fee == Decimal("10000")
    assert row.labour_cost_growth == Decimal(3)  # left out: the default stays
    after = case_of(process).npv
    assert after != before
    assert response.json()["results"]["npv"] == f"{after:.2f}"
    assert response.json()["inputs"]["stored"] is True


def test_a_patch_keeps_what_it_leaves_out(ops_client, process):
    BusinessCaseInputs.objects.create(process=process, tupe_cost=Decimal(8000))

    response = ops_client.patch(url(process), {"stranded_cost": "2000"}, format="json")

    assert response.status_code == 200
    row = BusinessCaseInputs.objects.get(process=process)
    assert (row.tupe_cost, row.stranded_cost) == (Decimal(8000), Decimal(2000))


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"labour_cost_growth": "-1"}, "labour_cost_growth", "must be between 0% and 100%"),
        ({"renegotiation_change": "-150"}, "renegotiation_change", "between -100% and 100%"),
        ({"dual_running_months": 99}, "dual_running_months", "between 0 and 36"),
        ({"go_live_month": 0}, "go_live_month", "between 1 and 360"),
        ({"termination_fee": "-1"}, "termination_fee", "cannot be negative"),
        ({"labour_cost_growth": "lots"}, "labour_cost_growth", "valid number"),
        ({"horizon_years": 0}, "horizon_years", "change it on the programme"),
        ({"currency": "XXX"}, "currency", "change it on the process"),
        ({"colour": "red"}, "colour", "Not a business-case input"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    ops_client, process, body, field, message
):
    BusinessCaseInputs.objects.create(process=process, labour_cost_growth=Decimal(4))
    before = list(BusinessCaseInputs.objects.values())

    response = ops_client.patch(url(process), {"stranded_cost": "5", **body}, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert list(BusinessCaseInputs.objects.values()) == before


def test_a_body_that_is_not_an_object_is_a_400(ops_client, process):
    response = ops_client.put(url(process), ["labour_cost_growth"], format="json")

    assert response.status_code == 400
    assert not BusinessCaseInputs.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "project_lead", "other_lead"])
@pytest.mark.parametrize("method", ["put", "patch"])
def test_only_operations_managers_change_the_inputs(client_for, request, role, method, process):
    client = client_for(request.getfixturevalue(role))

    response = getattr(client, method)(url(process), {"tupe_cost": "1"}, format="json")

    assert response.status_code == 403
    assert not BusinessCaseInputs.objects.exists()


def test_signed_out_clients_get_403(client, process):
    assert client.get(url(process)).status_code == 403
    assert client.get(programme_url(process.programme)).status_code == 403


def test_unknown_ids_are_404(ops_client):
    assert ops_client.get("/api/v1/processes/999/business-case/").status_code == 404
    assert ops_client.get("/api/v1/programmes/999/business-case/").status_code == 404


def test_the_programme_case_adds_up_converts_and_lists_what_it_could_not(client_for, viewer):
    programme = ProgrammeFactory()
    euro = OutsourcedProcessFactory(programme=programme, name="Euro")
    pounds = OutsourcedProcessFactory(
        programme=programme, name="Pounds", contract=ContractFactory(currency="GBP")
    )
    OutsourcedProcessFactory(
        programme=programme, name="Dollars", contract=ContractFactory(currency="USD")
    )
    OutsourcedProcessFactory(
        programme=programme, name="Unpriced", projected_inhouse_annual_cost=None
    )
    ExchangeRate.objects.create(date=date(2026, 11, 20), currency="GBP", rate=Decimal("0.8"))

    body = client_for(viewer).get(programme_url(programme)).json()

    assert body["programme"] == programme.pk
    assert body["currency"] == "EUR"
    assert body["rates_date"] == "2026-11-20"
    assert body["complete"] is False
    assert body["excluded"] == ["Unpriced"]
    dollars = case_of(OutsourcedProcess.objects.get(name="Dollars"))
    assert body["unconverted"] == {"USD": f"{dollars.total_net:.2f}"}
    assert len(body["years"]) == programme.case_horizon_years
    assert set(body["years"][0]) == {
        "year",
        "net_cash_flow",
        "cumulative",
        "saving",
        "one_off",
        "discounted",
    }
    assert [s["key"] for s in body["scenarios"]] == ["stay", "renegotiate", "in_house"]
    by_name = {row["name"]: row for row in body["processes"]}
    assert by_name["Pounds"]["currency"] == "GBP"
    assert by_name["Pounds"]["npv"] == f"{case_of(pounds).npv:.2f}"
    assert by_name["Euro"]["id"] == euro.pk
    assert by_name["Dollars"]["converted"] is False
    assert by_name["Pounds"]["converted"] is True
    # Euro and pounds only: the pound case's yearly flows converted at 0.8 a euro.
    euro_case, pound_case = case_of(euro), case_of(pounds)
    first = euro_case.years[0].net_cash_flow + (
        pound_case.years[0].net_cash_flow / Decimal("0.8")
    ).quantize(Decimal("0.01"))
    assert body["years"][0]["net_cash_flow"] == f"{first:.2f}"


def test_the_programme_case_is_read_only(ops_client, process):
    response = ops_client.patch(programme_url(process.programme), {"npv": "1"}, format="json")

    assert response.status_code == 405
