"""What a contract's status needs of its notices: the notices in force and the processes
they cover, loaded for a list in its query or for one contract on its own (docs/domain.md,
"Contract status")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

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


class ContractQuerySet(models.QuerySet["Contract"]):
    def with_notice_state(self) -> ContractQuerySet:
        """Contracts with what `Contract.status()` needs of their notices, in this query."""
        return self.annotate(**_notice_counts())


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
