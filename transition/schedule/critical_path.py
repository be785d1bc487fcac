"""The critical path of a plan: when it can be ready, and which milestones decide that.

The critical path method over finish-to-start dependencies (docs/plan.md, "Critical
path"). Each milestone lasts as many days as lie between the day it begins and its due
date. The forward pass gives each its earliest start and finish: a done milestone finished
on the day it was completed; an open one begins when it planned to or when its last
predecessor finishes, whichever is later, and cannot finish before today (work that is
overdue is not done yet). The plan is ready on the latest earliest finish. The backward pass
gives each milestone the latest it may finish without moving that day; the days between
are its slack, and open milestones without slack are critical.

Pure functions: today is a parameter. Cycles are refused by the model; here a cycle in the
input is broken (the edge that closes it is ignored) so the answer always comes back.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from transition.schedule.checks import finish_of
from transition.schedule.model import Analysis, MilestoneTiming, Plan, PlanMilestone


@dataclass(frozen=True)
class Graph:
    """Milestones in an order that puts each after its predecessors, with the dependency
    edges that respect that order (an edge closing a cycle, or naming a milestone not in
    the plan, is left out)."""

    order: tuple[int, ...]
    predecessors: dict[int, tuple[int, ...]]
    successors: dict[int, tuple[int, ...]]


def dependency_graph(milestones: Iterable[PlanMilestone]) -> Graph:
    """Kahn's algorithm, smallest key first among the ready ones, so ties are stable.

    When only milestones on a cycle remain, the one with the smallest key goes next and its
    dependencies on those not yet placed are dropped.
    """
    rows = {m.key: m for m in milestones}
    wanted = {
        key: {p for p in row.depends_on if p in rows and p != key} for key, row in rows.items()
    }
    waiting = {key: set(preds) for key, preds in wanted.items()}
    dependants: dict[int, set[int]] = {key: set() for key in rows}
    for key, preds in wanted.items():
        for pred in preds:
            dependants[pred].add(key)

    ready = [key for key, preds in waiting.items() if not preds]
    heapq.heapify(ready)
    placed: dict[int, int] = {}
    while len(placed) < len(rows):
        if not ready:
            # Only cycles remain: place the smallest key and forget what it still waits on.
            key = min(k for k in rows if k not in placed)
            waiting[key].clear()
        else:
            key = heapq.heappop(ready)
        placed[key] = len(placed)
        for dependant in sorted(dependants[key]):
            pending = waiting[dependant]
            if key in pending:
                pending.discard(key)
                if not pending and dependant not in placed:
                    heapq.heappush(ready, dependant)

    order = tuple(sorted(placed, key=placed.__getitem__))
    predecessors = {
        key: tuple(sorted(p for p in wanted[key] if placed[p] < placed[key])) for key in order
    }
    successors: dict[int, list[int]] = {key: [] for key in order}
    for key in order:
        for pred in predecessors[key]:
            successors[pred].append(key)
    return Graph(
        order=order,
        predecessors=predecessors,
        successors={key: tuple(sorted(succ)) for key, succ in successors.items()},
    )


def duration_days(milestone: PlanMilestone) -> int:
    """Days from the day a milestone begins to its due date (0 for a one-day milestone)."""
    return (milestone.due - milestone.begins).days


def analyse(plan: Plan, today: date) -> Analysis:
    """Earliest and latest dates, slack and the critical path of a plan on `today`."""
    rows = {m.key: m for m in plan.milestones}
    if not rows:
        return Analysis()
    graph = dependency_graph(plan.milestones)

    earliest: dict[int, tuple[date, date]] = {}
    for key in graph.order:
        row = rows[key]
        if row.done:
            finish = finish_of(row)
            earliest[key] = (min(row.begins, finish), finish)
            continue
        length = timedelta(days=duration_days(row))
        start = max([row.begins, *(earliest[p][1] for p in graph.predecessors[key])])
        finish = start + length
        if finish < today:
            # Overdue: it can finish today at the earliest, and it takes no less time.
            finish = today
            start = today - length
        earliest[key] = (start, finish)
    forecast = max(finish for _start, finish in earliest.values())

    latest: dict[int, date] = {}
    for key in reversed(graph.order):
        open_successors = [s for s in graph.successors[key] if not rows[s].done]
        if not open_successors:
            latest[key] = forecast
        else:
            latest[key] = min(
                latest[s] - timedelta(days=duration_days(rows[s])) for s in open_successors
            )

    timings = {}
    for key in graph.order:
        start, finish = earliest[key]
        slack = (latest[key] - finish).days
        timings[key] = MilestoneTiming(
            key=key,
            earliest_start=start,
            earliest_finish=finish,
            latest_finish=latest[key],
            slack_days=slack,
            critical=not rows[key].done and slack == 0,
        )
    position = {key: index for index, key in enumerate(graph.order)}
    critical = sorted(
        (key for key, timing in timings.items() if timing.critical),
        key=lambda key: (timings[key].earliest_start, position[key]),
    )
    return Analysis(
        timings=timings,
        critical_path=tuple(critical),
        forecast_ready_date=forecast,
        ready_margin_days=_days(forecast, plan.exit_date),
        assistance_margin_days=_days(forecast, plan.assistance_end),
        finished=all(row.done for row in plan.milestones),
    )


def _days(forecast: date, deadline: date | None) -> int | None:
    return None if deadline is None else (deadline - forecast).days
