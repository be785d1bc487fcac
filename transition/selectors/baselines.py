"""Baselines and how far the current plan has moved from one (docs/plan.md, "Baselines").

Every read here costs a fixed number of queries however many milestones there are: the
variance reads the baseline's entries once and the milestones they name (or that the
baseline's process or programme now holds) once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..models import Baseline, BaselineMilestone, Milestone, OutsourcedProcess, Programme

LATER = "later"
EARLIER = "earlier"
UNCHANGED = "unchanged"
ADDED = "added"
REMOVED = "removed"
STATUS_LABELS = {
    LATER: _("Later"),
    EARLIER: _("Earlier"),
    UNCHANGED: _("Unchanged"),
    ADDED: _("Added"),
    REMOVED: _("Removed"),
}
# Why a baseline milestone counts as removed.
DELETED = "deleted"
MOVED = "moved"


def baselines() -> QuerySet[Baseline]:
    """Baselines with who saved them, their subject and how many milestones they hold."""
    # A subquery rather than a join: the rows are not grouped (which would also drop the
    # model's ordering), and the count costs nothing per row.
    entries = (
        BaselineMilestone.objects.filter(baseline=OuterRef("pk"))
        .order_by()
        .values("baseline")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Baseline.objects.select_related("created_by", "process", "programme")
        .annotate(milestone_count=Coalesce(Subquery(entries), 0))
        .order_by("-created_at", "-pk")
    )


def baselines_of_process(process: OutsourcedProcess) -> QuerySet[Baseline]:
    """The baselines of one process, newest first (for a list or a picker)."""
    return baselines().filter(process=process)


def baselines_of_programme(programme: Programme) -> QuerySet[Baseline]:
    """The baselines of one programme, newest first (for a list or a picker)."""
    return baselines().filter(programme=programme)


def baseline_detail() -> QuerySet[Baseline]:
    """Baselines with everything the comparison page names (one query per baseline)."""
    return Baseline.objects.select_related(
        "created_by", "process", "process__programme", "programme"
    )


def baseline_dates(baseline: Baseline) -> dict[int, tuple[date | None, date]]:
    """Milestone pk → its (start, due) in the baseline, for the milestones still there.

    One query. What the Gantt draws beside each bar; a milestone the baseline does not
    hold (added since) has no entry.
    """
    rows = BaselineMilestone.objects.filter(baseline=baseline, milestone__isnull=False).values_list(
        "milestone_id", "start_date", "due_date"
    )
    return {pk: (start, due) for pk, start, due in rows}


@dataclass(frozen=True)
class VarianceRow:
    """One milestone in the baseline, the current plan, or both.

    `variance_days` is the current due date minus the baseline's (positive: later);
    None for a milestone added or removed since.
    """

    status: str
    milestone_id: int | None
    process_id: int | None
    process_name: str
    title: str
    kind: str
    baseline_start: date | None = None
    baseline_due: date | None = None
    current_start: date | None = None
    current_due: date | None = None
    variance_days: int | None = None
    start_variance_days: int | None = None
    done: bool = False
    overdue: bool = False
    # Removed rows: "deleted", or "moved" with the process it went to.
    removed_because: str = ""
    moved_to: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def kind_label(self) -> str:
        return str(Milestone.Kind(self.kind).label) if self.kind in Milestone.Kind else self.kind


@dataclass(frozen=True)
class VarianceSummary:
    later: int = 0
    earlier: int = 0
    unchanged: int = 0
    added: int = 0
    removed: int = 0
    # The most days any milestone slipped (0 when none is later), and which one.
    max_slip_days: int = 0
    max_slip_title: str = ""
    # Every row: compared, added and removed.
    total: int = 0
    # The last due date of the plan then and now, and the days between (positive: later).
    baseline_finish: date | None = None
    current_finish: date | None = None
    finish_variance_days: int | None = None


@dataclass(frozen=True)
class Variance:
    baseline: Baseline
    rows: list[VarianceRow] = field(default_factory=list)  # in both, by baseline due date
    added: list[VarianceRow] = field(default_factory=list)
    removed: list[VarianceRow] = field(default_factory=list)
    summary: VarianceSummary = field(default_factory=VarianceSummary)

    @property
    def slipped(self) -> list[VarianceRow]:
        return [row for row in self.rows if row.status == LATER]

    def all_rows(self) -> list[VarianceRow]:
        """Compared, then added, then removed: the rows of the export."""
        return [*self.rows, *self.added, *self.removed]


def baseline_variance(baseline: Baseline, on: date | None = None) -> Variance:
    """How the current plan differs from `baseline`, milestone by milestone.

    Milestones are matched by id. One that the baseline holds and the plan still holds is
    compared; one the plan holds and the baseline does not was added; one the baseline
    holds that is gone (deleted, or now in a process outside the baseline's process or
    programme) was removed. With `on`, a milestone not done and due before it is overdue.
    Two queries.
    """
    entries = list(
        BaselineMilestone.objects.filter(baseline=baseline)
        .order_by("due_date", "pk")
        .values_list(
            "milestone_id",
            "process_id",
            "process_name",
            "title",
            "kind",
            "start_date",
            "due_date",
        )
    )
    named = [entry[0] for entry in entries if entry[0] is not None]
    in_subject = (
        Q(process_id=baseline.process_id)
        if baseline.process_id is not None
        else Q(process__programme_id=baseline.programme_id)
    )
    current = {
        m.pk: m
        for m in Milestone.objects.filter(in_subject | Q(pk__in=named))
        .select_related("process")
        .only(
            "pk",
            "title",
            "kind",
            "start_date",
            "due_date",
            "status",
            "process__id",
            "process__name",
            "process__programme_id",
            "process__state",  # the workflow reads it when the row loads
        )
        .order_by("due_date", "pk")
    }

    def belongs(milestone: Milestone) -> bool:
        if baseline.process_id is not None:
            return milestone.process_id == baseline.process_id
        return milestone.process.programme_id == baseline.programme_id

    def flags(milestone: Milestone) -> dict:
        done = milestone.status == Milestone.Status.DONE
        return {
            "done": done,
            "overdue": on is not None and not done and milestone.due_date < on,
        }

    rows: list[VarianceRow] = []
    removed: list[VarianceRow] = []
    seen: set[int] = set()
    for pk, process_id, process_name, title, kind, start, due in entries:
        milestone = current.get(pk) if pk is not None else None
        if milestone is None or not belongs(milestone):
            removed.append(
                VarianceRow(
                    status=REMOVED,
                    milestone_id=pk if milestone is not None else None,
                    process_id=process_id,
                    process_name=process_name,
                    title=title,
                    kind=kind,
                    baseline_start=start,
                    baseline_due=due,
                    removed_because=MOVED if milestone is not None else DELETED,
                    moved_to=milestone.process.name if milestone is not None else "",
                )
            )
            if milestone is not None:
                seen.add(milestone.pk)
            continue
        seen.add(milestone.pk)
        days = (milestone.due_date - due).days
        rows.append(
            VarianceRow(
                status=LATER if days > 0 else EARLIER if days < 0 else UNCHANGED,
                milestone_id=milestone.pk,
                process_id=milestone.process_id,
                process_name=milestone.process.name,
                title=milestone.title,
                kind=milestone.kind,
                baseline_start=start,
                baseline_due=due,
                current_start=milestone.start_date,
                current_due=milestone.due_date,
                variance_days=days,
                start_variance_days=(
                    (milestone.start_date - start).days
                    if start is not None and milestone.start_date is not None
                    else None
                ),
                **flags(milestone),
            )
        )
    added = [
        VarianceRow(
            status=ADDED,
            milestone_id=milestone.pk,
            process_id=milestone.process_id,
            process_name=milestone.process.name,
            title=milestone.title,
            kind=milestone.kind,
            current_start=milestone.start_date,
            current_due=milestone.due_date,
            **flags(milestone),
        )
        for milestone in current.values()
        if milestone.pk not in seen and belongs(milestone)
    ]
    return Variance(
        baseline=baseline,
        rows=rows,
        added=added,
        removed=removed,
        summary=_summary(
            rows,
            added,
            removed,
            baseline_finish=max((entry[6] for entry in entries), default=None),
            current_finish=max((m.due_date for m in current.values() if belongs(m)), default=None),
        ),
    )


def _summary(
    rows: list[VarianceRow],
    added: list[VarianceRow],
    removed: list[VarianceRow],
    *,
    baseline_finish: date | None,
    current_finish: date | None,
) -> VarianceSummary:
    counts = {LATER: 0, EARLIER: 0, UNCHANGED: 0}
    for row in rows:
        counts[row.status] += 1
    max_slip_days, max_slip_title = 0, ""
    for row in rows:  # the first of the largest slips, in baseline order
        if row.variance_days is not None and row.variance_days > max_slip_days:
            max_slip_days, max_slip_title = row.variance_days, row.title
    return VarianceSummary(
        later=counts[LATER],
        earlier=counts[EARLIER],
        unchanged=counts[UNCHANGED],
        added=len(added),
        removed=len(removed),
        max_slip_days=max_slip_days,
        max_slip_title=max_slip_title,
        total=len(rows) + len(added) + len(removed),
        baseline_finish=baseline_finish,
        current_finish=current_finish,
        finish_variance_days=(
            (current_finish - baseline_finish).days
            if baseline_finish is not None and current_finish is not None
            else None
        ),
    )
