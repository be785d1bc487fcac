"""The business case's engine, scenarios, sensitivity and roll-up: plain values, no database."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from currencies.conversion import Rate, Rates
from transition.business_case import CaseInputError, CaseInputs, run_case, scenarios, sensitivity
from transition.business_case.engine import to_cents
from transition.business_case.rollup import programme_rollup

D = Decimal


def case(**overrides) -> CaseInputs:
    """One year, no discounting, no growth: every figure can be checked in one's head."""
    values = {
        "currency": "EUR",
        "horizon_years": 1,
        "discount_rate": D(0),
        "annual_outsourced": D(120000),
        "outsourced_indexation": D(0),
        "annual_inhouse": D(60000),
        "labour_growth": D(0),
        "one_off_transition": D(12000),
        "go_live_month": 1,
        "dual_running_months": 0,
        "termination_fee": D(0),
        "exit_assistance": D(0),
        "tupe_one_off": D(0),
        "stranded_cost": D(0),
    }
    return CaseInputs(**{**values, **overrides})


def test_go_live_in_month_one_puts_the_whole_transition_cost_and_exit_costs_in_month_one():
    result = run_case(case(termination_fee=D(3000)))

    # Month 1: saves 10,000 of provider, pays 5,000 in-house + 12,000 transition + 3,000 fee.
    assert result.monthly_cumulative[:4] == [D("-10000.00"), D("-5000.00"), D("0.00"), D("5000.00")]
    assert result.payback_month == 3
    (year,) = result.years
    assert year.outsourced_paid == D("0.00")
    assert year.transition == D("12000.00")
    assert year.exit_costs == D("3000.00")
    assert year.net_cash_flow == D("45000.00")
    assert result.warnings == []


def test_go_live_beyond_the_horizon_spreads_the_transition_cost_and_has_no_break_even():
    result = run_case(case(horizon_years=3, go_live_month=40, termination_fee=D(5000)))

    assert [year.transition for year in result.years] == [D("4000.00")] * 3
    assert [year.inhouse_run for year in result.years] == [D("0.00")] * 3
    assert [year.exit_costs for year in result.years] == [D("0.00")] * 3
    assert result.npv == D("-12000.00")
    assert result.payback_month is None
    assert result.break_even_saving is None
    assert len(result.warnings) == 1
    assert "3-year horizon" in result.warnings[0]


def test_dual_running_across_a_year_boundary_pays_each_year_its_indexed_price():
    result = run_case(
        case(horizon_years=2, outsourced_indexation=D(10), go_live_month=12, dual_running_months=3)
    )

    # Months 1–12 at 10,000; months 13 and 14 at the year-2 price of 11,000.
    assert [year.outsourced_paid for year in result.years] == [D("120000.00"), D("22000.00")]
    assert [year.stay_cost for year in result.years] == [D("120000.00"), D("132000.00")]
    assert [year.inhouse_run for year in result.years] == [D("5000.00"), D("60000.00")]


def test_zero_costs_give_zero_flows_and_immediate_payback():
    zero = D(0)
    result = run_case(case(annual_outsourced=zero, annual_inhouse=zero, one_off_transition=zero))

    assert result.years[0].net_cash_flow == D("0.00")
    assert result.npv == D("0.00")
    assert result.payback_month == 0
    assert result.break_even_saving == D("0.00")


def test_in_house_dearer_than_the_provider_never_pays_back():
    result = run_case(case(horizon_years=3, annual_inhouse=D(130000), discount_rate=D(8)))

    assert result.payback_month is None
    assert result.npv < 0
    assert result.monthly_cumulative[-1] < result.monthly_cumulative[0]


def test_indexation_moves_only_provider_payments_and_labour_growth_only_in_house_ones():
    base = run_case(case(horizon_years=2, go_live_month=7, dual_running_months=2))
    indexed = run_case(
        case(horizon_years=2, go_live_month=7, dual_running_months=2, outsourced_indexation=D(5))
    )
    grown = run_case(
        case(horizon_years=2, go_live_month=7, dual_running_months=2, labour_growth=D(5))
    )

    assert [y.inhouse_run for y in indexed.years] == [y.inhouse_run for y in base.years]
    assert indexed.years[1].stay_cost == D("126000.00")
    assert indexed.years[0].outsourced_paid == base.years[0].outsourced_paid
    assert [y.stay_cost for y in grown.years] == [y.stay_cost for y in base.years]
    assert [y.outsourced_paid for y in grown.years] == [y.outsourced_paid for y in base.years]
    assert grown.years[1].inhouse_run == D("63000.00")


def test_a_cost_spread_over_three_months_adds_back_to_the_penny():
    result = run_case(case(one_off_transition=D(100000), go_live_month=4))

    assert result.years[0].transition == D("100000.00")
    assert result.monthly_cumulative[0] == D("-33333.33")


def test_npv_is_taken_from_the_unrounded_yearly_flows():
    # 100.005 a year: each year shows 100.01, but two years are worth 200.01, not 200.02.
    result = run_case(
        case(
            horizon_years=2,
            annual_outsourced=D("100.005"),
            annual_inhouse=D(0),
            one_off_transition=D(0),
        )
    )

    assert [year.net_cash_flow for year in result.years] == [D("100.01"), D("100.01")]
    assert result.npv == D("200.01")


@pytest.mark.parametrize(
    ("value", "cents"),
    [("0.005", "0.01"), ("-0.005", "-0.01"), ("0.0049999", "0.00"), ("2.345", "2.35")],
)
def test_rounding_is_to_the_cent_half_up(value, cents):
    assert to_cents(D(value)) == D(cents)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("horizon_years", 0),
        ("horizon_years", 31),
        ("discount_rate", D(-1)),
        ("labour_growth", D("-0.5")),
        ("annual_outsourced", D(-1)),
        ("termination_fee", D("-0.01")),
        ("dual_running_months", -1),
    ],
)
def test_out_of_range_inputs_are_refused_naming_the_field(field, value):
    with pytest.raises(CaseInputError, match=field) as raised:
        case(**{field: value})

    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)


def test_scenarios_cost_staying_renegotiating_and_bringing_in_house():
    inputs = case(horizon_years=2, outsourced_indexation=D(10), renegotiation_change=D(-10))

    stay, renegotiate, in_house = scenarios(inputs)

    assert (stay.key, renegotiate.key, in_house.key) == ("stay", "renegotiate", "in_house")
    assert stay.label == "Stay outsourced"
    assert stay.yearly_cost == [D("120000.00"), D("132000.00")]
    assert stay.npv_vs_stay == D("0.00")
    assert renegotiate.yearly_cost == [D("108000.00"), D("118800.00")]
    assert renegotiate.total_cost == D("226800.00")
    assert renegotiate.npv_vs_stay == D("25200.00")
    assert in_house.yearly_cost == [D("72000.00"), D("60000.00")]
    assert in_house.npv_vs_stay == run_case(inputs).npv == D("120000.00")


def test_scenario_present_values_discount_each_year_at_its_end():
    stay, _renegotiate, _in_house = scenarios(case(horizon_years=2, discount_rate=D(25)))

    # 120,000 / 1.25 + 120,000 / 1.5625
    assert stay.pv_cost == D("172800.00")


