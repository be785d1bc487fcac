"""Moving a milestone and what it pushes: automatic scheduling, as OpenProject does it.

When a milestone slips, each open milestone that depends on it (directly or through
others) and would now begin before a moved predecessor is due moves later by the fewest
days that let it begin on that due date: in the simple case, by the slip. A successor with
enough slack does not move, a done milestone never moves, and moving a milestone earlier
moves only that milestone (docs/plan.md, "Moving a milestone").
"""

from __future__ import annotations

from datetime import date, timedelta

from transition.schedule.critical_path import dependency_graph
from transition.schedule.model import Plan, PlanMilestone


def cascade(plan: Plan, key: int, new_due: date) -> dict[int, tuple[date | None, date]]:
    """The new (start, due) of each milestone whose dates change when milestone `key`
    becomes due on `new_due`: that milestone itself (its start moves by as many days as its
    due date) and each successor that must follow. Empty when `key` is not in the plan or
    its due date does not change."""
    rows = {m.key: m for m in plan.milestones}
    moved = rows.get(key)
    if moved is None or new_due == moved.due:
        return {}
    changes = {key: _shifted(moved, (new_due - moved.due).days)}
    if new_due < moved.due:
        return changes

    graph = dependency_graph(plan.milestones)
    # The graph's order puts every milestone after its predecessors, so one pass settles
    # each successor once every milestone it follows has moved.
    for successor in graph.order:
        row = rows[successor]
        if successor == key or row.done:
            continue
        pushed_to = [changes[p][1] for p in graph.predecessors[successor] if p in changes]
        if not pushed_to:
            continue
        days = (max(pushed_to) - row.begins).days
        if days > 0:
            changes[successor] = _shifted(row, days)
    return changes


def _shifted(row: PlanMilestone, days: int) -> tuple[date | None, date]:
    delta = timedelta(days=days)
    start = row.start + delta if row.start is not None else None
    return start, row.due + delta
