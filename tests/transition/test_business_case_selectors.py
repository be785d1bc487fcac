"""The business case read from processes, contracts, programmes and their case inputs."""

from datetime import date
from decimal import Decimal

import pytest

from currencies.models import ExchangeRate
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory
from transition.business_case.selectors import (
    MissingCostFigures,
    case_inputs,
    process_case,
    programme_case,
    with_case_inputs,
)
from transition.models import BusinessCaseInputs, OutsourcedProcess, Programme

D = Decimal

pytestmark = pytest.mark.django_db


def loaded(process: OutsourcedProcess) -> OutsourcedProcess:
    return with_case_inputs(OutsourcedProcess.objects.filter(pk=process.pk)).get()


def test_a_process_without_case_inputs_takes_the_defaults_and_its_target_month(settings):
    settings.BUSINESS_CASE_DISCOUNT_RATE = D(8)
    contract = ContractFactory(currency="GBP", annual_indexation=D("2.5"))
    process = OutsourcedProcessFactory(contract=contract, target_in_house_date=date(2026, 7, 15))

    inputs = case_inputs(loaded(process))

    # The programme starts on 2026-01-01: July is month 7.
    assert inputs.go_live_month == 7
    assert inputs.currency == "GBP"
    assert inputs.outsourced_indexation == D("2.5")
    assert inputs.discount_rate == D(8)
    assert inputs.horizon_years == 5
    assert inputs.labour_growth == D(3)
    assert inputs.renegotiation_change == D(-10)
    assert inputs.dual_running_months == 0
    assert inputs.termination_fee == inputs.tupe_one_off == D(0)
    assert (inputs.annual_outsourced, inputs.annual_inhouse, inputs.one_off_transition) == (
        D("500000.00"),
        D("380000.00"),
        D("240000.00"),
    )
    assert (inputs.process_id, inputs.name, inputs.start_year) == (process.pk, process.name, 2026)


def test_the_case_inputs_row_and_the_programme_rate_override_the_defaults():
    programme = ProgrammeFactory(discount_rate=D("6.5"), case_horizon_years=3)
    process = OutsourcedProcessFactory(
        programme=programme, currency="USD", target_in_house_date=date(2026, 7, 1)
    )
    BusinessCaseInputs.objects.create(
        process=process,
        labour_cost_growth=D(4),
        renegotiation_change=D(-5),
        go_live_month=10,
        dual_running_months=2,
        termination_fee=D(1000),
        exit_assistance_cost=D(2000),
        tupe_cost=D(3000),
        stranded_cost=D(4000),
    )

    inputs = case_inputs(loaded(process))

    assert inputs.discount_rate == D("6.5")
    assert inputs.horizon_years == 3
    assert inputs.currency == "USD"
    assert inputs.go_live_month == 10
    assert (inputs.labour_growth, inputs.renegotiation_change) == (D(4), D(-5))
    assert inputs.dual_running_months == 2
    assert (
        inputs.termination_fee,
        inputs.exit_assistance,
        inputs.tupe_one_off,
        inputs.stranded_cost,
    ) == (D(1000), D(2000), D(3000), D(4000))


@pytest.mark.parametrize(
    ("target", "exit_date", "month"),
    [
        (None, date(2027, 3, 31), 15),  # the exit date when there is no target
        (None, None, 24),  # else the programme's target date, 2027-12-31
        (date(2025, 6, 1), None, 1),  # a day before the programme starts is month 1
    ],
)
def test_go_live_falls_back_to_the_exit_date_then_the_programme_target(target, exit_date, month):
    process = OutsourcedProcessFactory(target_in_house_date=target, exit_date=exit_date)

    assert case_inputs(loaded(process)).go_live_month == month


def test_a_process_missing_a_cost_figure_asks_for_it():
    process = OutsourcedProcessFactory(projected_inhouse_annual_cost=None)

    with pytest.raises(MissingCostFigures) as raised:
        process_case(loaded(process))

    assert raised.value.fields == ["projected_inhouse_annual_cost"]


def test_the_contract_termination_fee_is_flagged_when_no_share_is_entered():
    process = OutsourcedProcessFactory(contract=ContractFactory(termination_fee=D(50000)))

    result = process_case(loaded(process))

    assert any("termination fee of EUR 50,000" in warning for warning in result.warnings)


def make_programme(processes: int) -> Programme:
    programme = ProgrammeFactory(case_horizon_years=2, discount_rate=D(0))
    ExchangeRate.objects.create(date=date(2026, 11, 20), currency="GBP", rate=D("0.8"))
    pounds = ContractFactory(currency="GBP")
    for n in range(processes):
        OutsourcedProcessFactory(
            programme=programme,
            name=f"Euro {n}",
            target_in_house_date=date(2026, 1, 1),
            annual_outsourced_cost=D(120000),
            projected_inhouse_annual_cost=D(60000),
            one_off_transition_cost=D(0),
        )
    OutsourcedProcessFactory(
        programme=programme,
        contract=pounds,
        name="Pound",
        target_in_house_date=date(2026, 1, 1),
        annual_outsourced_cost=D(80000),
        projected_inhouse_annual_cost=D(40000),
        one_off_transition_cost=D(0),
    )
    OutsourcedProcessFactory(programme=programme, name="Unpriced", annual_outsourced_cost=None)
    return Programme.objects.get(pk=programme.pk)


def test_the_programme_case_converts_at_the_rates_of_the_day_and_lists_the_unpriced():
    programme = make_programme(1)

    result = programme_case(programme, TODAY)

    # 60,000 EUR + 40,000 GBP at 0.8 a euro; in year 2 in-house costs 3% more (the default).
    assert [year.net_cash_flow for year in result.years] == [D("110000.00"), D("106700.00")]
    assert result.npv == D("216700.00")
    assert result.currency == "EUR"
    assert result.excluded == ["Unpriced"]
    assert result.unconverted == {}
    assert result.rates_date == date(2026, 11, 20)
    assert [case.inputs.name for case in result.cases] == ["Euro 0", "Pound"]


def test_the_programme_case_leaves_a_currency_without_a_rate_unconverted():
    programme = make_programme(1)

    result = programme_case(programme, date(2026, 11, 19))

    assert [year.net_cash_flow for year in result.years] == [D("60000.00"), D("58200.00")]
    assert result.unconverted == {"GBP": D("78800.00")}  # 40,000 + 38,800, never added


@pytest.mark.parametrize("processes", [1, 20])
def test_the_programme_case_takes_two_queries_however_many_processes(
    processes, django_assert_num_queries
):
    programme = make_programme(processes)

    # The processes with their contracts and case inputs; the rates.
    with django_assert_num_queries(2):
        result = programme_case(programme, TODAY)

    assert len(result.cases) == processes + 1
