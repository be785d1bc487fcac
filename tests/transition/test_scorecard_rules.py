"""The scorecard's rules as plain functions: periods, the window, met or not, the RAG, the
streak and the completion gate's reasons (transition.selectors.scorecard). No database."""

from datetime import date
from decimal import Decimal as D

import pytest

from transition.models import Kpi
from transition.selectors import scorecard as sc

TODAY = date(2026, 11, 24)  # a Tuesday
HIGH = sc.Rule(sc.HIGHER, D("98"), D("96"), sc.WEEK)
LOW = sc.Rule(sc.LOWER, D("4"), D("6"), sc.WEEK)


# Periods


@pytest.mark.parametrize(
    ("day", "period", "start"),
    [
        (date(2026, 11, 24), sc.WEEK, date(2026, 11, 23)),
        (date(2026, 11, 23), sc.WEEK, date(2026, 11, 23)),
        (date(2026, 11, 29), sc.WEEK, date(2026, 11, 23)),  # Sunday ends the week
        (date(2026, 11, 24), sc.MONTH, date(2026, 11, 1)),
        (date(2027, 1, 1), sc.WEEK, date(2026, 12, 28)),  # a week across the year end
    ],
)
def test_a_period_starts_on_a_monday_or_the_first(day, period, start):
    assert sc.period_start_of(day, period) == start


def test_periods_step_across_the_year_end():
    assert sc.next_period_start(date(2026, 12, 1), sc.MONTH) == date(2027, 1, 1)
    assert sc.previous_period_start(date(2027, 1, 1), sc.MONTH) == date(2026, 12, 1)
    assert sc.period_end(date(2027, 2, 1), sc.MONTH) == date(2027, 2, 28)
    assert sc.period_end(date(2026, 11, 23), sc.WEEK) == date(2026, 11, 29)
    assert sc.latest_completed_period(TODAY, sc.WEEK) == date(2026, 11, 16)
    assert sc.latest_completed_period(TODAY, sc.MONTH) == date(2026, 10, 1)


def test_a_week_not_starting_on_a_monday_is_refused_with_the_monday_offered():
    message = sc.period_start_problem(date(2026, 11, 18), sc.WEEK)
    assert message == (
        "A weekly KPI's period starts on a Monday: 18 Nov 2026 is a Wednesday; "
        "did you mean 16 Nov 2026?"
    )
    assert sc.period_start_problem(date(2026, 11, 16), sc.WEEK) is None


def test_a_month_not_starting_on_the_first_is_refused():
    message = sc.period_start_problem(date(2026, 11, 16), sc.MONTH)
    assert "starts on the 1st" in message
    assert "did you mean 1 Nov 2026?" in message
    assert sc.period_start_problem(date(2026, 11, 1), sc.MONTH) is None


# The window


WINDOW = sc.actuals_window(sc.WEEK, served_on=date(2026, 9, 3), assistance_end=date(2027, 6, 30))


def problem(start, window=WINDOW, today=TODAY):
    return sc.window_problem(start, sc.WEEK, process_name="Desk", window=window, today=today)


def test_the_window_runs_from_the_week_notice_was_served_to_the_week_assistance_ends():
    assert (WINDOW.first, WINDOW.last) == (date(2026, 8, 31), date(2027, 6, 28))
    assert problem(date(2026, 8, 31)) is None
    assert problem(date(2026, 11, 23)) is None  # the week in progress


def test_a_period_before_notice_is_refused_naming_the_dates():
    assert problem(date(2026, 8, 24)) == (
        "The week of 24 Aug 2026 is outside the transition of “Desk”: actuals are recorded "
        "from the week of 31 Aug 2026 (notice served 3 Sep 2026) to the week of 28 Jun 2027 "
        "(termination assistance ends 30 Jun 2027)."
    )


def test_a_period_after_assistance_ends_is_refused():
    message = problem(date(2027, 7, 5), today=date(2027, 8, 1))
    assert "outside the transition" in message
    assert "30 Jun 2027" in message


def test_a_period_that_has_not_started_is_refused():
    assert problem(date(2026, 11, 30)) == (
        "The week of 30 Nov 2026 has not started yet (today is 24 Nov 2026): record an actual "
        "once its period has begun."
    )


def test_without_notice_no_period_is_in_the_window():
    window = sc.actuals_window(sc.WEEK, served_on=None, assistance_end=None)
    assert window is None
    assert "is not under exit notice" in problem(date(2026, 11, 16), window=None)


# Met, RAG


@pytest.mark.parametrize(
    ("rule", "value", "met"),
    [
        (HIGH, D("98"), True),
        (HIGH, D("97.99"), False),
        (LOW, D("4"), True),
        (LOW, D("4.01"), False),
    ],
)
def test_the_target_is_met_at_the_boundary_in_either_direction(rule, value, met):
    assert rule.meets(value) is met


@pytest.mark.parametrize("direction", [sc.HIGHER, sc.LOWER])
@pytest.mark.parametrize("value", ["97", "98", "99", "3", "4", "5"])
def test_the_rule_agrees_with_the_model(direction, value):
    kpi = Kpi(direction=direction, target=D("98") if direction == sc.HIGHER else D("4"))
    assert sc.Rule.of(kpi).meets(D(value)) is kpi.meets(D(value))


