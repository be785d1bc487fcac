"""The completion gate: with `scorecard_gate_periods` = N, `complete` is blocked until every
KPI met its target in each of the last N completed periods, and the reason says which KPI
and why; its inputs are loaded for a whole page at once (transition.selectors.workflow)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.transition.factories import MilestoneFactory
from tests.transition.scorecard_factories import (
    LAST_WEEK,
    KpiActualFactory,
    KpiFactory,
    process_in_transition,
)
from transition.models import OutsourcedProcess
from transition.selectors import available_transitions, transition_options
from transition.services import TransitionBlocked, apply_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # Tue 24 Nov 2026


def gated(periods=3, **fields):
    process = process_in_transition(scorecard_gate_periods=periods, **fields)
    MilestoneFactory(process=process, status="done", completed_on=date(2026, 11, 1))
    return process


def weeks_met(kpi, values):
    """Actuals for the weeks ending with LAST_WEEK, oldest first."""
    for back, value in enumerate(reversed(values)):
        KpiActualFactory(kpi=kpi, period_start=LAST_WEEK - timedelta(weeks=back), value=D(value))


def complete_reasons(process, user):
    [option] = [o for o in available_transitions(process, user) if o.name == "complete"]
    return option.reasons


def test_complete_is_blocked_naming_the_kpi_and_the_week_that_missed(operations_manager):
    process = gated()
    kpi = KpiFactory(process=process, name="Orders shipped on time", target=D("98"))
    weeks_met(kpi, ["98", "98.4", "97.1"])

    assert complete_reasons(process, operations_manager) == [
        "“Orders shipped on time” met its target 2 of the last 3 weeks (needs 3 in a row): "
        "97.1 % in the week of 16 Nov 2026 is below 98 %."
    ]
    with pytest.raises(TransitionBlocked):
        apply_transition(process, "complete", operations_manager, in_house_on=date(2026, 11, 24))
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.TRANSITION


def test_the_gate_on_with_no_kpis_blocks(operations_manager):
    [reason] = complete_reasons(gated(2), operations_manager)
    assert "no KPIs are defined" in reason


def test_complete_is_allowed_after_n_consecutive_weeks_met(operations_manager):
    process = gated()
    weeks_met(KpiFactory(process=process), ["90", "98", "99", "98"])
    weeks_met(KpiFactory(process=process, direction="lower", target=D("4")), ["4", "3", "2"])

    assert complete_reasons(process, operations_manager) == []
    process = apply_transition(
        process, "complete", operations_manager, in_house_on=date(2026, 11, 24)
    )
    assert process.state == OutsourcedProcess.State.IN_HOUSE


def test_every_failing_kpi_is_named(operations_manager):
    process = gated(2)
    weeks_met(KpiFactory(process=process, name="A"), ["99", "99"])
    weeks_met(KpiFactory(process=process, name="B"), ["99"])
    KpiFactory(process=process, name="C")
    [reason] = complete_reasons(process, operations_manager)
    assert "“B” met its target 1 of the last 2 weeks" in reason
    assert "no actual is recorded for the week of 9 Nov 2026" in reason
    assert "“C” met its target 0 of the last 2 weeks" in reason
    assert "“A”" not in reason


def test_with_the_gate_off_kpis_below_target_do_not_block(operations_manager):
    process = gated(0)
    weeks_met(KpiFactory(process=process), ["50"])
    assert complete_reasons(process, operations_manager) == []


def test_the_week_in_progress_does_not_count_for_the_gate(operations_manager):
    process = gated(1)
    KpiActualFactory(kpi=KpiFactory(process=process), period_start=date(2026, 11, 23))
    [reason] = complete_reasons(process, operations_manager)
    assert "no actual is recorded for the week of 16 Nov 2026" in reason


def options_queries(user, count):
    processes = []
    for _ in range(count):
        process = gated(2)
        weeks_met(KpiFactory(process=process), ["99", "99"])
        processes.append(process)
    fresh = list(OutsourcedProcess.objects.filter(pk__in=[p.pk for p in processes]))
    user = type(user).objects.get(pk=user.pk)  # its groups not read yet
    with CaptureQueriesContext(connection) as queries:
        options = transition_options(fresh, user)
    assert all(o.allowed for opts in options.values() for o in opts)
    OutsourcedProcess.objects.filter(pk__in=[p.pk for p in processes]).delete()
    return len(queries)


def test_the_gate_costs_the_same_queries_for_one_process_or_twenty(operations_manager):
    # open milestones, unsettled assets, unsettled staff, the KPIs, their actuals, and the
    # user's groups (the permission)
    assert options_queries(operations_manager, 1) == 6
    assert options_queries(operations_manager, 20) == 6
