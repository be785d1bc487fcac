"""Plans for the schedule checks and the critical path, read from the database.

`transition.schedule` judges plain values (`Plan`); this module builds them from the ORM in
a fixed number of queries for any number of processes (`plans_for()`), and shapes what the
pages and the API show of one process (`process_schedule()`), docs/plan.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, QuerySet, prefetch_related_objects

from ..models import Asset, ChangeFreeze, Milestone, OutsourcedProcess, StaffMember
from ..models.process import plan_milestone, plan_milestones_of
from ..schedule.checks import plan_findings
from ..schedule.critical_path import analyse
from ..schedule.model import (
    Analysis,
    Finding,
    Freeze,
    Plan,
    PlanAsset,
    PlanMilestone,
    PlanStaff,
)

__all__ = [
    "ProcessSchedule",
    "assistance_end_of",
    "freezes_of",
    "plan_asset",
    "plan_milestone",
    "plan_staff",
    "plans_for",
    "process_plan",
    "process_schedule",
    "schedule_of_plan",
    "schedule_summaries",
]


def plan_asset(row: Asset) -> PlanAsset:
    return PlanAsset(
        key=row.pk or 0,
        name=str(row),
        transfer_due=row.transfer_due,
        open=row.status in Asset.OPEN_STATUSES
        and row.transfer_method != Asset.TransferMethod.NOT_NEEDED,
    )


def plan_staff(row: StaffMember) -> PlanStaff:
    return PlanStaff(
        key=row.pk or 0,
        name=row.name,
        planned_start=row.planned_start,
        onboarded=row.status == StaffMember.Status.ONBOARDED,
    )


def freeze_of(row: ChangeFreeze) -> Freeze:
    return Freeze(key=row.pk, name=row.name, starts_on=row.starts_on, ends_on=row.ends_on)


def freezes_of(programme_id: int) -> tuple[Freeze, ...]:
    rows = ChangeFreeze.objects.filter(programme_id=programme_id).order_by("starts_on", "pk")
    return tuple(freeze_of(row) for row in rows)


def assistance_end_of(process: OutsourcedProcess) -> date | None:
    """The end of termination assistance after the exit date (None without an exit date)."""
    if process.exit_date is None:
        return None
    return process.contract.assistance_end(process.exit_date)


def _plan(
    process: OutsourcedProcess,
    milestones: Iterable[PlanMilestone],
    assets: Iterable[Asset],
    staff: Iterable[StaffMember],
    freezes: Iterable[Freeze],
) -> Plan:
    programme = process.programme
    return Plan(
        milestones=tuple(milestones),
        assets=tuple(plan_asset(row) for row in assets),
        staff=tuple(plan_staff(row) for row in staff),
        freezes=tuple(freezes),
        exit_date=process.exit_date,
        assistance_end=assistance_end_of(process),
        programme_start=programme.start_date,
        programme_target=programme.target_date,
        in_house_on=process.in_house_on,
        early_completion_reason=process.early_completion_reason,
    )


def _milestone_rows(process_ids: Sequence[int]) -> QuerySet[Milestone]:
    """Milestones of these processes, one row per dependency edge (`predecessor_id`)."""
    return (
        Milestone.objects.filter(process_id__in=process_ids)
        .annotate(predecessor_id=F("depends_on__id"))
        .order_by("due_date", "pk", "predecessor_id")
    )


def plans_for(
    processes: Sequence[OutsourcedProcess], *, freezes: Sequence[ChangeFreeze] | None = None
) -> dict[int, Plan]:
    """The plan of each process by pk: four queries (milestones with their dependency edges,
    unless the RAG's inputs carry them; assets; staff; freezes of their programmes) plus
    the contracts and programmes not loaded yet, for any number of processes."""
    processes = list(processes)
    if not processes:
        return {}
    prefetch_related_objects(processes, "contract", "programme")
    ids = [process.pk for process in processes]
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    if all(hasattr(process, "schedule_milestone_rows") for process in processes):
        # Loaded with the RAG's inputs (with_rag_inputs): the same rows, no second query.
        for process in processes:
            milestones[process.pk] = process.schedule_milestone_rows
    else:
        for milestone in _milestone_rows(ids):
            milestones[milestone.process_id].append(milestone)
    assets: dict[int, list[Asset]] = defaultdict(list)
    for asset in Asset.objects.filter(process_id__in=ids).order_by("transfer_due", "name", "pk"):
        assets[asset.process_id].append(asset)
    staff: dict[int, list[StaffMember]] = defaultdict(list)
    for member in StaffMember.objects.filter(process_id__in=ids).order_by("planned_start", "pk"):
        staff[member.process_id].append(member)
    by_programme: dict[int, list[Freeze]] = defaultdict(list)
    freeze_rows: Iterable[ChangeFreeze]
    if freezes is None:
        programme_ids = {process.programme_id for process in processes}
        freeze_rows = ChangeFreeze.objects.filter(programme_id__in=programme_ids)
    else:  # the page loaded its programme's freezes already
        freeze_rows = freezes
    for freeze in freeze_rows:
        by_programme[freeze.programme_id].append(freeze_of(freeze))
    return {
        process.pk: _plan(
            process,
            plan_milestones_of(milestones[process.pk]),
            assets[process.pk],
            staff[process.pk],
            by_programme[process.programme_id],
        )
        for process in processes
    }


def process_plan(
    process: OutsourcedProcess, *, milestone_rows: Sequence[Milestone] | None = None
) -> Plan:
    """One process's plan. `milestone_rows` are milestones a page already loaded (with
    `.predecessors`, as `process_milestones()` gives them); assets and staff are read from
    `asset_rows`/`staff_rows` when the workspace loaded them."""
    if milestone_rows is None:
        milestone_rows = list(_milestone_rows([process.pk]))
    assets = getattr(process, "asset_rows", None)
    if assets is None:
        assets = Asset.objects.filter(process=process).order_by("transfer_due", "name", "pk")
    staff = getattr(process, "staff_rows", None)
    if staff is None:
        staff = StaffMember.objects.filter(process=process).order_by("planned_start", "pk")
    return _plan(
        process,
        plan_milestones_of(milestone_rows),
        assets,
        staff,
        freezes_of(process.programme_id),
    )


@dataclass(frozen=True)
class ProcessSchedule:
    """What a process's page and API show of its schedule on a day."""

    plan: Plan
    findings: list[Finding]
    analysis: Analysis
    by_milestone: dict[int, list[Finding]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]

    @property
    def critical_titles(self) -> list[tuple[int, str]]:
        titles = {milestone.key: milestone.title for milestone in self.plan.milestones}
        return [(key, titles.get(key, "")) for key in self.analysis.critical_path]


def schedule_of_plan(plan: Plan, today: date) -> ProcessSchedule:
    """The findings and the critical-path analysis of a plan on `today`."""
    findings = plan_findings(plan, today)
    by_milestone: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.subject == "milestone" and finding.key is not None:
            by_milestone[finding.key].append(finding)
    return ProcessSchedule(
        plan=plan,
        findings=findings,
        analysis=analyse(plan, today),
        by_milestone=dict(by_milestone),
    )


def process_schedule(
    process: OutsourcedProcess,
    today: date,
    *,
    milestone_rows: Sequence[Milestone] | None = None,
) -> ProcessSchedule:
    """The schedule of one process's plan on `today` (its page, the API's detail)."""
    return schedule_of_plan(process_plan(process, milestone_rows=milestone_rows), today)


def schedule_summaries(
    processes: Sequence[OutsourcedProcess],
    today: date,
    *,
    freezes: Sequence[ChangeFreeze] | None = None,
) -> dict[int, ProcessSchedule]:
    """The schedule of each of a page's processes by pk, in the queries of `plans_for()`:
    only ever for a page of them, never the whole portfolio."""
    plans = plans_for(processes, freezes=freezes)
    return {pk: schedule_of_plan(plan, today) for pk, plan in plans.items()}
