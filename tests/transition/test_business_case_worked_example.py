"""The engine reproduces the worked example of docs/business-case.md, figure for figure.

Every number below was worked out by hand in the document; change both together.
"""

from decimal import Decimal

import pytest

from tests.transition.business_case_example import DOCS_EXAMPLE
from transition.business_case import run_case, scenarios, sensitivity

D = Decimal

EXAMPLE = DOCS_EXAMPLE


@pytest.fixture(scope="module")
def result():
    return run_case(EXAMPLE)


def test_the_year_by_year_table(result):
    table = [
        (
            year.stay_cost,
            year.outsourced_paid,
            year.inhouse_run,
            year.transition,
            year.exit_costs,
            year.inhouse_cost,
            year.net_cash_flow,
            year.cumulative,
            year.discounted,
        )
        for year in result.years
    ]

    assert table == [
        (
            D("120000.00"),
            D("80000.00"),
            D("45000.00"),
            D("60000.00"),
            D("25000.00"),
            D("210000.00"),
            D("-90000.00"),
            D("-90000.00"),
            D("-83333.33"),
        ),
        (
            D("123600.00"),
            D("0.00"),
            D("93600.00"),
            D("0.00"),
            D("0.00"),
            D("93600.00"),
            D("30000.00"),
            D("-60000.00"),
            D("25720.16"),
        ),
        (
            D("127308.00"),
            D("0.00"),
            D("97344.00"),
            D("0.00"),
            D("0.00"),
            D("97344.00"),
            D("29964.00"),
            D("-30036.00"),
            D("23786.39"),
        ),
        (
            D("131127.24"),
            D("0.00"),
            D("101237.76"),
            D("0.00"),
            D("0.00"),
            D("101237.76"),
            D("29889.48"),
            D("-146.52"),
            D("21969.66"),
        ),
        (
            D("135061.06"),
            D("0.00"),
            D("105287.27"),
            D("0.00"),
            D("0.00"),
            D("105287.27"),
            D("29773.79"),
            D("29627.27"),
            D("20263.54"),
        ),
    ]


def test_the_first_year_month_by_month(result):
    assert result.monthly_cumulative[:12] == [
        D("-10000.00"),
        D("-20000.00"),
        D("-30000.00"),
        D("-40000.00"),
        D("-50000.00"),
        D("-60000.00"),
        D("-92500.00"),
        D("-100000.00"),
        D("-97500.00"),
        D("-95000.00"),
        D("-92500.00"),
        D("-90000.00"),
    ]


def test_npv_payback_and_break_even(result):
    assert result.npv == D("8406.42")
    assert result.payback_month == 49
    assert result.monthly_cumulative[47:49] == [D("-146.52"), D("2334.63")]
    assert result.break_even_saving == D("27808.66")
    assert result.warnings == []


def test_the_scenarios():
    assert [(s.key, s.total_cost, s.pv_cost, s.npv_vs_stay) for s in scenarios(EXAMPLE)] == [
        ("stay", D("637096.30"), D("506442.11"), D("0.00")),
        ("renegotiate", D("573386.67"), D("455797.90"), D("50644.21")),
        ("in_house", D("607469.03"), D("498035.69"), D("8406.42")),
    ]


def test_the_sensitivity():
    result = sensitivity(EXAMPLE)

    assert result.base_npv == D("8406.42")
    assert [(row.key, row.npv_low, row.npv_high) for row in result.rows] == [
        ("exchange_rate", D("-33441.49"), D("50254.33")),
        ("labour_growth", D("22459.26"), D("-6186.72")),
        ("transition_cost", D("13961.98"), D("-8260.25")),
        ("go_live", D("15350.86"), D("-2910.45")),
    ]
