"""Shaped reads of the register: providers, contracts and their owners, and filters on the
dates the engine computes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.types import AuthUser

from .. import dates
from ..models import Contract, ContractDocument, ServiceProvider
from ..models.register import ContractQuerySet

# The order "sort by status" lists contracts in: the life of a contract, start to end.
STATUS_ORDER = (
    dates.STATUS_NOT_STARTED,
    dates.STATUS_ACTIVE,
    dates.STATUS_DECISION_DUE,
    dates.STATUS_PARTLY_UNDER_NOTICE,
    dates.STATUS_UNDER_NOTICE,
    dates.STATUS_ENDING,
    dates.STATUS_EXPIRED,
)


def provider_list() -> QuerySet[ServiceProvider]:
    """Providers with how many contracts each holds (one query per page)."""
    return ServiceProvider.objects.annotate(contract_count=Count("contracts"))


def provider_detail() -> QuerySet[ServiceProvider]:
    """A provider with its contracts, each with its owner and what its status needs."""
    return ServiceProvider.objects.prefetch_related(
        Prefetch("contracts", queryset=Contract.objects.select_related("owner").with_notice_state())
    )


def contract_list() -> QuerySet[Contract]:
    """Contracts with provider, owner and counts of their processes, for lists and exports.

    Counted through the reverse relation only (the contracts layer does not import the
    processes' app): a process is still outsourced until notice is served on it.
    """

    # Correlated counts, not joined ones: a joined COUNT(DISTINCT) grouped all 20,000
    # contracts before the page was cut, and made the paginator's count aggregate them again
    # (docs/performance.md); a subquery runs for the page's rows only.
    def count(**where: Any) -> Coalesce:
        rows = Contract.objects.filter(pk=OuterRef("pk")).order_by()
        counted = Count("processes", filter=Q(**where)) if where else Count("processes")
        subquery = Subquery(rows.annotate(n=counted).values("n"), output_field=IntegerField())
        return Coalesce(subquery, Value(0))

    return (
        Contract.objects.select_related("provider", "owner")
        .with_notice_state()
        .annotate(
            process_count=count(),
            outsourced_count=count(processes__notice_served_on__isnull=True),
        )
    )


def contract_detail() -> QuerySet[Contract]:
    """A contract with its terms' people and documents; the processes section of its page
    comes from the transition app ({% contract_processes %}, transition/templatetags)."""
    return (
        Contract.objects.select_related("provider", "owner")
        .with_notice_state()
        .prefetch_related(
            Prefetch("documents", queryset=ContractDocument.objects.select_related("uploaded_by")),
        )
    )


def contract_owners() -> QuerySet[AuthUser]:
    """Users who own at least one contract: the choices of the owner filter. A semi-join
    (EXISTS on the owner index), not DISTINCT over every contract joined (41 ms at 20,000)."""
    owns = Contract.objects.filter(owner=OuterRef("pk"))
    return get_user_model().objects.filter(Exists(owns)).order_by("first_name", "last_name")


def contract_owner_choices() -> QuerySet[AuthUser]:
    """Active users, the people a contract may belong to."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")


def contracts_with_deadline_within(
    on: date, *, after: date | None = None, before: date | None = None
) -> Q:
    """A filter for contracts whose next notice deadline (seen on `on`) falls from `after` to
    `before` (either may be open), on the dates the contracts store for the date engine,
    made current first (contracts/models/stored_dates.py): in SQL, one query more when none
    is stale."""
    Contract.objects.refresh_notice_dates(on)
    where = Q(stored_next_notice_deadline__isnull=False)
    if after is not None:
        where &= Q(stored_next_notice_deadline__gte=after)
    if before is not None:
        where &= Q(stored_next_notice_deadline__lte=before)
    return where


def contracts_with_status(queryset: ContractQuerySet, status: str, on: date) -> Q:
    """A filter for contracts whose computed status on `on` is `status` (one query)."""
    return Q(
        pk__in=[
            c.pk
            for c in queryset.select_related(None).only(*Contract.TERM_FIELDS).with_notice_state()
            if c.status(on) == status
        ]
    )


def status_rank(queryset: ContractQuerySet, on: date) -> Case:
    """An ordering expression ranking contracts by their computed status on `on`, in
    STATUS_ORDER (one query over the terms and notices of the rows)."""
    ranks: dict[str, list[int]] = {status: [] for status in STATUS_ORDER}
    rows = queryset.select_related(None).only(*Contract.TERM_FIELDS).with_notice_state()
    for contract in rows:
        ranks[contract.status(on)].append(contract.pk)
    return Case(
        *(
            When(pk__in=pks, then=Value(STATUS_ORDER.index(status)))
            for status, pks in ranks.items()
            if pks
        ),
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )
