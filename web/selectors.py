"""The dashboard's figures: processes by state, portfolio totals, deadlines, overdue and mine.

Every list comes from one bounded query with its foreign keys joined; contract dates come
from the date engine in Python over rows already loaded, so the number of queries never
grows with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext as _

from contracts.models import Contract
from transition.models import Asset, Milestone, OutsourcedProcess, StaffMember
from transition.models.plan import ELI_LEAD_DAYS

HORIZON_DAYS = 90
ZERO = Decimal(0)

OPEN_ASSET_STATUSES = (Asset.Status.TO_TRANSFER, Asset.Status.IN_PROGRESS)
CLOSED_STAFF_STATUSES = (StaffMember.Status.DECLINED, StaffMember.Status.WITHDRAWN)
EXITING_STATES = (OutsourcedProcess.State.EXIT_NOTICE, OutsourcedProcess.State.TRANSITION)


@dataclass(frozen=True)
class StateFigures:
    state: str
    label: str
    count: int
    annual_outsourced_cost: Decimal
    projected_inhouse_annual_cost: Decimal
    one_off_transition_cost: Decimal
    annual_saving: Decimal


@dataclass(frozen=True)
class Portfolio:
    states: list[StateFigures]
    process_count: int
    annual_outsourced_cost: Decimal
    projected_inhouse_annual_cost: Decimal
    annual_saving: Decimal
    one_off_transition_cost: Decimal
    payback_months: Decimal | None


@dataclass(frozen=True)
class Deadline:
    """One dated item of the dashboard: a deadline to meet or something overdue."""

    on: date
    kind: str
    icon: str
    title: str
    detail: str
    url: str
    tone: str = "secondary"


@dataclass
class MyItems:
    processes: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    contracts: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.processes or self.milestones or self.contracts)


@dataclass(frozen=True)
class Dashboard:
    today: date
    horizon: date
    portfolio: Portfolio
    upcoming: list[Deadline]
    overdue: list[Deadline]
    mine: MyItems


def portfolio() -> Portfolio:
    """Counts and money per workflow state and over the whole portfolio, in one query."""
    money = DecimalField(max_digits=16, decimal_places=2)
    rows = (
        OutsourcedProcess.objects.order_by()
        .values("state")
        .annotate(
            count=Count("pk"),
            outsourced=Sum("annual_outsourced_cost"),
            inhouse=Sum("projected_inhouse_annual_cost"),
            one_off=Sum("one_off_transition_cost"),
            # A process without both cost figures has no saving; Sum skips its NULL.
            saving=Sum(
                ExpressionWrapper(
                    F("annual_outsourced_cost") - F("projected_inhouse_annual_cost"),
                    output_field=money,
                )
            ),
        )
    )
    by_state = {row["state"]: row for row in rows}
    states = []
    for value, label in OutsourcedProcess.State.choices:
        row = by_state.get(value, {})
        states.append(
            StateFigures(
                state=value,
                label=str(label),
                count=row.get("count", 0),
                annual_outsourced_cost=row.get("outsourced") or ZERO,
                projected_inhouse_annual_cost=row.get("inhouse") or ZERO,
                one_off_transition_cost=row.get("one_off") or ZERO,
                annual_saving=row.get("saving") or ZERO,
            )
        )
    saving = sum((s.annual_saving for s in states), ZERO)
    one_off = sum((s.one_off_transition_cost for s in states), ZERO)
    payback = None
    if saving > 0:
        payback = (one_off / (saving / 12)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Portfolio(
        states=states,
        process_count=sum(s.count for s in states),
        annual_outsourced_cost=sum((s.annual_outsourced_cost for s in states), ZERO),
        projected_inhouse_annual_cost=sum((s.projected_inhouse_annual_cost for s in states), ZERO),
        annual_saving=saving,
        one_off_transition_cost=one_off,
        payback_months=payback,
    )


def _processes(user):
    """Processes the dashboard needs: still outsourced, exiting soon, or the user's own."""
    return list(
        OutsourcedProcess.objects.filter(
            Q(state=OutsourcedProcess.State.OUTSOURCED)
            | Q(state__in=EXITING_STATES, exit_date__isnull=False)
            | Q(owner=user)
            | Q(lead=user)
        )
        .select_related("programme", "contract", "contract__provider", "owner", "lead")
        .order_by("programme__name", "name")
    )


def _contract_deadlines(processes, today: date, horizon: date):
    """Notice deadlines of contracts with processes still outsourced, and decision dates.

    Returns (upcoming, overdue): a decision date already passed while the notice deadline
    is still ahead is overdue, the reason such a process is red.
    """
    items, overdue = [], []
    waiting: dict[int, list[OutsourcedProcess]] = {}
    for process in processes:
        if process.state == OutsourcedProcess.State.OUTSOURCED:
            waiting.setdefault(process.contract_id, []).append(process)
    for contract_processes in waiting.values():
        contract = contract_processes[0].contract
        deadline = contract.next_notice_deadline(today)
        if deadline is not None and deadline <= horizon:
            names = ", ".join(p.name for p in contract_processes)
            items.append(
                Deadline(
                    on=deadline,
                    kind=_("Notice deadline"),
                    icon="bi-envelope-exclamation",
                    title=str(contract),
                    detail=_("%(provider)s · still outsourced: %(names)s")
                    % {"provider": contract.provider.name, "names": names},
                    url=contract.get_absolute_url(),
                    tone="danger",
                )
            )
        decision = contract.decision_date(today)
        if decision is None or decision > horizon:
            continue
        for process in contract_processes:
            late = decision < today
            item = Deadline(
                on=decision,
                kind=_("Decision overdue") if late else _("Decision date"),
                icon="bi-signpost-split",
                title=process.name,
                detail=_("Decide before notice on %(contract)s is due on %(deadline)s")
                % {"contract": contract.reference, "deadline": f"{deadline:%-d %b %Y}"},
                url=process.get_absolute_url(),
                tone="danger" if late else "warning",
            )
            (overdue if late else items).append(item)
    return items, overdue


