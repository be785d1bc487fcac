"""What a contract's status needs of its notices: the notices in force and the processes
they cover, loaded for a list in its query or for one contract on its own (docs/domain.md,
"Contract status")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Subquery, Value, When

from .stored_dates import StoredNoticeDatesQuerySet

if TYPE_CHECKING:
    from .register import Contract


@dataclass(frozen=True)
class NoticeState:
    """Notices in force on a contract, as its status needs them."""

    process_count: int
    noticed_count: int  # processes in the scope of a notice in force
    whole: bool  # a notice of the whole contract is in force
    exit_date: date | None  # the latest exit date of the notices in force

    @property
    def wholly(self) -> bool:
        if self.process_count:
            return self.noticed_count >= self.process_count
        return self.whole

    @property
    def partly(self) -> bool:
        return 0 < self.noticed_count < self.process_count

    def ended_by(self, on: date) -> bool:
        return self.exit_date is not None and on > self.exit_date


class ContractQuerySet(StoredNoticeDatesQuerySet):
    def with_notice_state(self) -> ContractQuerySet:
        """Contracts with what `Contract.status()` needs of their notices, in this query."""
        return self.annotate(**_notice_counts())

    def with_pending_deadline(self) -> ContractQuerySet:
        """`pending_deadline`: the stored next notice deadline, or NULL once notice in force
        covers the whole contract (`NoticeState.wholly`, in SQL): the date a deadline-first
        list sorts by.

        The covered contracts come from uncorrelated subqueries, which the database reads
        once into a hash for all rows; the correlated counts of `with_notice_state()` would
        run per row, for every row sorted (1.3 s at 20,000 contracts, docs/performance.md).
        """
        from .notices import ExitNotice
        from .register import Contract

        with_processes = Contract.objects.order_by().filter(processes__isnull=False)
        all_noticed = (
            with_processes.values("pk")
            .annotate(without=Count("processes", filter=Q(processes__exit_notice__isnull=True)))
            .filter(without=0)
            .values("pk")
        )
        whole = ExitNotice.objects.active().filter(scope=ExitNotice.Scope.WHOLE)
        covered = Q(pk__in=all_noticed) | (
            ~Q(pk__in=with_processes.values("pk")) & Q(pk__in=whole.values("contract_id"))
        )
        return self.annotate(
            pending_deadline=Case(
                When(covered, then=Value(None)),
                default=F("stored_next_notice_deadline"),
                output_field=models.DateField(),
            )
        )


def _notice_counts() -> dict[str, Any]:
    """Annotations for NoticeState. Processes are counted through the reverse relation (this
    app does not import theirs), each count in its own subquery so none multiplies another."""
    from .notices import ExitNotice
    from .register import Contract

    def count(**where: Any) -> Subquery:
        rows = Contract.objects.filter(pk=OuterRef("pk")).order_by()
        counted = Count("processes", filter=Q(**where)) if where else Count("processes")
        return Subquery(rows.annotate(n=counted).values("n"), output_field=models.IntegerField())

    active = ExitNotice.objects.active().filter(contract=OuterRef("pk")).order_by()
    return {
        "notice_process_count": count(),
        "notice_noticed_count": count(processes__exit_notice__isnull=False),
        "notice_whole": Exists(active.filter(scope=ExitNotice.Scope.WHOLE)),
        "notice_exit_date": Subquery(
            active.values("contract").annotate(last=Max("exit_date")).values("last"),
            output_field=models.DateField(),
        ),
    }


def notice_state_of(contract: Contract) -> NoticeState:
    from .register import Contract

    row = (
        Contract.objects.filter(pk=contract.pk)
        .annotate(**_notice_counts())
        .values("notice_process_count", "notice_noticed_count", "notice_whole", "notice_exit_date")
    )
    values = row.first() or {}
    return NoticeState(
        process_count=values.get("notice_process_count") or 0,
        noticed_count=values.get("notice_noticed_count") or 0,
        whole=bool(values.get("notice_whole")),
        exit_date=values.get("notice_exit_date"),
    )
