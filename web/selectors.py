"""The dashboard's figures: processes by state, portfolio totals, deadlines, overdue and mine.

Deadlines come from `reminders.triggers`, the same ones the reminders, notifications and
calendar feed read, each trigger loading only what falls in the dashboard's window in one
query; so the number of queries never grows with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from contracts.models import Contract
from core.types import AuthUser
from reminders.triggers import TRIGGERS, deadlines_until
from transition.models import OutsourcedProcess
from transition.money import payback_months

from .deadlines import DeadlineItem, Kind, deadline_item

HORIZON_DAYS = 90
ZERO = Decimal(0)


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


@dataclass
class MyItems:
    processes: list[OutsourcedProcess] = field(default_factory=list)
    milestones: list[DeadlineItem] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.processes or self.milestones or self.contracts)


@dataclass(frozen=True)
class Dashboard:
    today: date
    horizon: date
    portfolio: Portfolio
    upcoming: list[DeadlineItem]
    overdue: list[DeadlineItem]
    mine: MyItems


def portfolio() -> Portfolio:
    """Counts and money per workflow state and over the whole portfolio, in one query."""
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
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
    return Portfolio(
        states=states,
        process_count=sum(s.count for s in states),
        annual_outsourced_cost=sum((s.annual_outsourced_cost for s in states), ZERO),
        projected_inhouse_annual_cost=sum((s.projected_inhouse_annual_cost for s in states), ZERO),
        annual_saving=saving,
        one_off_transition_cost=one_off,
        payback_months=payback_months(one_off, saving),
    )


def _my_processes(user: AuthUser) -> list[OutsourcedProcess]:
    return list(
        OutsourcedProcess.objects.filter(Q(owner=user) | Q(lead=user))
        .select_related("programme")
        .order_by("programme__name", "name")
    )


def _my_milestones(user: AuthUser, today: date) -> list[DeadlineItem]:
    """The user's open milestones, however far off, dated as the milestone reminder dates them."""
    deadlines = TRIGGERS[Kind.MILESTONE_DUE].deadlines(today, where=Q(owner=user))
    return [
        deadline_item(deadline, today)
        for deadline in sorted(deadlines, key=lambda d: (d.due, d.obj.pk))
    ]


def _my_contracts(user: AuthUser, today: date) -> list[Contract]:
    """The user's contracts with what their status needs, each with `dashboard_deadline`:
    the notice deadline reminders date, or None for a contract wholly under notice.

    Every owned contract is listed, also one with nothing outsourced any more (whose notice
    deadline no longer reminds anyone), so the date comes from the trigger's rule directly.
    """
    notice = TRIGGERS[Kind.NOTICE_DEADLINE]
    contracts = list(
        Contract.objects.filter(owner=user)
        .with_notice_state()
        .select_related("provider")
        .order_by("reference")
    )
    for contract in contracts:
        # Read by the template and tests next to the contract itself, as an annotation is.
        contract.dashboard_deadline = (  # type: ignore[attr-defined]
            None if contract.notice_state.wholly else notice.due_date(contract, today)
        )
    return contracts


def dashboard(user: AuthUser, today: date) -> Dashboard:
    """Everything the dashboard shows for `user` on `today`, in a fixed number of queries."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    items = [deadline_item(deadline, today) for deadline in deadlines_until(today, horizon)]
    order = attrgetter("on", "kind", "title")
    return Dashboard(
        today=today,
        horizon=horizon,
        portfolio=portfolio(),
        upcoming=sorted((item for item in items if not item.overdue), key=order),
        overdue=sorted((item for item in items if item.overdue), key=order),
        mine=MyItems(
            processes=_my_processes(user),
            milestones=_my_milestones(user, today),
            contracts=_my_contracts(user, today),
        ),
    )