def _exit_dates(processes, today: date, horizon: date) -> list[Deadline]:
    items = []
    for process in processes:
        if process.state not in EXITING_STATES or process.exit_date is None:
            continue
        if today <= process.exit_date <= horizon:
            items.append(
                Deadline(
                    on=process.exit_date,
                    kind=_("Exit date"),
                    icon="bi-box-arrow-right",
                    title=process.name,
                    detail=_("Last day of service under %(contract)s")
                    % {"contract": process.contract.reference},
                    url=process.get_absolute_url(),
                    tone="primary",
                )
            )
        assistance_end = process.contract.assistance_end(process.exit_date)
        if assistance_end != process.exit_date and today <= assistance_end <= horizon:
            items.append(
                Deadline(
                    on=assistance_end,
                    kind=_("Assistance ends"),
                    icon="bi-life-preserver",
                    title=process.name,
                    detail=_("End of termination assistance from %(provider)s")
                    % {"provider": process.contract.provider.name},
                    url=process.get_absolute_url(),
                    tone="info",
                )
            )
    return items


def _milestone_item(milestone: Milestone, overdue: bool) -> Deadline:
    owner = milestone.owner
    return Deadline(
        on=milestone.due_date,
        kind=_("Milestone overdue") if overdue else _("Milestone due"),
        icon="bi-flag",
        title=milestone.title,
        detail=_("%(process)s · %(owner)s")
        % {
            "process": milestone.process.name,
            "owner": (owner.get_full_name() or owner.get_username()) if owner else _("no owner"),
        },
        url=milestone.get_absolute_url(),
        tone="danger" if overdue else "secondary",
    )


def _asset_item(asset: Asset, overdue: bool) -> Deadline:
    return Deadline(
        on=asset.transfer_due,
        kind=_("Asset transfer overdue") if overdue else _("Asset transfer due"),
        icon="bi-box-seam",
        title=str(asset),
        detail=_("%(process)s · %(method)s")
        % {"process": asset.process.name, "method": asset.get_transfer_method_display()},
        url=asset.get_absolute_url(),
        tone="danger" if overdue else "secondary",
    )


def _eli_item(member: StaffMember) -> Deadline:
    return Deadline(
        on=member.eli_due_date,
        kind=_("ELI due"),
        icon="bi-person-vcard",
        title=member.name,
        detail=_(
            "Employee liability information before the TUPE transfer on %(start)s · %(process)s"
        )
        % {"start": f"{member.planned_start:%-d %b %Y}", "process": member.process.name},
        url=member.get_absolute_url(),
        tone="info",
    )


def dashboard(user, today: date) -> Dashboard:
    """Everything the dashboard shows for `user` on `today`, in a fixed number of queries."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    processes = _processes(user)

    milestones = list(
        Milestone.objects.exclude(status=Milestone.Status.DONE)
        .filter(Q(due_date__lte=horizon) | Q(owner=user))
        .select_related("process", "owner")
        .order_by("due_date", "pk")
    )
    assets = list(
        Asset.objects.filter(status__in=OPEN_ASSET_STATUSES, transfer_due__lte=horizon)
        .select_related("process")
        .order_by("transfer_due", "pk")
    )
    # ELI is due 28 days before the planned start, so look that much further ahead.
    tupe_staff = list(
        StaffMember.objects.filter(
            route=StaffMember.Route.TUPE,
            planned_start__gte=today + timedelta(days=ELI_LEAD_DAYS),
            planned_start__lte=horizon + timedelta(days=ELI_LEAD_DAYS),
        )
        .exclude(status__in=CLOSED_STAFF_STATUSES)
        .select_related("process")
    )
    my_contracts = list(
        Contract.objects.filter(owner=user).select_related("provider").order_by("reference")
    )

    contract_upcoming, decisions_overdue = _contract_deadlines(processes, today, horizon)
    upcoming = [
        *contract_upcoming,
        *_exit_dates(processes, today, horizon),
        *(_milestone_item(m, False) for m in milestones if today <= m.due_date <= horizon),
        *(_asset_item(a, False) for a in assets if a.transfer_due >= today),
        *(_eli_item(s) for s in tupe_staff),
    ]
    overdue = [
        *decisions_overdue,
        *(_milestone_item(m, True) for m in milestones if m.due_date < today),
        *(_asset_item(a, True) for a in assets if a.transfer_due < today),
    ]
    for contract in my_contracts:
        contract.dashboard_deadline = contract.next_notice_deadline(today)
    mine = MyItems(
        processes=[p for p in processes if user.pk in (p.owner_id, p.lead_id)],
        milestones=[m for m in milestones if m.owner_id == user.pk],
        contracts=my_contracts,
    )
    return Dashboard(
        today=today,
        horizon=horizon,
        portfolio=portfolio(),
        upcoming=sorted(upcoming, key=lambda item: (item.on, item.kind, item.title)),
        overdue=sorted(overdue, key=lambda item: (item.on, item.kind, item.title)),
        mine=mine,
    )
