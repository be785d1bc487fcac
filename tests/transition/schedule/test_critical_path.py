"""The critical path: earliest and latest dates, slack, the forecast and its margins."""

from dataclasses import replace
from datetime import date

import pytest

from transition.schedule.critical_path import analyse, dependency_graph
from transition.schedule.model import Analysis, Plan, PlanMilestone

TODAY = date(2026, 11, 24)


def ms(key, due, start=None, depends_on=(), **fields) -> PlanMilestone:
    return PlanMilestone(
        key=key,
        title=f"M{key}",
        kind="other",
        due=due,
        start=start,
        depends_on=tuple(depends_on),
        **fields,
    )


def diamond(**replacements) -> Plan:
    """Design (1) feeds Build (2) and Training (3); both feed Go-live (4).

    Build takes 41 days from 10 Dec to 20 Jan, Training 31 days to 10 Jan, so Training has
    ten days of slack and Design → Build → Go-live is critical.
    """
    rows = {
        1: ms(1, date(2026, 12, 10), start=date(2026, 12, 1)),
        2: ms(2, date(2027, 1, 20), start=date(2026, 12, 10), depends_on=[1]),
        3: ms(3, date(2027, 1, 10), start=date(2026, 12, 10), depends_on=[1]),
        4: ms(4, date(2027, 1, 20), depends_on=[2, 3]),
    }
    for key, row in replacements.items():
        rows[int(key.removeprefix("m"))] = row
    return Plan(milestones=tuple(rows.values()), exit_date=date(2027, 1, 31))


def test_the_longest_chain_is_critical_and_the_others_have_slack():
    analysis = analyse(diamond(), TODAY)

    assert analysis.forecast_ready_date == date(2027, 1, 20)
    assert analysis.critical_path == (1, 2, 4)
    assert {key: t.slack_days for key, t in analysis.timings.items()} == {1: 0, 2: 0, 3: 10, 4: 0}
    training = analysis.timings[3]
    assert (training.earliest_start, training.earliest_finish) == (
        date(2026, 12, 10),
        date(2027, 1, 10),
    )
    assert training.latest_finish == date(2027, 1, 20)
    assert not training.critical
    design = analysis.timings[1]
    assert design.latest_finish == date(2026, 12, 10)
    assert analysis.ready_margin_days == 11


def test_when_the_slack_chain_slips_past_the_other_the_critical_path_moves_to_it():
    training = ms(3, date(2027, 1, 25), start=date(2026, 12, 10), depends_on=[1])

    analysis = analyse(diamond(m3=training), TODAY)

    assert analysis.forecast_ready_date == date(2027, 1, 25)
    assert analysis.critical_path == (1, 3, 4)
    assert analysis.timings[2].slack_days == 5
    assert analysis.timings[4].earliest_start == date(2027, 1, 25)


def test_a_slip_within_the_slack_changes_neither_the_path_nor_the_forecast():
    training = ms(3, date(2027, 1, 20), start=date(2026, 12, 10), depends_on=[1])

    analysis = analyse(diamond(m3=training), TODAY)

    assert analysis.forecast_ready_date == date(2027, 1, 20)
    # Now both chains finish on the day: both are critical, in forward order.
    assert analysis.critical_path == (1, 2, 3, 4)
    assert analysis.timings[3].slack_days == 0


def test_a_successor_waits_for_its_predecessor_and_keeps_its_length():
    late_design = ms(1, date(2026, 12, 15), start=date(2026, 12, 1))

    analysis = analyse(diamond(m1=late_design), TODAY)

    build = analysis.timings[2]
    assert (build.earliest_start, build.earliest_finish) == (
        date(2026, 12, 15),
        date(2027, 1, 25),
    )
    assert analysis.forecast_ready_date == date(2027, 1, 25)


@pytest.mark.parametrize(
    ("exit_date", "assistance_end", "ready", "assistance"),
    [
        (date(2027, 1, 19), date(2027, 1, 19), -1, -1),
        (date(2027, 1, 20), date(2027, 3, 20), 0, 59),
        (date(2027, 1, 21), None, 1, None),
        (None, date(2027, 1, 20), None, 0),
    ],
)
def test_the_margins_count_days_from_the_forecast_to_the_provider_dates(
    exit_date, assistance_end, ready, assistance
):
    plan = replace(diamond(), exit_date=exit_date, assistance_end=assistance_end)

    analysis = analyse(plan, TODAY)

    assert (analysis.ready_margin_days, analysis.assistance_margin_days) == (ready, assistance)


def test_an_overdue_open_milestone_finishes_today_at_the_earliest_and_pushes_the_forecast():
    overdue = ms(1, date(2026, 11, 20), start=date(2026, 11, 10))
    successor = ms(2, date(2026, 11, 23), start=date(2026, 11, 22), depends_on=[1])

    analysis = analyse(Plan(milestones=(overdue, successor), exit_date=date(2026, 11, 30)), TODAY)

    assert (analysis.timings[1].earliest_start, analysis.timings[1].earliest_finish) == (
        date(2026, 11, 14),
        TODAY,
    )
    assert analysis.timings[2].earliest_finish == date(2026, 11, 25)
    assert analysis.forecast_ready_date == date(2026, 11, 25)
    assert analysis.ready_margin_days == 5
    assert analysis.critical_path == (1, 2)


