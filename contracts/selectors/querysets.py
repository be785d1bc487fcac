"""Shaped reads of the register: providers, contracts and their owners, and filters on the
dates the engine computes."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from ..models import Contract, ContractDocument, ServiceProvider


def provider_list() -> QuerySet[ServiceProvider]:
    """Providers with how many contracts each holds (one query per page)."""
    return ServiceProvider.objects.annotate(contract_count=Count("contracts"))


def provider_detail() -> QuerySet[ServiceProvider]:
    return ServiceProvider.objects.prefetch_related(
        Prefetch("contracts", queryset=Contract.objects.select_related("owner"))
    )


def contract_list() -> QuerySet[Contract]:
    """Contracts with provider, owner and counts of their processes, for lists and exports."""
    from transition.models import OutsourcedProcess

    outsourced = (
        OutsourcedProcess.objects.filter(
            contract=OuterRef("pk"), state=OutsourcedProcess.State.OUTSOURCED
        )
        .order_by()
        .values("contract")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A subquery rather than a second Count(): two counts over joins multiply each other.
    return Contract.objects.select_related("provider", "owner").annotate(
        process_count=Count("processes", distinct=True),
        outsourced_count=Subquery(outsourced),
    )


def contract_detail() -> QuerySet[Contract]:
    """A contract with everything its page shows, in a fixed number of queries."""
    from transition.models import Asset, Milestone, OutsourcedProcess, ReadinessAssessment

    open_milestones = Milestone.objects.filter(process=OuterRef("pk")).exclude(
        status=Milestone.Status.DONE
    )
    open_assets = Asset.objects.filter(
        process=OuterRef("pk"),
        status__in=[Asset.Status.TO_TRANSFER, Asset.Status.IN_PROGRESS],
        transfer_due__isnull=False,
    )
    processes = (
        OutsourcedProcess.objects.select_related("programme", "owner", "lead")
        .annotate(
            next_milestone_due=Subquery(
                open_milestones.order_by("due_date").values("due_date")[:1]
            ),
            next_asset_due=Subquery(
                open_assets.order_by("transfer_due").values("transfer_due")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "readiness_assessments",
                queryset=ReadinessAssessment.objects.order_by("-assessed_on", "-pk"),
                to_attr="readiness_latest",
            )
        )
        .order_by("programme__name", "name")
    )
    return Contract.objects.select_related("provider", "owner").prefetch_related(
        Prefetch("processes", queryset=processes),
        Prefetch("documents", queryset=ContractDocument.objects.select_related("uploaded_by")),
    )


def contract_owners():
    """Users who own at least one contract: the choices of the owner filter."""
    return (
        get_user_model()
        .objects.filter(owned_contracts__isnull=False)
        .distinct()
        .order_by("first_name", "last_name")
    )


def contract_owner_choices():
    """Active users, the people a contract may belong to."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")


def contracts_with_deadline_before(queryset: QuerySet[Contract], before: date, on: date) -> Q:
    """A filter for contracts whose next notice deadline (seen on `on`) falls on or before `before`.

    Deadlines are computed by the date engine, not stored, so they are worked out in Python
    over the terms of the already-filtered rows: one query, however many rows match.
    """
    matching = [
        contract.pk
        for contract in queryset.select_related(None).only(*Contract.TERM_FIELDS)
        if (deadline := contract.next_notice_deadline(on)) is not None and deadline <= before
    ]
    return Q(pk__in=matching)


def contracts_with_status(queryset: QuerySet[Contract], status: str, on: date) -> Q:
    """A filter for contracts whose computed status on `on` is `status` (one query)."""
    return Q(
        pk__in=[
            c.pk
            for c in queryset.select_related(None).only(*Contract.TERM_FIELDS)
            if c.status(on) == status
        ]
    )
