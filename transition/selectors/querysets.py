"""Shaped reads of programmes, processes and their plans for lists, the board and the workspace.

Every queryset here joins the foreign keys its rows show and annotates the next-due dates
that `OutsourcedProcess.rag_on()` reads (`with_rag_inputs()`), so pages render in a fixed
number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

import rules
from django.db.models import (
    Count,
    F,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from contracts.models import Contract, Deliverable, ExitNotice
from core.types import User

from ..models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    StaffMember,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

REMINDERS_PARTIAL = "reminders/partials/_process_reminders.html"


# The attributes the selectors below add to the rows they load (django-stubs' WithAnnotations).
class _WorkspaceRows(TypedDict):
    asset_rows: list[Asset]
    staff_rows: list[StaffMember]
    event_rows: list[ProcessEvent]
    whole_notice_id: int | None
    whole_notice_served_on: date | None
    whole_notice_exit_date: date | None


class _MilestoneDependencies(TypedDict):
    predecessor_id: int | None  # of the dependency edge the row was read from
    predecessors: list[Milestone]


class _TimelineRows(TypedDict):
    milestone_rows: list[Milestone]


WorkspaceProcess: TypeAlias = "WithAnnotations[OutsourcedProcess, _WorkspaceRows]"
PlannedMilestone: TypeAlias = "WithAnnotations[Milestone, _MilestoneDependencies]"
TimelineProcess: TypeAlias = "WithAnnotations[OutsourcedProcess, _TimelineRows]"


def _count(plan_rows: QuerySet[Model]) -> Subquery:
    """A correlated COUNT(*) per process; several of them never multiply like joined Counts."""
    rows = (
        plan_rows.filter(process=OuterRef("pk"))
        .order_by()
        .values("process")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(rows)


def _next_milestone_due() -> Subquery:
    open_ = Milestone.objects.open().filter(process=OuterRef("pk"))
    return Subquery(open_.order_by("due_date").values("due_date")[:1])


def _next_asset_due() -> Subquery:
    open_ = Asset.objects.open().filter(process=OuterRef("pk"), transfer_due__isnull=False)
    return Subquery(open_.order_by("transfer_due").values("transfer_due")[:1])


def _readiness_latest() -> Prefetch:
    """Assessments newest first into `readiness_latest`, as `latest_readiness` expects."""
    return Prefetch(
        "readiness_assessments",
        queryset=ReadinessAssessment.objects.select_related("assessed_by").order_by(
            "-assessed_on", "-pk"
        ),
        to_attr="readiness_latest",
    )


def _schedule_milestone_rows() -> Prefetch:
    """The milestones the forecast reads, one row per dependency edge (`predecessor_id`),
    into `schedule_milestone_rows`: one query for the rows of a page (docs/plan.md)."""
    rows = (
        Milestone.objects.annotate(predecessor_id=F("depends_on__id"))
        .only(
            "pk",
            "process_id",
            "title",
            "kind",
            "start_date",
            "due_date",
            "status",
            "completed_on",
            "freeze_override_by_id",
            "freeze_override_reason",
        )
        .order_by("due_date", "pk")
    )
    return Prefetch("milestones", queryset=rows, to_attr="schedule_milestone_rows")


def _open_deliverable() -> dict[str, Subquery]:
    """The earliest open termination-assistance deliverable of the process's exit notice
    (`open_deliverable_due`, `_title`, `_status`): correlated subqueries through
    the notice, in the same query as the rows, so a list stays one query whatever its length.
    """
    open_ = (
        Deliverable.objects.open()
        .filter(exit_notice=OuterRef("exit_notice"))
        .order_by("due_date", "pk")
    )
    return {
        "open_deliverable_due": Subquery(open_.values("due_date")[:1]),
        "open_deliverable_title": Subquery(open_.values("title")[:1]),
        "open_deliverable_status": Subquery(open_.values("status")[:1]),
    }


def with_rag_inputs(queryset: QuerySet[OutsourcedProcess]) -> QuerySet[OutsourcedProcess]:
    """Add what `OutsourcedProcess.rag_on()` reads (its RAG_INPUTS): the next open milestone
    and asset transfer dates, the readiness assessments newest first, and the milestones
    with their dependencies for the forecast ready date."""
    return queryset.annotate(
        next_milestone_due=_next_milestone_due(),
        next_asset_due=_next_asset_due(),
        **_open_deliverable(),
    ).prefetch_related(_readiness_latest(), _schedule_milestone_rows())


def process_list() -> QuerySet[OutsourcedProcess]:
    """Processes with programme, contract, provider, people and RAG inputs (lists, exports)."""
    queryset = OutsourcedProcess.objects.select_related(
        "programme", "contract", "contract__provider", "owner", "lead"
    ).annotate(
        milestone_count=_count(Milestone.objects.all()),
        milestones_done=_count(Milestone.objects.done()),
    )
    return with_rag_inputs(queryset)


def contract_processes(contract: Contract) -> list[OutsourcedProcess]:
    """The processes under one contract, with what their row on the contract page shows."""
    # Through the contract's related manager, so each process knows its contract unqueried.
    return list(
        contract.processes.select_related("programme", "owner", "lead")
        .annotate(
            next_milestone_due=_next_milestone_due(),
            next_asset_due=_next_asset_due(),
            **_open_deliverable(),
        )
        .prefetch_related(_readiness_latest(), _schedule_milestone_rows())
        .order_by("programme__name", "name")
    )


def noticeable_processes(contract: Contract) -> QuerySet[OutsourcedProcess]:
    """The processes under `contract` that notice could still end: outsourced, in no notice."""
    return contract.processes.filter(
        state=OutsourcedProcess.State.OUTSOURCED, exit_notice__isnull=True
    ).order_by("name", "pk")


def with_notice_scope(notices: Sequence[ExitNotice]) -> Sequence[ExitNotice]:
    """Add to loaded notices the processes in their scope now (`process_rows`) and the ones
    they were served on (`served_rows`, from the workflow's events: a withdrawn notice has
    none left in scope); two queries, none when there is no notice."""
    served = ProcessEvent.objects.filter(transition="serve_exit_notice").select_related("process")
    prefetch_related_objects(
        list(notices),
        Prefetch(
            "processes",
            queryset=OutsourcedProcess.objects.order_by("name", "pk"),
            to_attr="process_rows",
        ),
        Prefetch(
            "events", queryset=served.order_by("process__name", "pk"), to_attr="served_events"
        ),
    )
    for notice in notices:
        # A process withdrawn and served again under the same notice has two serve events.
        by_pk = {event.process_id: event.process for event in notice.served_events}  # type: ignore[attr-defined]
        notice.served_rows = list(by_pk.values())  # type: ignore[attr-defined]
    return notices


def process_workspace() -> QuerySet[WorkspaceProcess]:
    """One process with assets, staff, readiness history and events in a fixed number of queries.

    Its milestones come from `process_milestones()`, which carries their dependencies too.
    """
    whole = (
        ExitNotice.objects.active()
        .filter(contract=OuterRef("contract"), scope=ExitNotice.Scope.WHOLE)
        .order_by("-served_on", "-pk")
    )
    return (
        OutsourcedProcess.objects.select_related(
            "programme",
            "contract",
            "contract__provider",
            "contract__owner",
            "owner",
            "lead",
            "exit_notice",
        )
        .annotate(
            next_milestone_due=_next_milestone_due(),
            next_asset_due=_next_asset_due(),
            **_open_deliverable(),
            # The contract's notice of the whole contract in force, if any: a process outside
            # its scope (added after it was served) says so.
            whole_notice_id=Subquery(whole.values("pk")[:1]),
            whole_notice_served_on=Subquery(whole.values("served_on")[:1]),
            whole_notice_exit_date=Subquery(whole.values("exit_date")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "assets",
                queryset=Asset.objects.order_by("transfer_due", "name", "pk"),
                to_attr="asset_rows",
            ),
            Prefetch(
                "staff",
                queryset=StaffMember.objects.order_by("planned_start", "name", "pk"),
                to_attr="staff_rows",
            ),
            Prefetch(
                "events",
                queryset=ProcessEvent.objects.select_related("actor"),
                to_attr="event_rows",
            ),
            _readiness_latest(),
        )
    )


def process_milestones(process: OutsourcedProcess) -> list[PlannedMilestone]:
    """A process's milestones in due order, each with `.predecessors`, in one query.

    Dependencies never leave their process, so one LEFT JOIN over the dependency table gives
    every edge, and the predecessors are found among the rows already loaded.
    """
    # django-stubs: iterating a custom as_manager() queryset yields the bare model, dropping
    # the .annotate() attribute; `predecessors` is set below.
    rows = cast(
        "QuerySet[PlannedMilestone]",
        Milestone.objects.filter(process=process)
        .select_related("owner")
        .annotate(predecessor_id=F("depends_on__id"))
        .order_by("due_date", "pk", "predecessor_id"),
    )
    milestones: dict[int, PlannedMilestone] = {}
    edges: list[tuple[int, int]] = []
    for row in rows:
        milestone = milestones.setdefault(row.pk, row)
        if row.predecessor_id is not None:
            edges.append((milestone.pk, row.predecessor_id))
    for milestone in milestones.values():
        milestone.process = process
        milestone.predecessors = []
    for successor, predecessor in edges:
        milestones[successor].predecessors.append(milestones[predecessor])
    return list(milestones.values())


def programme_list() -> QuerySet[Programme]:
    """Programmes with sponsor and process counts by progress.

    Their money is not summed here: processes of one programme may be in several currencies,
    so `portfolio.programme_money()` converts it for the programmes a page shows.
    """
    in_house = (
        OutsourcedProcess.objects.filter(
            programme=OuterRef("pk"), state=OutsourcedProcess.State.IN_HOUSE
        )
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Programme.objects.select_related("sponsor").annotate(
        process_count=Count("processes", distinct=True),
        in_house_count=Subquery(in_house),
    )


def programme_detail() -> QuerySet[Programme]:
    """The programme alone: its page shows the first processes (`programme_processes()`)
    and counts them in its money query, never loading all of them."""
    return Programme.objects.select_related("sponsor")


def programme_processes(programme: Programme, limit: int) -> list[OutsourcedProcess]:
    """The first `limit` processes of a programme by name, as the process list shows them."""
    return list(process_list().filter(programme=programme).order_by("name", "pk")[:limit])


def programme_timeline(programme: Programme) -> QuerySet[TimelineProcess]:
    """The programme's processes with contract and milestones (and their dependencies).

    A queryset: the Gantt cuts one page of it (or one process) before it is read, so the
    prefetches run for the processes drawn, never the whole programme (docs/performance.md).
    """
    # .all() first: django-stubs cannot type Prefetch() on a custom as_manager() manager.
    milestones = (
        Milestone.objects.all()
        .prefetch_related(
            Prefetch("depends_on", queryset=Milestone.objects.only("pk", "process_id"))
        )
        .order_by("start_date", "due_date", "pk")
    )
    return cast(
        "QuerySet[TimelineProcess]",
        OutsourcedProcess.objects.filter(programme=programme)
        .select_related("contract")
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="milestone_rows"))
        .order_by("name", "pk"),
    )


def _dependency_count() -> Coalesce:
    """How many milestones a milestone depends on, counted per row (docs/performance.md).

    A correlated subquery rather than a joined `COUNT(DISTINCT)`: the join grouped every
    filtered milestone before the page was cut; this runs for the rows of the page only.
    """
    through: QuerySet[Model] = Milestone.depends_on.through.objects.all()
    edges = (
        through.filter(from_milestone=OuterRef("pk"))
        .order_by()
        .values("from_milestone")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(edges), Value(0))


def milestone_list() -> QuerySet[Milestone]:
    return Milestone.objects.select_related(
        "process", "process__programme", "owner", "process__lead"
    ).annotate(dependency_count=_dependency_count())


def milestone_detail() -> QuerySet[Milestone]:
    return Milestone.objects.select_related(
        "process", "process__programme", "process__lead", "owner"
    ).prefetch_related(
        Prefetch("depends_on", queryset=Milestone.objects.select_related("owner")),
        Prefetch("dependents", queryset=Milestone.objects.select_related("owner")),
    )


def asset_list() -> QuerySet[Asset]:
    return Asset.objects.select_related("process", "process__programme", "process__lead")


def staff_list() -> QuerySet[StaffMember]:
    return StaffMember.objects.select_related("process", "process__programme", "process__lead")


def editable_processes(user: User) -> QuerySet[OutsourcedProcess]:
    """Processes whose plan `user` may edit: all for operations managers, else those they lead."""
    queryset = OutsourcedProcess.objects.select_related("programme").order_by(
        "programme__name", "name"
    )
    if rules.has_perm("transition.edit_process", user):
        return queryset
    return queryset.filter(lead=user)


def reminders_partial_available() -> bool:
    """Whether the reminders app ships the workspace's "reminders sent" partial yet."""
    try:
        get_template(REMINDERS_PARTIAL)
    except TemplateDoesNotExist:
        return False
    return True


def with_saving(queryset: QuerySet[OutsourcedProcess]) -> QuerySet[OutsourcedProcess]:
    """Annotate `annual_saving_value` so lists can sort by the saving."""
    return queryset.annotate(
        annual_saving_value=F("annual_outsourced_cost") - F("projected_inhouse_annual_cost")
    )
