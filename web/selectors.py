"""The dashboard's figures: processes by state, portfolio totals, deadlines, overdue and mine.

Portfolio money comes from `transition.selectors.portfolio_money`, the one rule for totals
over processes: summed per currency, then converted (docs/money.md, "Honest totals").

Deadlines come from `reminders.triggers`, the same ones the reminders, notifications and
calendar feed read, each trigger loading only what falls in the dashboard's window in one
query; so the number of queries never grows with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter

from django.db.models import Q

from contracts.models import Contract
from core.types import AuthUser
from reminders.triggers import TRIGGERS, deadlines_until
from transition.models import OutsourcedProcess
from transition.selectors import PortfolioMoney, portfolio_money

from .deadlines import DeadlineItem, Kind, deadline_item

HORIZON_DAYS = 90


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
    portfolio: PortfolioMoney
    upcoming: list[DeadlineItem]
    overdue: list[DeadlineItem]
    mine: MyItems


def portfolio(today: date) -> PortfolioMoney:
    """Counts and money per workflow state and over the whole portfolio, each currency converted
    with the rates of `today` (docs/money.md, "Honest totals"): one grouped query, and one for
    the rates when a currency needs converting."""
    return portfolio_money(on=today)


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
        portfolio=portfolio(today),
        upcoming=sorted((item for item in items if not item.overdue), key=order),
        overdue=sorted((item for item in items if item.overdue), key=order),
        mine=MyItems(
            processes=_my_processes(user),
            milestones=_my_milestones(user, today),
            contracts=_my_contracts(user, today),
        ),
    )
