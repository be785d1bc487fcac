"""What the schedule checks and the critical path read and return: plain values, no ORM.

`transition.selectors.schedule` builds a `Plan` from the database; the pure functions in
`checks` and `critical_path` take it, with the day they judge on, and return findings and
an analysis (docs/plan.md). Dates are parameters, never read from a clock here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Severity = Literal["error", "warning"]
Subject = Literal["milestone", "asset", "staff", "process"]

# Milestone kinds whose date is the day the process changes hands, and those a change
# freeze refuses (values of transition.models.Milestone.Kind).
HANDOVER_KINDS = frozenset({"go_live", "cut_over"})
FREEZE_KINDS = frozenset({"go_live", "cut_over", "parallel_run"})


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a plan.

    `severity` is "error" (red: the provider is gone before we are ready, or the row
    contradicts itself) or "warning" (a person may know better). `blocking` findings are
    refused on save; the others are saved and flagged. `key` is the pk of the row concerned
    (None for an unsaved row or for the process itself). `message` names the dates involved.
    """

    code: str
    severity: Severity
    message: str
    subject: Subject
    key: int | None = None
    blocking: bool = False


@dataclass(frozen=True)
class PlanMilestone:
    key: int
    title: str
    kind: str
    due: date
    start: date | None = None
    done: bool = False
    completed_on: date | None = None
    depends_on: tuple[int, ...] = ()
    freeze_override: bool = False  # an operations manager let it stay inside a freeze

    @property
    def begins(self) -> date:
        """The first day of its work: the start date, or the due date when it has none."""
        return min(self.start or self.due, self.due)


@dataclass(frozen=True)
class PlanAsset:
    key: int
    name: str
    transfer_due: date | None
    open: bool  # still to transfer (not transferred, not "not needed")


@dataclass(frozen=True)
class PlanStaff:
    key: int
    name: str
    planned_start: date | None
    onboarded: bool


@dataclass(frozen=True)
class Freeze:
    key: int
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Plan:
    """A process's plan and the dates it must fit in.

    `exit_date` is the provider's exit date (None while no notice is served);
    `assistance_end` the end of the termination assistance after it; `programme_start` and
    `programme_target` the programme's dates; `in_house_on` and `early_completion_reason`
    what completing the process recorded.
    """

    milestones: tuple[PlanMilestone, ...] = ()
    assets: tuple[PlanAsset, ...] = ()
    staff: tuple[PlanStaff, ...] = ()
    freezes: tuple[Freeze, ...] = ()
    exit_date: date | None = None
    assistance_end: date | None = None
    programme_start: date | None = None
    programme_target: date | None = None
    in_house_on: date | None = None
    early_completion_reason: str = ""


@dataclass(frozen=True)
class MilestoneTiming:
    """Where a milestone falls in the forecast: earliest start and finish, latest finish
    allowed without delaying the plan's finish, slack in days, and whether it is critical."""

    key: int
    earliest_start: date
    earliest_finish: date
    latest_finish: date
    slack_days: int
    critical: bool


@dataclass(frozen=True)
class Analysis:
    """The critical path of a plan as judged on a day.

    `forecast_ready_date` is the earliest finish of the whole plan (None without
    milestones); the margins are days from it to the exit date and to the end of
    assistance (None when that date is unknown); negative means late. When every
    milestone is done (`finished`), the forecast is the last completion and the margins say
    how the plan ended, not a risk.
    """

    timings: dict[int, MilestoneTiming] = field(default_factory=dict)
    critical_path: tuple[int, ...] = ()
    forecast_ready_date: date | None = None
    ready_margin_days: int | None = None
    assistance_margin_days: int | None = None
    # Every milestone is done: the "forecast" is the day the plan finished, a fact.
    finished: bool = False
