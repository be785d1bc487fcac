"""The parallel-run scorecard (docs/exit-management.md, "Parallel-run scorecard").

The rules are plain functions over dates and numbers, with no ORM and no clock (the day is
a parameter): periods (a week from Monday, a calendar month from the 1st), the window in
which actuals may be recorded, whether an actual meets its exit criterion, the RAG of a
KPI, its current streak and the completion gate. Pages, the API, the admin, the import and
the `complete` guard all call them; the querying helpers at the end only load rows.

Definitions, in one place:

* A period *counts* once it is over: the latest completed period on `today` is the one
  before the period containing `today`. An actual for the period in progress is shown (and
  gives the latest value and the RAG) but never counts for the streak or the gate.
* The *streak* is the number of consecutive completed periods, counting back from the latest
  completed period, each with an actual that meets the target; a period with no actual
  breaks it, so does one not met.
* The *gate* (`process.scorecard_gate_periods` = N > 0) lets a process complete only when
  every KPI's streak is at least N; a process with the gate on and no KPI stays blocked.
* The *RAG* judges the latest actual: green when it meets the target; amber when it does
  not but is better than the provider's baseline or within 5 % of the target; red
  otherwise; grey with no actual yet.
* The *window*: actuals are recorded for periods from the one containing the day notice was
  served to the one containing the end of termination assistance (exit date plus the
  contract's assistance months), and never for a period that has not started yet.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import month_year, short_date, weekday

from ..models import Kpi, KpiActual, OutsourcedProcess

WEEK = "week"
MONTH = "month"
HIGHER = "higher"
LOWER = "lower"

GREEN = "green"
AMBER = "amber"
RED = "red"
GREY = "grey"

# Amber when a missed actual is this close to the target (a share of the target).
AMBER_TOLERANCE = Decimal("0.05")

# The attribute the `complete` guard reads: the process's KPIs, each with `actual_rows`
# (by period), loaded for a page of processes at once (selectors.workflow).
SCORECARD_ROWS = "scorecard_kpi_rows"
ACTUAL_ROWS = "actual_rows"


# Periods


def period_start_of(day: date, period: str) -> date:
    """The first day of the period containing `day`: its Monday, or the 1st of its month."""
    if period == MONTH:
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def next_period_start(start: date, period: str) -> date:
    if period == MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=7)


def previous_period_start(start: date, period: str) -> date:
    if period == MONTH:
        return (start.replace(day=1) - timedelta(days=1)).replace(day=1)
    return start - timedelta(days=7)


def period_end(start: date, period: str) -> date:
    """The last day of the period starting `start` (both days are in it)."""
    if period == MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start + timedelta(days=6)


def latest_completed_period(today: date, period: str) -> date:
    """The start of the last period that is over on `today`."""
    return previous_period_start(period_start_of(today, period), period)


def period_label(start: date, period: str) -> str:
    """`the week of 16 Nov 2026` or `Nov 2026`, as messages and tables name a period."""
    if period == MONTH:
        return month_year(start)
    return _("the week of %(day)s") % {"day": short_date(start)}


def period_noun(period: str, count: int) -> str:
    if period == MONTH:
        return ngettext("month", "months", count)
    return ngettext("week", "weeks", count)


def period_start_problem(day: date, period: str) -> str | None:
    """Why `day` cannot start a period of this kind (None when it can)."""
    start = period_start_of(day, period)
    if start == day:
        return None
    if period == MONTH:
        return _(
            "A monthly KPI's period starts on the 1st: %(day)s is not; did you mean %(start)s?"
        ) % {"day": short_date(day), "start": short_date(start)}
    return _(
        "A weekly KPI's period starts on a Monday: %(day)s is a %(weekday)s; "
        "did you mean %(start)s?"
    ) % {"day": short_date(day), "weekday": weekday(day), "start": short_date(start)}


@dataclass(frozen=True)
class Window:
    """The periods actuals may be recorded for: from `first` to `last` (period starts)."""

    first: date
    last: date
    served_on: date
    assistance_end: date | None


def actuals_window(
    period: str, *, served_on: date | None, assistance_end: date | None
) -> Window | None:
    """The window of a process under notice (None before notice is served)."""
    if served_on is None:
        return None
    first = period_start_of(served_on, period)
    last = period_start_of(assistance_end, period) if assistance_end else date.max
    return Window(first=first, last=last, served_on=served_on, assistance_end=assistance_end)


def window_problem(
    start: date, period: str, *, process_name: str, window: Window | None, today: date
) -> str | None:
    """Why an actual for the period starting `start` is outside the transition, or None."""
    label = period_label(start, period)
    if start > today:
        return _(
            "%(period)s has not started yet (today is %(today)s): record an actual once its "
            "period has begun."
        ) % {"period": _capital(label), "today": short_date(today)}
    if window is None:
        return _(
            "“%(process)s” is not under exit notice: actuals are recorded from the period in "
            "which notice is served to the end of termination assistance."
        ) % {"process": process_name}
    if window.first <= start <= window.last:
        return None
    values = {
        "period": _capital(label),
        "process": process_name,
        "first": period_label(window.first, period),
        "served": short_date(window.served_on),
    }
    if window.assistance_end is None:
        return (
            _(
                "%(period)s is outside the transition of “%(process)s”: actuals are recorded "
                "from %(first)s (notice served %(served)s)."
            )
            % values
        )
    values["last"] = period_label(window.last, period)
    values["end"] = short_date(window.assistance_end)
    return (
        _(
            "%(period)s is outside the transition of “%(process)s”: actuals are recorded from "
            "%(first)s (notice served %(served)s) to %(last)s (termination assistance ends "
            "%(end)s)."
        )
        % values
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# Judging actuals


@dataclass(frozen=True)
class Rule:
    """What a KPI's actuals are judged by (a `Kpi`'s fields, without the database)."""

    direction: str
    target: Decimal
    baseline: Decimal | None = None
    period: str = WEEK

    @classmethod
    def of(cls, kpi: Kpi) -> Rule:
        return cls(kpi.direction, kpi.target, kpi.baseline, kpi.period)

    def meets(self, value: Decimal) -> bool:
        """The exit criterion: at least the target, or at most it when lower is better."""
        return value >= self.target if self.direction == HIGHER else value <= self.target

    def better_than(self, value: Decimal, other: Decimal) -> bool:
        return value > other if self.direction == HIGHER else value < other

    def rag(self, value: Decimal | None) -> str:
        """The one RAG rule of a KPI (see the module docstring)."""
        if value is None:
            return GREY
        if self.meets(value):
            return GREEN
        if self.baseline is not None and self.better_than(value, self.baseline):
            return AMBER
        if abs(self.target - value) <= abs(self.target) * AMBER_TOLERANCE:
            return AMBER
        return RED


@dataclass(frozen=True)
class PeriodResult:
    start: date
    value: Decimal
    met: bool
    counted: bool  # over on the day judged; the period in progress never counts


@dataclass(frozen=True)
class Evaluation:
    rule: Rule
    periods: tuple[PeriodResult, ...]
    latest: PeriodResult | None
    rag: str
    streak: int


def evaluate(
    rule: Rule, actuals: Mapping[date, Decimal] | Iterable[tuple[date, Decimal]], today: date
) -> Evaluation:
    """Each period met or not, the latest actual and its RAG, and the current streak."""
    values = dict(actuals.items() if isinstance(actuals, Mapping) else actuals)
    current = period_start_of(today, rule.period)
    periods = tuple(
        PeriodResult(start, value, rule.meets(value), start < current)
        for start, value in sorted(values.items())
    )
    latest = periods[-1] if periods else None
    streak = 0
    start = previous_period_start(current, rule.period)
    while (value := values.get(start)) is not None and rule.meets(value):
        streak += 1
        start = previous_period_start(start, rule.period)
    return Evaluation(
        rule=rule,
        periods=periods,
        latest=latest,
        rag=rule.rag(latest.value if latest else None),
        streak=streak,
    )


def format_value(value: Decimal, unit: str = "") -> str:
    """`97.1 %`, `4 hours`, `12`: the stored value without trailing zeros, with its unit."""
    number = format(value.normalize(), "f")
    return f"{number} {unit}".strip()


def gate_reason(
    *, name: str, unit: str, evaluation: Evaluation, needed: int, today: date
) -> str | None:
    """Why a KPI keeps the process from completing (None when its streak is long enough)."""
    if evaluation.streak >= needed:
        return None
    rule = evaluation.rule
    last = latest_completed_period(today, rule.period)
    window = []
    start = last
    for _n in range(needed):
        window.append(start)
        start = previous_period_start(start, rule.period)
    values = {p.start: p.value for p in evaluation.periods}
    met = sum(1 for s in window if values.get(s) is not None and rule.meets(values[s]))
    # The most recent of the periods that broke the run is the one to act on.
    culprit = next(s for s in window if values.get(s) is None or not rule.meets(values[s]))
    head = _(
        "“%(kpi)s” met its target %(met)s of the last %(n)s %(periods)s (needs %(n)s in a row):"
    ) % {"kpi": name, "met": met, "n": needed, "periods": period_noun(rule.period, needed)}
    value = values.get(culprit)
    if value is None:
        tail = _("no actual is recorded for %(period)s.") % {
            "period": period_label(culprit, rule.period)
        }
    else:
        tail = (
            _("%(value)s in %(period)s is below %(target)s.")
            if rule.direction == HIGHER
            else _("%(value)s in %(period)s is above %(target)s.")
        ) % {
            "value": format_value(value, unit),
            "period": period_label(culprit, rule.period),
            "target": format_value(rule.target, unit),
        }
    return f"{head} {tail}"


def gate_reasons(
    kpis: Sequence[tuple[str, str, Evaluation]], *, needed: int, today: date
) -> list[str]:
    """The reason of each KPI (name, unit, evaluation) keeping the gate shut."""
    if needed <= 0:
        return []
    if not kpis:
        return [
            ngettext(
                "The scorecard gate needs every KPI to meet its target for %(n)s period, but "
                "no KPIs are defined: add them on the scorecard, or turn the gate off.",
                "The scorecard gate needs every KPI to meet its target for %(n)s periods in "
                "a row, but no KPIs are defined: add them on the scorecard, or turn the gate "
                "off.",
                needed,
            )
            % {"n": needed}
        ]
    return [
        reason
        for name, unit, evaluation in kpis
        if (
            reason := gate_reason(
                name=name, unit=unit, evaluation=evaluation, needed=needed, today=today
            )
        )
    ]


# Reading KPIs (the database helpers: each loads rows, the rules above judge them)


def kpi_evaluation(kpi: Kpi, today: date) -> Evaluation:
    """Judge a KPI whose `actual_rows` were loaded (`with_actual_rows`)."""
    rows = getattr(kpi, ACTUAL_ROWS)
    return evaluate(Rule.of(kpi), [(row.period_start, row.value) for row in rows], today)


def process_gate_reasons(process: OutsourcedProcess, kpis: Sequence[Kpi], today: date) -> list[str]:
    """Why the gate keeps `process` from completing, over KPIs with their actuals loaded."""
    judged = [(kpi.name, kpi.unit, kpi_evaluation(kpi, today)) for kpi in kpis]
    return gate_reasons(judged, needed=process.scorecard_gate_periods, today=today)


def actual_rows_prefetch() -> Prefetch:
    return Prefetch(
        "actuals", queryset=KpiActual.objects.order_by("period_start"), to_attr=ACTUAL_ROWS
    )


def kpis_with_actuals() -> QuerySet[Kpi]:
    """KPIs by name, each with its actuals by period in `actual_rows` (two queries)."""
    return (
        Kpi.objects.select_related("process")
        .prefetch_related(actual_rows_prefetch())
        .order_by("name", "pk")
    )


def scorecard_prefetch() -> Prefetch:
    """The process's KPIs with their actuals, for the `complete` guard and the pages."""
    queryset = Kpi.objects.prefetch_related(actual_rows_prefetch()).order_by("name", "pk")
    return Prefetch("kpis", queryset=queryset, to_attr=SCORECARD_ROWS)


def process_window(process: OutsourcedProcess, period: str) -> Window | None:
    """The window of `process` for a KPI of this period kind (reads its contract)."""
    if process.notice_served_on is None:
        return None
    end = process.contract.assistance_end(process.exit_date) if process.exit_date else None
    return actuals_window(period, served_on=process.notice_served_on, assistance_end=end)


def actual_problems(*, kpi: Kpi, period_start: date | None, today: date) -> dict[str, str]:
    """What is wrong with recording an actual of `kpi` for `period_start`, by field."""
    if period_start is None:
        return {}
    problem = period_start_problem(period_start, kpi.period)
    if problem is None:
        problem = window_problem(
            period_start,
            kpi.period,
            process_name=kpi.process.name,
            window=process_window(kpi.process, kpi.period),
            today=today,
        )
    return {"period_start": problem} if problem else {}


@dataclass(frozen=True)
class KpiCard:
    """One row of the scorecard: the KPI, its evaluation and what its chart draws."""

    kpi: Kpi
    evaluation: Evaluation
    chart_id: str

    @property
    def rows(self) -> list[tuple[PeriodResult, KpiActual]]:
        """Each period, newest first, with its stored actual (for the note and the links)."""
        actuals = getattr(self.kpi, ACTUAL_ROWS)
        return list(zip(reversed(self.evaluation.periods), reversed(actuals), strict=True))


