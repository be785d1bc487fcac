"""The plan's schedule as plain values: checks, the critical path and moving a milestone.

No ORM here: `transition.selectors.schedule` builds a `Plan` from the database, and these
pure functions judge it on a day they are given (docs/plan.md).
"""

from transition.schedule.checks import milestone_findings, plan_findings
from transition.schedule.critical_path import analyse
from transition.schedule.model import (
    FREEZE_KINDS,
    HANDOVER_KINDS,
    Analysis,
    Finding,
    Freeze,
    MilestoneTiming,
    Plan,
    PlanAsset,
    PlanMilestone,
    PlanStaff,
)
from transition.schedule.shift import cascade

__all__ = [
    "FREEZE_KINDS",
    "HANDOVER_KINDS",
    "Analysis",
    "Finding",
    "Freeze",
    "MilestoneTiming",
    "Plan",
    "PlanAsset",
    "PlanMilestone",
    "PlanStaff",
    "analyse",
    "cascade",
    "milestone_findings",
    "plan_findings",
]
