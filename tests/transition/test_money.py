"""The business-case arithmetic every page, export and API response shares."""

from datetime import date
from decimal import Decimal

import pytest

from tests.transition.factories import OutsourcedProcessFactory
from transition.money import annual_saving, payback_months
from transition.selectors import money_figures


def test_the_saving_is_the_outsourced_cost_minus_the_in_house_cost():
    assert annual_saving(Decimal("500000.00"), Decimal("380000.00")) == Decimal("120000.00")


def test_a_dearer_in_house_process_saves_a_negative_amount():
    assert annual_saving(Decimal(100), Decimal(130)) == Decimal(-30)


@pytest.mark.parametrize(("outsourced", "inhouse"), [(None, Decimal(1)), (Decimal(1), None)])
def test_there_is_no_saving_without_both_costs(outsourced, inhouse):
    assert annual_saving(outsourced, inhouse) is None


def test_payback_is_the_one_off_cost_over_the_monthly_saving():
    assert payback_months(Decimal("200000.00"), Decimal("90000.00")) == Decimal("26.7")


def test_payback_rounds_a_half_up_not_to_even():
    # 49 / (48 / 12) = 12.25 exactly: half-even would give 12.2.
    assert payback_months(Decimal(49), Decimal(48)) == Decimal("12.3")
    assert payback_months(Decimal(47), Decimal(40)) == Decimal("14.1")  # 14.1 exactly
    assert payback_months(Decimal(59), Decimal(48)) == Decimal("14.8")  # 14.75


def test_payback_keeps_one_decimal_even_when_whole():
    assert str(payback_months(Decimal(120), Decimal(120))) == "12.0"


@pytest.mark.parametrize(
    ("one_off", "saving"),
    [
        (None, Decimal(10)),
        (Decimal(10), None),
        (Decimal(10), Decimal(0)),
        (Decimal(10), Decimal(-1)),
    ],
)
def test_there_is_no_payback_without_a_saving_or_a_one_off_cost(one_off, saving):
    assert payback_months(one_off, saving) is None


@pytest.mark.django_db
def test_the_process_and_the_portfolio_totals_round_payback_the_same_way():
    process = OutsourcedProcessFactory(
        annual_outsourced_cost=Decimal(148),
        projected_inhouse_annual_cost=Decimal(100),
        one_off_transition_cost=Decimal(49),
    )
    totals = money_figures(on=date(2026, 11, 24))

    assert process.payback_months == totals.payback_months == Decimal("12.3")
    assert process.annual_saving == totals.annual_saving.amount.amount == Decimal(48)