def scorecard_cards(kpis: Iterable[Kpi], today: date) -> list[KpiCard]:
    return [KpiCard(kpi, kpi_evaluation(kpi, today), f"kpi-chart-{kpi.pk}") for kpi in kpis]


def process_kpis_in_one_query(process: OutsourcedProcess) -> list[Kpi]:
    """The KPIs of `process` with their `actual_rows`, read in one query (a KPI joined to
    its actuals): the process page's card costs one query with or without KPIs."""
    rows = (
        Kpi.objects.filter(process=process)
        .order_by("name", "pk", "actuals__period_start")
        .values_list(
            "pk",
            "name",
            "unit",
            "direction",
            "period",
            "baseline",
            "target",
            "actuals__pk",
            "actuals__period_start",
            "actuals__value",
            "actuals__note",
        )
    )
    kpis: dict[int, Kpi] = {}
    for (
        pk,
        name,
        unit,
        direction,
        period,
        baseline,
        target,
        actual_pk,
        start,
        value,
        note,
    ) in rows:
        kpi = kpis.get(pk)
        if kpi is None:
            kpi = kpis[pk] = Kpi(
                pk=pk,
                process=process,
                name=name,
                unit=unit,
                direction=direction,
                period=period,
                baseline=baseline,
                target=target,
            )
            setattr(kpi, ACTUAL_ROWS, [])
        if actual_pk is not None:
            row = KpiActual(pk=actual_pk, kpi=kpi, period_start=start, value=value, note=note)
            getattr(kpi, ACTUAL_ROWS).append(row)
    return list(kpis.values())


def process_scorecard(process: OutsourcedProcess, today: date) -> list[KpiCard]:
    """The scorecard of one process: its KPIs by name with their actuals (two queries)."""
    return scorecard_cards(kpis_with_actuals().filter(process=process), today)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart_data(cards: Iterable[KpiCard]) -> dict:
    """What `static/js/scorecard-charts.js` draws, through `json_script` (text stays data)."""
    return {
        "kpis": [
            {
                "canvas": card.chart_id,
                "name": card.kpi.name,
                "unit": card.kpi.unit,
                "labels": [p.start.isoformat() for p in card.evaluation.periods],
                "values": [_number(p.value) for p in card.evaluation.periods],
                "met": [p.met for p in card.evaluation.periods],
                "target": _number(card.kpi.target),
                "baseline": _number(card.kpi.baseline),
            }
            for card in cards
        ]
    }
