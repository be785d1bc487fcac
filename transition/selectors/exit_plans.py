"""Shaped reads of exit plans, rehearsals and remediation actions.

A process's exit-plan status comes from one annotation (`with_exit_plan_status`), read alike
by the process card, the dashboard, the attention list, the outsourcing register and the
API: the version in force, its review dates, the latest rehearsal of the process (of any
version: a new version keeps the test record until it is tested again) and its remediation
actions still open (docs/exit-management.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from ..models import ExitPlan, OutsourcedProcess, Rehearsal, RemediationAction

# The first rows of the dashboard's card; the rest are counted and one link away.
ATTENTION_LIMIT = 10


def with_exit_plan_status(
    processes: QuerySet[OutsourcedProcess], today: date | None = None
) -> QuerySet[OutsourcedProcess]:
    """Annotate each process with its exit plan in force and its latest test, in SQL.

    `ep_*` names: version, approved_on, last_review_on, next_review_due, substitutability,
    reintegration (of the approved version; None without one), draft_version, tested_on,
    test_outcome, next_test_due (of the latest rehearsal), open_actions and, with `today`,
    overdue_actions.
    """
    # Ordered by version alone: the model's default order (programme, process, version)
    # joined two tables into every subquery for nothing (docs/performance.md).
    plans = ExitPlan.objects.filter(process=OuterRef("pk")).order_by("-version")
    approved = plans.filter(status=ExitPlan.Status.APPROVED)
    draft = plans.filter(status=ExitPlan.Status.DRAFT)
    latest = Rehearsal.objects.filter(process=OuterRef("pk")).order_by("-held_on", "-pk")
    open_actions = RemediationAction.objects.open().filter(rehearsal__process=OuterRef("pk"))
    annotations = {
        "ep_id": Subquery(approved.values("pk")[:1]),
        "ep_version": Subquery(approved.values("version")[:1]),
        "ep_approved_on": Subquery(approved.values("approved_on")[:1]),
        "ep_last_review_on": Subquery(approved.values("last_review_on")[:1]),
        "ep_next_review_due": Subquery(approved.values("next_review_due")[:1]),
        "ep_substitutability": Subquery(approved.values("substitutability")[:1]),
        "ep_reintegration": Subquery(approved.values("reintegration")[:1]),
        "ep_draft_id": Subquery(draft.values("pk")[:1]),
        "ep_draft_version": Subquery(draft.values("version")[:1]),
        "ep_tested_on": Subquery(latest.values("held_on")[:1]),
        "ep_test_outcome": Subquery(latest.values("outcome")[:1]),
        "ep_next_test_due": Subquery(latest.values("next_test_due")[:1]),
        "ep_open_actions": _count(open_actions),
    }
    if today is not None:
        annotations["ep_overdue_actions"] = _count(open_actions.filter(due_date__lt=today))
    return processes.annotate(**annotations)


def _count(actions: QuerySet[RemediationAction]) -> Coalesce:
    # A counting subquery, not a join: several counts on one row never multiply each other.
    counted = actions.order_by().values("rehearsal__process").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def attention_filter(today: date) -> Q:
    """Approved exit plans never tested, or overdue for review or for a test, of processes
    still to bring in-house (for one in-house the exit is done)."""
    return (
        Q(ep_id__isnull=False)
        & ~Q(state=OutsourcedProcess.State.IN_HOUSE)
        & (
            Q(ep_tested_on__isnull=True)
            | Q(ep_next_review_due__lt=today)
            | Q(ep_next_test_due__lt=today)
        )
    )


def exit_plan_register(today: date) -> QuerySet[OutsourcedProcess]:
    """Every process with its exit-plan status, for the list page `/exit-plans/`."""
    return with_exit_plan_status(
        OutsourcedProcess.objects.select_related("programme", "owner", "lead"), today
    )


def needing_attention(today: date) -> QuerySet[OutsourcedProcess]:
    return exit_plan_register(today).filter(attention_filter(today))


@dataclass(frozen=True)
class Attention:
    """The dashboard's card: the first plans needing attention and how many there are."""

    rows: list[OutsourcedProcess]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def dashboard_attention(today: date) -> Attention:
    """Two queries at any size: the COUNT, then the first ATTENTION_LIMIT rows, most
    overdue first."""
    processes = needing_attention(today)
    total = processes.count()
    rows = list(
        processes.order_by(
            F("ep_tested_on").asc(nulls_first=True),
            F("ep_next_test_due").asc(nulls_last=True),
            "programme__name",
            "name",
            "pk",
        )[:ATTENTION_LIMIT]
    )
    for process in rows:
        process.exit_plan_flags = flags(process, today)  # type: ignore[attr-defined]
    return Attention(rows, total)


