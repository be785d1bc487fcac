"""The board: the most urgent processes of each workflow state, whatever the portfolio's size.

A column shows its first `BOARD_LIMIT` cards by urgency; its count (and money) comes from the
board's grouped money query (`portfolio.portfolio_money`), and the rest are one link away in
the process list filtered by that state (docs/performance.md, "Dashboard and board").

Urgency, computed in SQL so that LIMIT cuts each column in the database:

1. a process red by a rule SQL can read first: an open milestone past its date, or still
   outsourced after its contract's decision date (the date engine's, as the contract
   stores it: docs/contracts-list.md, "Stored notice dates");
2. then by the date its card shows, soonest (or longest overdue) first: its next open
   milestone, else its exit date (a process with neither last);
3. then by name.

Among the cards shown, red ones come first, then amber (the RAG's other rules, such as a
forecast after the exit date, are read from the loaded cards).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import (
    Case,
    DateField,
    F,
    IntegerField,
    Min,
    OrderBy,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from contracts.models import Contract

from ..models import Milestone, OutsourcedProcess, Programme
from .querysets import process_list

BOARD_LIMIT = 20
# Stands in for "no date" so that a process without one sorts last (NULLs order differently
# in PostgreSQL and SQLite).
FAR_FUTURE = date(9999, 12, 31)
RAG_ORDER: dict[str, int] = {
    OutsourcedProcess.Rag.RED: 0,
    OutsourcedProcess.Rag.AMBER: 1,
    OutsourcedProcess.Rag.GREEN: 2,
}


class ColumnCards(list):
    """The first cards of a column by urgency, with how many processes the column holds."""

    def __init__(self, cards: Iterable[OutsourcedProcess] = (), total: int = 0) -> None:
        super().__init__(cards)
        self.total = total

    @property
    def more(self) -> int:
        return self.total - len(self)


def _urgency(today: date) -> list[OrderBy]:
    far = Value(FAR_FUTURE, output_field=DateField())
    return [
        Case(
            When(
                Q(next_due__lt=today)
                | Q(
                    state=OutsourcedProcess.State.OUTSOURCED,
                    contract__stored_decision_date__lt=today,
                ),
                then=Value(0),
            ),
            default=Value(1),
            output_field=IntegerField(),
        ).asc(),
        Coalesce("next_due", "exit_date", far).asc(),
        F("name").asc(),
        F("pk").asc(),
    ]


def _urgency_key(process: OutsourcedProcess, today: date) -> tuple:
    """The SQL order above, read from a loaded card, with its RAG in front."""
    next_due = process.next_milestone_due  # type: ignore[attr-defined]
    return (
        RAG_ORDER[process.rag_on(today)],
        0 if next_due is not None and next_due < today else 1,
        next_due or process.exit_date or FAR_FUTURE,
        process.name,
        process.pk,
    )


def board_ranking(
    today: date, limit: int, programme: Programme | None = None
) -> QuerySet[OutsourcedProcess]:
    """The keys of the first `limit` processes of each state by urgency (a subquery).

    The next open milestone comes from one join grouped by process, not a subquery per
    process: ranking reads every process of the board, and a correlated subquery per row
    costs more than the whole join (docs/performance.md).
    """
    ranked = OutsourcedProcess.objects.order_by()
    if programme is not None:
        ranked = ranked.filter(programme=programme)
    return (
        # Grouped by process; its state and its contract's stored decision date ride along.
        ranked.values("pk", "state", "contract__stored_decision_date")
        .annotate(
            next_due=Min(
                "milestones__due_date", filter=~Q(milestones__status=Milestone.Status.DONE)
            )
        )
        .annotate(board_rank=Window(RowNumber(), partition_by=F("state"), order_by=_urgency(today)))
        .filter(board_rank__lte=limit)
        .values("pk")
    )


def process_board(
    programme: Programme | None = None, *, today: date, limit: int = BOARD_LIMIT
) -> dict[str, list[OutsourcedProcess]]:
    """The first `limit` processes of each state by urgency, grouped by state in workflow
    order (every state present, maybe empty), most urgent first: one query, and one for the
    readiness the RAG reads."""
    Contract.objects.refresh_notice_dates(today)  # ranked by the stored decision dates
    columns: dict[str, list[OutsourcedProcess]] = {
        state: [] for state in OutsourcedProcess.State.values
    }
    cards = process_list().filter(Q(pk__in=board_ranking(today, limit, programme)))
    for process in sorted(cards, key=lambda process: _urgency_key(process, today)):
        columns[process.state].append(process)
    return columns
