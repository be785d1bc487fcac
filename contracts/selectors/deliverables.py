"""Shaped reads of termination-assistance deliverables: the checklist of a notice, of the
notices of a contract, of the notice a process is under, and one deliverable's history.

Each read is a fixed number of queries whatever the number of deliverables (pinned by
tests/contracts/test_deliverables_views.py). The processes of a notice belong to the app
above this one; they are reached through the reverse relation `exit_notice.processes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from ..models import Deliverable, ExitNotice


def deliverable_list() -> QuerySet[Deliverable]:
    """Deliverables with what a row shows: the notice, the contract and the people."""
    return Deliverable.objects.select_related(
        "exit_notice", "contract", "contract__provider", "owner", "decided_by"
    )


def deliverable_detail() -> QuerySet[Deliverable]:
    return deliverable_list().select_related("template")


def deliverable_history(deliverable: Deliverable) -> list:
    """The deliverable's recorded versions, newest first, each with who made it."""
    return list(
        deliverable.history.select_related("history_user", "owner").order_by("-history_date", "-pk")
    )


@dataclass(frozen=True)
class Checklist:
    """The deliverables of one notice as a page shows them, with what is overdue."""

    notice: ExitNotice
    rows: list[Deliverable]
    today: date

    @property
    def open_count(self) -> int:
        return sum(row.is_open for row in self.rows)

    @property
    def overdue_count(self) -> int:
        return sum(is_overdue(row, self.today) for row in self.rows)

    @property
    def assistance_end(self) -> date:
        return self.notice.assistance_end


def is_overdue(deliverable: Deliverable, today: date) -> bool:
    return deliverable.is_open and deliverable.due_date < today


def contract_checklists(notices: list[ExitNotice], today: date) -> list[Checklist]:
    """Per notice of a contract, as loaded for its page (`contract_notices()`), its
    deliverables in due order: one query, none without notices."""
    return _checklists(list(notices), today)


def notice_checklist(notice: ExitNotice | None, today: date) -> Checklist | None:
    """The deliverables of one notice (the one a process is under, its contract joined),
    or None: one query, none without a notice."""
    checklists = _checklists([notice], today) if notice is not None else []
    return checklists[0] if checklists else None


def _checklists(notices: list[ExitNotice], today: date) -> list[Checklist]:
    if not notices:
        return []
    by_notice: dict[int, list[Deliverable]] = {notice.pk: [] for notice in notices}
    rows = Deliverable.objects.filter(exit_notice__in=list(by_notice)).select_related(
        "owner", "decided_by"
    )
    for row in rows.order_by("due_date", "pk"):
        by_notice[row.exit_notice_id].append(row)
    checklists = []
    for notice in notices:
        for row in by_notice[notice.pk]:
            row.exit_notice = notice  # known already: no query per row for its dates
            row.overdue = is_overdue(row, today)  # type: ignore[attr-defined]
        checklists.append(Checklist(notice=notice, rows=by_notice[notice.pk], today=today))
    return checklists