def test_an_open_milestone_due_today_is_not_pushed():
    analysis = analyse(Plan(milestones=(ms(1, TODAY, start=TODAY),)), TODAY)

    assert analysis.timings[1].earliest_finish == TODAY


def test_a_done_predecessor_counts_from_the_day_it_was_completed_and_is_never_critical():
    design = ms(
        1, date(2026, 12, 10), start=date(2026, 11, 1), done=True, completed_on=date(2026, 11, 20)
    )
    build = ms(2, date(2026, 12, 20), start=date(2026, 11, 18), depends_on=[1])

    analysis = analyse(Plan(milestones=(design, build)), TODAY)

    assert (analysis.timings[1].earliest_start, analysis.timings[1].earliest_finish) == (
        date(2026, 11, 1),
        date(2026, 11, 20),
    )
    assert analysis.timings[1].slack_days == 0
    assert not analysis.timings[1].critical
    # Build lasts 32 days and could not begin before Design was completed.
    assert analysis.timings[2].earliest_start == date(2026, 11, 20)
    assert analysis.timings[2].earliest_finish == date(2026, 12, 22)
    assert analysis.critical_path == (2,)


def test_a_done_milestone_completed_late_still_finishes_on_its_completion_day():
    done_late = ms(1, date(2026, 11, 1), done=True, completed_on=date(2026, 11, 10))

    analysis = analyse(Plan(milestones=(done_late,)), TODAY)

    assert analysis.timings[1].earliest_start == date(2026, 11, 1)
    assert analysis.timings[1].earliest_finish == date(2026, 11, 10)
    assert analysis.forecast_ready_date == date(2026, 11, 10)
    assert analysis.critical_path == ()


def test_a_done_successor_does_not_hold_its_predecessor_back():
    open_row = ms(1, date(2026, 12, 1), start=date(2026, 11, 25))
    done_successor = ms(
        2,
        date(2026, 11, 26),
        start=date(2026, 11, 20),
        depends_on=[1],
        done=True,
        completed_on=date(2026, 11, 20),
    )
    last = ms(3, date(2027, 2, 1), start=date(2027, 1, 1))

    analysis = analyse(Plan(milestones=(open_row, done_successor, last)), TODAY)

    assert analysis.timings[1].latest_finish == date(2027, 2, 1)
    assert analysis.timings[1].slack_days == 62
    assert analysis.critical_path == (3,)


def test_parallel_ties_are_ordered_by_key():
    rows = (
        ms(5, date(2027, 1, 10), start=date(2027, 1, 1)),
        ms(2, date(2027, 1, 10), start=date(2027, 1, 1)),
    )

    assert analyse(Plan(milestones=rows), TODAY).critical_path == (2, 5)


def test_a_plan_without_milestones_has_no_forecast():
    assert analyse(Plan(exit_date=date(2027, 1, 1)), TODAY) == Analysis()


def test_a_cycle_is_broken_and_the_analysis_still_comes_back():
    rows = (
        ms(1, date(2027, 1, 10), start=date(2027, 1, 1), depends_on=[3]),
        ms(2, date(2027, 1, 20), start=date(2027, 1, 10), depends_on=[1]),
        ms(3, date(2027, 1, 30), start=date(2027, 1, 20), depends_on=[2, 3, 99]),
    )

    analysis = analyse(Plan(milestones=rows), TODAY)

    # The edge that closes the cycle (1 after 3) is ignored; the rest is a plain chain.
    assert analysis.forecast_ready_date == date(2027, 1, 30)
    assert analysis.critical_path == (1, 2, 3)


def test_the_graph_drops_unknown_self_and_cycle_closing_dependencies():
    rows = (
        ms(1, date(2027, 1, 10), depends_on=[2, 1, 42]),
        ms(2, date(2027, 1, 10), depends_on=[1]),
        ms(3, date(2027, 1, 10), depends_on=[2]),
    )

    graph = dependency_graph(rows)

    assert graph.order == (1, 2, 3)
    assert graph.predecessors == {1: (), 2: (1,), 3: (2,)}
    assert graph.successors == {1: (2,), 2: (3,), 3: ()}


def test_the_order_puts_each_milestone_after_its_predecessors_whatever_their_keys():
    rows = (
        ms(1, date(2027, 1, 10), depends_on=[3]),
        ms(2, date(2027, 1, 10)),
        ms(3, date(2027, 1, 10), depends_on=[2]),
    )

    assert dependency_graph(rows).order == (2, 3, 1)


def test_a_plan_is_finished_only_when_every_milestone_is_done():
    done = date(2026, 11, 20)
    all_done = Plan(
        milestones=(
            ms(1, date(2026, 11, 1), done=True, completed_on=date(2026, 11, 2)),
            ms(2, date(2026, 11, 15), depends_on=[1], done=True, completed_on=done),
        ),
        exit_date=date(2026, 11, 10),
    )
    finished = analyse(all_done, TODAY)
    assert finished.finished
    # The forecast is the last completion, ten days after the exit date: history, not risk.
    assert (finished.forecast_ready_date, finished.ready_margin_days) == (done, -10)

    one_open = replace(all_done, milestones=(all_done.milestones[0], ms(2, date(2026, 12, 1))))
    assert not analyse(one_open, TODAY).finished
    assert not analyse(Plan(), TODAY).finished
