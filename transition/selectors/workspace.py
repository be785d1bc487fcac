"""What the process workspace and the programme page compute from loaded rows: key dates, plan
progress, readiness scores, labelled events and the transitions a user may fire.

Money totals over processes are not summed from loaded rows: they come from `portfolio.py`,
which converts each currency (docs/money.md, "Honest totals")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.db.models import Field

from core.types import User

from ..models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    ReadinessAssessment,
    StaffMember,
)
from .querysets import WorkspaceProcess
from .workflow import (
    TransitionOption,
    available_transitions,
    transition_labels,
    workflow_transitions,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


class _EventLabel(TypedDict):
    label: str


LabelledEvent: TypeAlias = "WithAnnotations[ProcessEvent, _EventLabel]"


@dataclass(frozen=True)
class KeyDate:
    key: str
    label: str
    value: date | None
    note: str = ""
    deadline: bool = False  # shown in red once past


def process_key_dates(process: OutsourcedProcess, on: date) -> list[KeyDate]:
    """The contract dates that drive a process: notice deadline, decision, exit, assistance end."""
    contract = process.contract
    exit_date = process.exit_date or contract.exit_date_if_served(on)
    if process.notice_served_on:
        rows = [KeyDate("notice_served_on", "Notice served", process.notice_served_on)]
    else:
        rows = [
            KeyDate(
                "notice_deadline",
                "Notice deadline",
                contract.next_notice_deadline(on),
                "Last day the provider can receive notice for the next term end",
                deadline=True,
            ),
            KeyDate(
                "decision_date",
                "Decision date",
                contract.decision_date(on),
                f"{contract.decision_lead_days} days before the notice deadline",
                deadline=True,
            ),
        ]
    rows += [
        KeyDate(
            "exit_date",
            "Exit date",
            exit_date,
            "Agreed by the notice served" if process.exit_date else "If notice were served today",
        ),
        KeyDate(
            "assistance_end",
            "Termination assistance ends",
            contract.assistance_end(exit_date),
            f"{contract.exit_assistance_months} months after exit"
            if contract.exit_assistance_months
            else "No assistance period",
        ),
        KeyDate(
            "target_in_house_date",
            "Target in-house date",
            process.target_in_house_date,
            deadline=process.state != OutsourcedProcess.State.IN_HOUSE,
        ),
    ]
    if process.in_house_on:
        rows.append(KeyDate("in_house_on", "In-house since", process.in_house_on))
    return rows


def state_counts(processes: Iterable[OutsourcedProcess]) -> list[tuple[str, StrOrPromise, int]]:
    """(state, label, count) for each workflow state, in workflow order."""
    counts = {state: 0 for state in OutsourcedProcess.State.values}
    for process in processes:
        counts[process.state] += 1
    labels = dict(OutsourcedProcess.State.choices)
    return [(state, labels[state], n) for state, n in counts.items()]


@dataclass(frozen=True)
class PlanProgress:
    milestones: int
    milestones_done: int
    assets: int
    assets_settled: int
    staff: int
    staff_settled: int

    @property
    def percent(self) -> int:
        total = self.milestones + self.assets + self.staff
        done = self.milestones_done + self.assets_settled + self.staff_settled
        return round(100 * done / total) if total else 0


def plan_progress(process: WorkspaceProcess, milestones: Sequence[Milestone]) -> PlanProgress:
    """How much of a workspace-loaded process's plan is settled (no queries)."""
    return PlanProgress(
        milestones=len(milestones),
        milestones_done=sum(m.status == Milestone.Status.DONE for m in milestones),
        assets=len(process.asset_rows),
        assets_settled=sum(a.status in Asset.SETTLED_STATUSES for a in process.asset_rows),
        staff=len(process.staff_rows),
        staff_settled=sum(s.status in StaffMember.SETTLED_STATUSES for s in process.staff_rows),
    )


def labelled_events(events: list[ProcessEvent]) -> list[LabelledEvent]:
    """Events with `.label`, the human name of the transition each one records."""
    labels = transition_labels()
    labelled = cast("list[LabelledEvent]", events)  # the loop below adds `.label`
    for event in labelled:
        event.label = labels.get(event.transition, event.transition.replace("_", " ").capitalize())
    return labelled


def readiness_scores(assessment: ReadinessAssessment | None) -> list[tuple[str, int]]:
    """(area label, score) pairs of an assessment, in the model's order."""
    if assessment is None:
        return []
    return [(_score_label(name), score) for name, score in assessment.scores.items()]


def _score_label(name: str) -> str:
    field = ReadinessAssessment._meta.get_field(name)
    # Scores are plain model fields; get_field() may also return relations, which have none.
    return str(field.verbose_name).capitalize() if isinstance(field, Field) else name


def permitted_transitions(process: OutsourcedProcess, user: User) -> list[TransitionOption]:
    """The transitions from the current state that `user` may fire, allowed or blocked.

    The guards' inputs (the plan) are loaded only when the user may fire something at all.
    """
    if not any(
        t.source == process.state and t.has_perm(process, user)
        for t in workflow_transitions().values()
    ):
        return []
    return [option for option in available_transitions(process, user) if option.permitted]