@pytest.mark.parametrize(
    ("rule", "value", "rag"),
    [
        (HIGH, None, sc.GREY),
        (HIGH, D("98"), sc.GREEN),
        (HIGH, D("96.5"), sc.AMBER),  # better than the baseline 96
        (HIGH, D("93.1"), sc.AMBER),  # within 5 % of 98 (93.1 is exactly 95 %)
        (HIGH, D("93.09"), sc.RED),
        (LOW, D("4"), sc.GREEN),
        (LOW, D("4.2"), sc.AMBER),  # within 5 % of 4
        (LOW, D("5.9"), sc.AMBER),  # better than the baseline 6
        (LOW, D("6"), sc.RED),  # as the provider, not better
    ],
)
def test_the_rag_rule_at_its_boundaries(rule, value, rag):
    assert rule.rag(value) == rag


def test_without_a_baseline_only_the_tolerance_makes_amber():
    rule = sc.Rule(sc.HIGHER, D("100"), None, sc.WEEK)
    assert rule.rag(D("95")) == sc.AMBER
    assert rule.rag(D("94.99")) == sc.RED


# Streaks


def weeks(*values, last=date(2026, 11, 16)):
    """Actuals for consecutive weeks ending with `last` (None: no actual that week)."""
    starts = [last]
    for _ in values[1:]:
        starts.insert(0, sc.previous_period_start(starts[0], sc.WEEK))
    return {start: D(v) for start, v in zip(starts, values, strict=True) if v is not None}


def test_the_streak_counts_met_weeks_back_from_the_latest_completed_one():
    evaluation = sc.evaluate(HIGH, weeks("90", "98", "99", "98.5"), TODAY)
    assert evaluation.streak == 3
    assert [p.met for p in evaluation.periods] == [False, True, True, True]
    assert evaluation.latest.value == D("98.5")
    assert evaluation.rag == sc.GREEN


def test_a_week_without_an_actual_breaks_the_streak():
    assert sc.evaluate(HIGH, weeks("99", None, "99", "99"), TODAY).streak == 2
    assert sc.evaluate(HIGH, weeks("99", "99", None), TODAY).streak == 0


def test_a_week_not_met_breaks_it_and_lower_is_better_counts_the_other_way():
    assert sc.evaluate(HIGH, weeks("99", "97"), TODAY).streak == 0
    assert sc.evaluate(LOW, weeks("5", "3", "4"), TODAY).streak == 2


def test_the_week_in_progress_is_shown_but_never_counts():
    actuals = {**weeks("99", "99"), date(2026, 11, 23): D("50")}
    evaluation = sc.evaluate(HIGH, actuals, TODAY)
    assert evaluation.streak == 2
    assert evaluation.latest.start == date(2026, 11, 23)
    assert evaluation.latest.counted is False
    assert evaluation.rag == sc.RED  # the RAG judges the latest value


def test_monthly_streaks_count_calendar_months():
    rule = sc.Rule(sc.HIGHER, D("98"), None, sc.MONTH)
    actuals = {date(2026, 8, 1): D("99"), date(2026, 9, 1): D("99"), date(2026, 10, 1): D("98")}
    assert sc.evaluate(rule, actuals, TODAY).streak == 3
    assert sc.evaluate(rule, actuals, date(2026, 12, 2)).streak == 0  # November missing


def test_no_actuals_no_streak_and_grey():
    evaluation = sc.evaluate(HIGH, {}, TODAY)
    assert (evaluation.streak, evaluation.latest, evaluation.rag) == (0, None, sc.GREY)


# The gate


def test_the_gate_names_the_kpi_the_count_and_the_week_that_missed():
    evaluation = sc.evaluate(HIGH, weeks("98", "98.2", "97.1"), TODAY)
    reason = sc.gate_reason(
        name="Orders shipped on time", unit="%", evaluation=evaluation, needed=3, today=TODAY
    )
    assert reason == (
        "“Orders shipped on time” met its target 2 of the last 3 weeks (needs 3 in a row): "
        "97.1 % in the week of 16 Nov 2026 is below 98 %."
    )


def test_the_gate_names_a_missing_week_and_says_above_for_lower_is_better():
    missing = sc.evaluate(HIGH, weeks("99", None, "99"), TODAY)
    assert sc.gate_reason(name="A", unit="", evaluation=missing, needed=3, today=TODAY).endswith(
        "no actual is recorded for the week of 9 Nov 2026."
    )
    above = sc.evaluate(LOW, weeks("4", "4.5"), TODAY)
    reason = sc.gate_reason(name="Backlog", unit="days", evaluation=above, needed=2, today=TODAY)
    assert reason.endswith("4.5 days in the week of 16 Nov 2026 is above 4 days.")


def test_the_gate_opens_with_n_weeks_met_in_a_row():
    evaluation = sc.evaluate(HIGH, weeks("90", "98", "99", "98"), TODAY)
    assert sc.gate_reason(name="A", unit="%", evaluation=evaluation, needed=3, today=TODAY) is None
    assert sc.gate_reasons([("A", "%", evaluation)], needed=3, today=TODAY) == []


def test_the_gate_with_no_kpis_is_shut_and_off_says_nothing():
    [reason] = sc.gate_reasons([], needed=2, today=TODAY)
    assert "no KPIs are defined" in reason
    assert sc.gate_reasons([], needed=0, today=TODAY) == []


def test_values_are_written_without_trailing_zeros():
    assert sc.format_value(D("97.1000"), "%") == "97.1 %"
    assert sc.format_value(D("100.0000"), "") == "100"
