"""Derived values of a process and its plan: business case, RAG, readiness, TUPE dates.

The factory process's contract renews yearly from 2027-12-31 with three months' notice:
notice deadline 2027-09-30, decision date (90 days before) 2027-07-02.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ReadinessAssessmentFactory,
    StaffMemberFactory,
)
from transition.models import OutsourcedProcess, StaffMember
from transition.selectors import with_rag_inputs

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
RED, AMBER, GREEN = "red", "amber", "green"


def loaded(process: OutsourcedProcess) -> OutsourcedProcess:
    """The process as the selectors load it, with the inputs its RAG reads."""
    return with_rag_inputs(OutsourcedProcess.objects.select_related("contract")).get(pk=process.pk)


def test_annual_saving_is_outsourced_minus_in_house_cost():
    process = OutsourcedProcessFactory.build(
        annual_outsourced_cost=Decimal("500000.00"),
        projected_inhouse_annual_cost=Decimal("380000.00"),
    )
    assert process.annual_saving == Decimal("120000.00")


def test_payback_is_one_off_cost_over_monthly_saving():
    process = OutsourcedProcessFactory.build(
        annual_outsourced_cost=Decimal("500000.00"),
        projected_inhouse_annual_cost=Decimal("380000.00"),
        one_off_transition_cost=Decimal("250000.00"),
    )
    assert process.payback_months == Decimal("25.0")


@pytest.mark.parametrize(
    ("outsourced", "in_house", "one_off"),
    [
        ("100000", "100000", "50000"),
        ("100000", "120000", "50000"),
        (None, "100000", "50000"),
        ("100000", None, "50000"),
        ("100000", "80000", None),
    ],
    ids=["no-saving", "loss", "no-outsourced-cost", "no-in-house-cost", "no-one-off-cost"],
)
def test_payback_is_none_without_a_saving_or_with_a_cost_missing(outsourced, in_house, one_off):
    process = OutsourcedProcessFactory.build(
        annual_outsourced_cost=outsourced and Decimal(outsourced),
        projected_inhouse_annual_cost=in_house and Decimal(in_house),
        one_off_transition_cost=one_off and Decimal(one_off),
    )
    assert process.payback_months is None


def test_annual_saving_is_none_with_a_running_cost_missing():
    assert OutsourcedProcessFactory.build(annual_outsourced_cost=None).annual_saving is None


def test_rag_is_green_with_nothing_due_or_overdue():
    assert loaded(OutsourcedProcessFactory()).rag_on(TODAY) == GREEN


def test_rag_is_red_for_an_overdue_milestone():
    milestone = MilestoneFactory(due_date=date(2026, 11, 23))
    assert loaded(milestone.process).rag_on(TODAY) == RED


def test_a_done_milestone_past_its_due_date_is_not_overdue():
    milestone = MilestoneFactory(
        due_date=date(2026, 11, 1), status="done", completed_on=date(2026, 11, 1)
    )
    assert loaded(milestone.process).rag_on(TODAY) == GREEN


def test_rag_is_red_when_still_outsourced_after_the_decision_date():
    process = OutsourcedProcessFactory()
    assert loaded(process).rag_on(date(2027, 7, 2)) == AMBER
    assert loaded(process).rag_on(date(2027, 7, 5)) == RED


def test_a_passed_decision_date_does_not_redden_a_process_already_under_notice():
    process = OutsourcedProcessFactory(state=OutsourcedProcess.State.EXIT_NOTICE)
    assert loaded(process).rag_on(date(2027, 7, 5)) == GREEN


@pytest.mark.parametrize(("due", "rag"), [(date(2026, 12, 8), AMBER), (date(2026, 12, 9), GREEN)])
def test_rag_is_amber_for_a_milestone_due_within_14_days(due, rag):
    milestone = MilestoneFactory(due_date=due)
    assert loaded(milestone.process).rag_on(TODAY) == rag


def test_rag_is_amber_for_an_asset_transfer_due_within_14_days():
    asset = AssetFactory(transfer_due=date(2026, 12, 1))
    assert loaded(asset.process).rag_on(TODAY) == AMBER


def test_rag_is_amber_when_the_decision_date_is_within_14_days():
    assert loaded(OutsourcedProcessFactory()).rag_on(date(2027, 6, 20)) == AMBER


def test_rag_is_amber_when_the_latest_readiness_is_amber():
    readiness = ReadinessAssessmentFactory(expertise=3)
    assert loaded(readiness.process).rag_on(TODAY) == AMBER


def test_rag_is_at_least_amber_when_the_latest_readiness_is_red():
    readiness = ReadinessAssessmentFactory(systems_data=1)
    assert loaded(readiness.process).rag_on(TODAY) == AMBER


def test_only_the_latest_readiness_counts_for_rag():
    old = ReadinessAssessmentFactory(assessed_on=date(2026, 10, 1), workforce=3)
    ReadinessAssessmentFactory(process=old.process, assessed_on=date(2026, 11, 1))
    assert loaded(old.process).rag_on(TODAY) == GREEN


def test_an_in_house_process_is_green_whatever_is_overdue():
    process = OutsourcedProcessFactory(state=OutsourcedProcess.State.IN_HOUSE)
    MilestoneFactory(process=process, due_date=date(2026, 1, 1))
    assert loaded(process).rag_on(TODAY) == GREEN


@time_machine.travel(date(2027, 7, 5), tick=False)
def test_rag_property_uses_today():
    assert loaded(OutsourcedProcessFactory()).rag == RED


@pytest.mark.parametrize(
    ("scores", "overall", "rag"),
    [
        ({}, 4, GREEN),
        ({"processes_controls": 5, "expertise": 5}, 4, GREEN),
        ({"infrastructure": 3}, 3, AMBER),
        ({"systems_data": 2, "workforce": 3}, 2, RED),
        ({"expertise": 1}, 1, RED),
    ],
)
def test_readiness_overall_is_the_lowest_score(scores, overall, rag):
    readiness = ReadinessAssessmentFactory.build(**scores)
    assert readiness.overall == overall
    assert readiness.rag == rag


def test_the_latest_readiness_is_the_most_recently_assessed():
    first = ReadinessAssessmentFactory(assessed_on=date(2026, 11, 1))
    latest = ReadinessAssessmentFactory(process=first.process, assessed_on=date(2026, 11, 10))
    ReadinessAssessmentFactory(process=first.process, assessed_on=date(2026, 10, 1))
    assert first.process.latest_readiness == latest


def test_of_two_assessments_on_one_day_the_later_recorded_counts():
    first = ReadinessAssessmentFactory(assessed_on=TODAY)
    second = ReadinessAssessmentFactory(process=first.process, assessed_on=TODAY)
    assert first.process.latest_readiness == second


def test_eli_is_due_28_days_before_a_tupe_transfer():
    member = StaffMemberFactory.build(route=StaffMember.Route.TUPE, planned_start=date(2027, 3, 1))
    assert member.eli_due_date == date(2027, 2, 1)


@pytest.mark.parametrize(
    ("route", "planned_start"),
    [
        (StaffMember.Route.NEW_HIRE, date(2027, 3, 1)),
        (StaffMember.Route.REDEPLOYMENT, date(2027, 3, 1)),
        (StaffMember.Route.CONTRACTOR, date(2027, 3, 1)),
        (StaffMember.Route.TUPE, None),
    ],
)
def test_no_eli_date_unless_a_dated_tupe_transfer(route, planned_start):
    member = StaffMemberFactory.build(route=route, planned_start=planned_start)
    assert member.eli_due_date is None
