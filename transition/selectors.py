"""Shaped reads of programmes, processes and their plans for lists, the board and the workspace.

Every queryset here joins the foreign keys its rows show and annotates the next-due dates
that `OutsourcedProcess.rag_on()` reads, so pages render in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS

from .models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    StaffMember,
)

OPEN_ASSET_STATUSES = (Asset.Status.TO_TRANSFER, Asset.Status.IN_PROGRESS)
SETTLED_STAFF_STATUSES = (
    StaffMember.Status.ONBOARDED,
    StaffMember.Status.DECLINED,
    StaffMember.Status.WITHDRAWN,
)
REMINDERS_PARTIAL = "reminders/partials/_process_reminders.html"


def _count(model, **filters) -> Subquery:
    """A correlated COUNT(*) per process; several of them never multiply like joined Counts."""
    rows = (
        model.objects.filter(process=OuterRef("pk"), **filters)
        .order_by()
        .values("process")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(rows)


def _next_milestone_due() -> Subquery:
    open_ = Milestone.objects.filter(process=OuterRef("pk")).exclude(status=Milestone.Status.DONE)
    return Subquery(open_.order_by("due_date").values("due_date")[:1])


def _next_asset_due() -> Subquery:
    open_ = Asset.objects.filter(
        process=OuterRef("pk"), status__in=OPEN_ASSET_STATUSES, transfer_due__isnull=False
    )
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


def process_list() -> QuerySet[OutsourcedProcess]:
    """Processes with programme, contract, provider, people and RAG inputs (lists, exports)."""
    return (
        OutsourcedProcess.objects.select_related(
            "programme", "contract", "contract__provider", "owner", "lead"
        )
        .annotate(
            next_milestone_due=_next_milestone_due(),
            next_asset_due=_next_asset_due(),
            milestone_count=_count(Milestone),
            milestones_done=_count(Milestone, status=Milestone.Status.DONE),
        )
        .prefetch_related(_readiness_latest())
    )


def process_board(programme: Programme | None = None) -> dict[str, list[OutsourcedProcess]]:
    """Processes grouped by state in workflow order (every state present, maybe empty)."""
    queryset = process_list().order_by("name", "pk")
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    columns: dict[str, list[OutsourcedProcess]] = {
        state: [] for state in OutsourcedProcess.State.values
    }
    for process in queryset:
        columns[process.state].append(process)
    return columns


def process_workspace() -> QuerySet[OutsourcedProcess]:
    """One process with assets, staff, readiness history and events in a fixed number of queries.

    Its milestones come from `process_milestones()`, which carries their dependencies too.
    """
    return (
        OutsourcedProcess.objects.select_related(
            "programme", "contract", "contract__provider", "contract__owner", "owner", "lead"
        )
        .annotate(next_milestone_due=_next_milestone_due(), next_asset_due=_next_asset_due())
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


def process_milestones(process: OutsourcedProcess) -> list[Milestone]:
    """A process's milestones in due order, each with `.predecessors`, in one query.

    Dependencies never leave their process, so one LEFT JOIN over the dependency table gives
    every edge, and the predecessors are found among the rows already loaded.
    """
    rows = (
        Milestone.objects.filter(process=process)
        .select_related("owner")
        .annotate(predecessor_id=F("depends_on__id"))
        .order_by("due_date", "pk", "predecessor_id")
    )
    milestones: dict[int, Milestone] = {}
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
    """Programmes with sponsor, process counts by progress, and business-case totals."""
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
        annual_outsourced=Sum("processes__annual_outsourced_cost"),
        annual_inhouse=Sum("processes__projected_inhouse_annual_cost"),
        one_off=Sum("processes__one_off_transition_cost"),
        saving_total=Sum("processes__annual_outsourced_cost")
        - Sum("processes__projected_inhouse_annual_cost"),
    )


def programme_detail() -> QuerySet[Programme]:
    return Programme.objects.select_related("sponsor").prefetch_related(
        Prefetch(
            "processes", queryset=process_list().order_by("name", "pk"), to_attr="process_rows"
        )
    )


def programme_timeline(programme: Programme) -> list[OutsourcedProcess]:
    """The programme's processes with contract and milestones (and their dependencies)."""
    milestones = Milestone.objects.prefetch_related(
        Prefetch("depends_on", queryset=Milestone.objects.only("pk", "process_id"))
    ).order_by("start_date", "due_date", "pk")
    return list(
        OutsourcedProcess.objects.filter(programme=programme)
        .select_related("contract")
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="milestone_rows"))
        .order_by("name", "pk")
    )