def test_sensitivity_moves_one_driver_at_a_time_widest_swing_first():
    inputs = case(go_live_month=7, termination_fee=D(6000))

    result = sensitivity(inputs)

    assert result.base_npv == D("12000.00")
    rows = {row.key: row for row in result.rows}
    assert [row.key for row in result.rows] == [
        "go_live",
        "exchange_rate",
        "transition_cost",
        "labour_growth",
    ]
    # In-house from month 4: nine months' saving of 5,000, less 12,000 and the 6,000 fee.
    assert (rows["go_live"].npv_low, rows["go_live"].npv_high) == (D("27000.00"), D("-12000.00"))
    assert (rows["go_live"].low_label, rows["go_live"].high_label) == ("month 4", "month 13")
    # The provider's price and fee ±10%: half a year of 108,000 / 132,000, fee 5,400 / 6,600.
    assert (rows["exchange_rate"].npv_low, rows["exchange_rate"].npv_high) == (
        D("6600.00"),
        D("17400.00"),
    )
    assert rows["exchange_rate"].swing == D("10800.00")
    assert (rows["transition_cost"].npv_low, rows["transition_cost"].npv_high) == (
        D("13200.00"),
        D("8400.00"),
    )
    assert (rows["transition_cost"].low_label, rows["transition_cost"].high_label) == (
        "−10%",
        "+30%",
    )
    # One year: growth has not started yet, and its low end is floored at 0%.
    assert rows["labour_growth"].swing == D("0.00")
    assert (rows["labour_growth"].low_label, rows["labour_growth"].high_label) == ("0%", "2%")


def test_roll_up_converts_each_currency_once_and_never_adds_one_without_a_rate():
    rates = Rates(
        on=date(2026, 11, 24), target="EUR", known={"GBP": Rate(D("0.8"), date(2026, 11, 23))}
    )
    euro = run_case(case(name="Payroll"))
    pound = run_case(
        case(
            currency="GBP",
            annual_outsourced=D(80000),
            annual_inhouse=D(40000),
            one_off_transition=D(0),
        )
    )
    dollar = run_case(case(currency="USD", name="Helpdesk"))

    result = programme_rollup(
        [euro, pound, dollar], rates, horizon_years=1, discount_rate=D(0), excluded=["Canteen"]
    )

    # 48,000 EUR + 40,000 GBP at 0.8 a euro; the dollars stay out.
    (year,) = result.years
    assert year.net_cash_flow == D("98000.00")
    assert year.cumulative == D("98000.00")
    assert year.one_off == D("12000.00")
    assert year.saving == D("110000.00")
    assert result.npv == D("98000.00")
    assert result.unconverted == {"USD": D("48000.00")}
    assert result.excluded == ["Canteen"]
    assert not result.complete
    assert result.rates_date == date(2026, 11, 23)
    assert len(result.cases) == 3
    stay, _renegotiate, in_house = result.scenarios
    assert stay.total_cost == D("220000.00")
    assert in_house.total_cost == D("122000.00")
    assert in_house.npv_vs_stay == D("98000.00")


def test_roll_up_in_a_single_currency_is_complete_and_discounts_the_converted_flows():
    rates = Rates(on=date(2026, 11, 24), target="EUR", known={})
    one = run_case(case(horizon_years=2, discount_rate=D(25)))

    result = programme_rollup([one, one], rates, horizon_years=2, discount_rate=D(25))

    assert [year.net_cash_flow for year in result.years] == [D("96000.00"), D("120000.00")]
    assert result.npv == D("153600.00")  # 96,000 / 1.25 + 120,000 / 1.5625
    assert result.complete
    assert result.rates_date is None


def test_roll_up_refuses_cases_of_another_horizon():
    rates = Rates(on=date(2026, 11, 24), target="EUR", known={})

    with pytest.raises(ValueError, match="horizon_years"):
        programme_rollup([run_case(case())], rates, horizon_years=2, discount_rate=D(0))


def test_sensitivity_of_the_exchange_rate_leaves_in_house_costs_alone():
    inputs = case(tupe_one_off=D(1000), stranded_cost=D(1000))
    cheaper = replace(inputs, annual_outsourced=D(108000))

    low = next(row for row in sensitivity(inputs).rows if row.key == "exchange_rate")

    assert low.npv_low == run_case(cheaper).npv