@dataclass(frozen=True)
class ExitPlanFlags:
    never_tested: bool
    review_overdue: bool
    test_overdue: bool
    actions_overdue: bool


def flags(process: OutsourcedProcess, today: date) -> ExitPlanFlags:
    """What is late about an annotated process's exit plan on `today`."""
    approved = getattr(process, "ep_id", None) is not None
    review_due = getattr(process, "ep_next_review_due", None)
    test_due = getattr(process, "ep_next_test_due", None)
    tested_on = getattr(process, "ep_tested_on", None)
    return ExitPlanFlags(
        never_tested=approved and tested_on is None,
        review_overdue=approved and review_due is not None and review_due < today,
        test_overdue=tested_on is not None and test_due is not None and test_due < today,
        actions_overdue=bool(getattr(process, "ep_overdue_actions", 0)),
    )


def process_exit_status(process: OutsourcedProcess, today: date) -> OutsourcedProcess:
    """The process again, annotated with its exit-plan status (one query), for its card."""
    return with_exit_plan_status(OutsourcedProcess.objects.filter(pk=process.pk), today).get()


def exit_plan_versions(process: OutsourcedProcess) -> QuerySet[ExitPlan]:
    """Every version of a process's plan, newest first, with who owns and approved it."""
    return ExitPlan.objects.filter(process=process).select_related("owner", "approved_by")


def exit_plan_detail() -> QuerySet[ExitPlan]:
    return ExitPlan.objects.select_related("process", "process__programme", "owner", "approved_by")


def rehearsals_with_actions() -> QuerySet[Rehearsal]:
    """Rehearsals with their plan, process, recorder and actions (with owners) in one go."""
    return Rehearsal.objects.select_related(
        "exit_plan", "process", "process__programme", "recorded_by"
    ).prefetch_related(
        Prefetch(
            "actions",
            queryset=RemediationAction.objects.select_related("owner").order_by(
                "status", "due_date", "pk"
            ),
        )
    )


def process_rehearsals(process: OutsourcedProcess) -> QuerySet[Rehearsal]:
    return rehearsals_with_actions().filter(process=process)


def remediation_detail() -> QuerySet[RemediationAction]:
    return RemediationAction.objects.select_related(
        "owner", "rehearsal", "rehearsal__process", "rehearsal__exit_plan"
    )


def has_exit_plan(process_ref: str = "pk") -> Exists:
    """Whether the process has an approved exit plan, for annotations and filters."""
    return Exists(
        ExitPlan.objects.filter(process=OuterRef(process_ref), status=ExitPlan.Status.APPROVED)
    )


@dataclass(frozen=True)
class RegisterExitFields:
    """The outsourcing register's exit-plan fields of a process annotated by
    `with_exit_plan_status`: from its approved exit plan, and the latest rehearsal's date."""

    exists: bool
    tested_on: date | None
    substitutability: str
    reintegration: str


def register_exit_fields(process: OutsourcedProcess | None) -> RegisterExitFields:
    approved = process is not None and getattr(process, "ep_id", None) is not None
    if not approved:
        return RegisterExitFields(False, None, "", "")
    return RegisterExitFields(
        True,
        process.ep_tested_on,  # type: ignore[union-attr]
        process.ep_substitutability or "",  # type: ignore[union-attr]
        process.ep_reintegration or "",  # type: ignore[union-attr]
    )