def milestone_list() -> QuerySet[Milestone]:
    return Milestone.objects.select_related(
        "process", "process__programme", "owner", "process__lead"
    ).annotate(dependency_count=Count("depends_on", distinct=True))


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


def users_in(group: str, *, also: int | None = None):
    """Active members of a role group (plus user `also`, e.g. the current holder of a field)."""
    condition = Q(is_active=True, groups__name=group)
    if also is not None:
        condition |= Q(pk=also)
    return (
        get_user_model()
        .objects.filter(condition)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def operations_managers(*, also: int | None = None):
    return users_in(OPERATIONS_MANAGERS, also=also)


def project_leads(*, also: int | None = None):
    return users_in(PROJECT_LEADS, also=also)


def role_member_choices() -> dict[str, list[tuple[int, str]]]:
    """(pk, name) choices of the active operations managers and project leads, in one query."""
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[OPERATIONS_MANAGERS, PROJECT_LEADS])
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username", "groups__name")
    )
    choices: dict[str, list[tuple[int, str]]] = {}
    for pk, first, last, username, group in rows:
        choices.setdefault(group, []).append((pk, f"{first} {last}".strip() or username))
    return choices


def active_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def editable_processes(user) -> QuerySet[OutsourcedProcess]:
    """Processes whose plan `user` may edit: all for operations managers, else those they lead."""
    queryset = OutsourcedProcess.objects.select_related("programme").order_by(
        "programme__name", "name"
    )
    if user.has_perm("transition.edit_process"):
        return queryset
    return queryset.filter(lead=user)


def reminders_partial_available() -> bool:
    """Whether the reminders app ships the workspace's "reminders sent" partial yet."""
    try:
        get_template(REMINDERS_PARTIAL)
    except TemplateDoesNotExist:
        return False
    return True


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


@dataclass(frozen=True)
class BusinessCase:
    annual_outsourced: Decimal
    annual_inhouse: Decimal
    one_off: Decimal

    @property
    def annual_saving(self) -> Decimal:
        return self.annual_outsourced - self.annual_inhouse

    @property
    def payback_months(self) -> Decimal | None:
        if self.annual_saving <= 0:
            return None
        return (self.one_off / (self.annual_saving / 12)).quantize(Decimal("0.1"))


def business_case_totals(processes) -> BusinessCase:
    """Summed cost figures of already-loaded processes (unknown figures count as zero)."""
    return BusinessCase(
        annual_outsourced=sum((p.annual_outsourced_cost or 0 for p in processes), Decimal(0)),
        annual_inhouse=sum((p.projected_inhouse_annual_cost or 0 for p in processes), Decimal(0)),
        one_off=sum((p.one_off_transition_cost or 0 for p in processes), Decimal(0)),
    )


def state_counts(processes) -> list[tuple[str, str, int]]:
    """(state, label, count) for each workflow state, in workflow order."""
    counts = {state: 0 for state in OutsourcedProcess.State.values}
    for process in processes:
        counts[process.state] += 1
    labels = dict(OutsourcedProcess.State.choices)
    return [(state, labels[state], n) for state, n in counts.items()]


def with_saving(queryset: QuerySet[OutsourcedProcess]) -> QuerySet[OutsourcedProcess]:
    """Annotate `annual_saving_value` so lists can sort by the saving."""
    return queryset.annotate(
        annual_saving_value=F("annual_outsourced_cost") - F("projected_inhouse_annual_cost")
    )


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


def plan_progress(process: OutsourcedProcess, milestones: list[Milestone]) -> PlanProgress:
    """How much of a workspace-loaded process's plan is settled (no queries)."""
    return PlanProgress(
        milestones=len(milestones),
        milestones_done=sum(m.status == Milestone.Status.DONE for m in milestones),
        assets=len(process.asset_rows),
        assets_settled=sum(a.status not in OPEN_ASSET_STATUSES for a in process.asset_rows),
        staff=len(process.staff_rows),
        staff_settled=sum(s.status in SETTLED_STAFF_STATUSES for s in process.staff_rows),
    )


@dataclass(frozen=True)
class TimelineRow:
    """One line of the Gantt's table fallback (and of its JSON)."""

    process: OutsourcedProcess
    kind: str  # "milestone" or a marker: "notice", "decision", "exit"
    label: str
    start: date
    end: date
    status: str = ""
    url: str = ""
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    tasks: list[dict]
    processes: list[OutsourcedProcess]


MARKER_LABELS = {
    "notice": "Notice deadline",
    "served": "Notice served",
    "decision": "Decision date",
    "exit": "Exit date",
    "exit_if_served": "Exit date if served today",
}


def _markers(process: OutsourcedProcess, on: date) -> list[tuple[str, date]]:
    """Notice deadline (or the day notice was served), decision date and exit date."""
    contract = process.contract
    markers = []
    if process.notice_served_on:
        markers.append(("served", process.notice_served_on))
    elif process.state == OutsourcedProcess.State.OUTSOURCED:
        deadline = contract.next_notice_deadline(on)
        decision = contract.decision_date(on)
        if decision:
            markers.append(("decision", decision))
        if deadline:
            markers.append(("notice", deadline))
    if process.exit_date:
        markers.append(("exit", process.exit_date))
    elif process.state == OutsourcedProcess.State.OUTSOURCED and not contract.is_expired(on):
        markers.append(("exit_if_served", contract.exit_date_if_served(on)))
    return markers


def programme_gantt(programme: Programme, on: date) -> Timeline:
    """Gantt tasks (frappe-gantt shape) of a programme: per process a summary bar, its
    milestones with finish-to-start dependencies, and its contract dates as one-day markers."""
    processes = programme_timeline(programme)
    rows: list[TimelineRow] = []
    tasks: list[dict] = []
    for process in processes:
        process_rows = []
        for milestone in process.milestone_rows:
            overdue = milestone.status != Milestone.Status.DONE and milestone.due_date < on
            process_rows.append(
                TimelineRow(
                    process=process,
                    kind="milestone",
                    label=milestone.title,
                    start=min(milestone.start_date or milestone.due_date, milestone.due_date),
                    end=milestone.due_date,
                    status="overdue" if overdue else milestone.status,
                    url=milestone.get_absolute_url(),
                    depends_on=tuple(f"m{d.pk}" for d in milestone.depends_on.all()),
                )
            )
        ids = [f"m{m.pk}" for m in process.milestone_rows]
        for kind, day in _markers(process, on):
            process_rows.append(
                TimelineRow(
                    process=process,
                    kind=kind,
                    label=MARKER_LABELS[kind],
                    start=day,
                    end=day,
                    url=process.get_absolute_url(),
                )
            )
            ids.append(f"p{process.pk}-{kind}")
        if not process_rows:
            continue
        done = sum(m.status == Milestone.Status.DONE for m in process.milestone_rows)
        tasks.append(
            {
                "id": f"p{process.pk}",
                "name": process.name,
                "start": min(r.start for r in process_rows).isoformat(),
                "end": max(r.end for r in process_rows).isoformat(),
                "progress": round(100 * done / len(process.milestone_rows))
                if process.milestone_rows
                else 0,
                "dependencies": [],
                "custom_class": "gantt-process",
                "kind": "process",
                "url": process.get_absolute_url(),
                "detail": process.get_state_display(),
            }
        )
        for row, task_id in zip(process_rows, ids, strict=True):
            tasks.append(
                {
                    "id": task_id,
                    "name": row.label,
                    "start": row.start.isoformat(),
                    "end": row.end.isoformat(),
                    "progress": 100 if row.status == Milestone.Status.DONE else 0,
                    "dependencies": list(row.depends_on),
                    "custom_class": f"gantt-{row.status or 'planned'}"
                    if row.kind == "milestone"
                    else f"gantt-marker-{row.kind.replace('_', '-')}",
                    "kind": row.kind,
                    "url": row.url,
                    "detail": process.name,
                }
            )
        rows.extend(sorted(process_rows, key=lambda r: (r.start, r.kind != "milestone")))
    return Timeline(rows=rows, tasks=tasks, processes=processes)


def labelled_events(events: list[ProcessEvent]) -> list[ProcessEvent]:
    """Events with `.label`, the human name of the transition each one records."""
    labels = {
        t.name: str(t.custom["label"]) for t in OutsourcedProcess().get_all_state_transitions()
    }
    for event in events:
        event.label = labels.get(event.transition, event.transition.replace("_", " ").capitalize())
    return events


def readiness_scores(assessment: ReadinessAssessment | None) -> list[tuple[str, int]]:
    """(area label, score) pairs of an assessment, in the model's order."""
    if assessment is None:
        return []
    return [
        (str(ReadinessAssessment._meta.get_field(name).verbose_name).capitalize(), score)
        for name, score in assessment.scores.items()
    ]


def permitted_transitions(process: OutsourcedProcess, user) -> list:
    """The transitions from the current state that `user` may fire, allowed or blocked.

    The guards (which query the plan) run only when the user may fire something at all.
    """
    if not any(
        t.source == process.state and t.has_perm(process, user)
        for t in process.get_all_state_transitions()
    ):
        return []
    return [option for option in process.available_transitions(user) if option.permitted]
