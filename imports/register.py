"""The outsourcing register: one row per outsourced function, with EBA/DORA register fields."""

from __future__ import annotations

from datetime import date

import tablib
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract
from core.clock import local_today
from transition.models import OutsourcedProcess, ReadinessAssessment

COLUMNS = (
    ("reference", gettext_lazy("Contract reference")),
    ("provider", gettext_lazy("Service provider")),
    ("provider_country", gettext_lazy("Provider country")),
    ("function", gettext_lazy("Function (process)")),
    ("programme", gettext_lazy("Programme")),
    ("criticality", gettext_lazy("Criticality")),
    ("start_date", gettext_lazy("Start date")),
    ("end_date", gettext_lazy("End date")),
    ("next_renewal", gettext_lazy("Next renewal")),
    ("notice_period", gettext_lazy("Notice period")),
    ("next_notice_deadline", gettext_lazy("Next notice deadline")),
    ("annual_cost", gettext_lazy("Annual cost")),
    ("currency", gettext_lazy("Currency")),
    ("state", gettext_lazy("Backsourcing state")),
    ("reintegration", gettext_lazy("Possibility of reintegration")),
    ("exit_plan", gettext_lazy("Exit plan exists")),
)


def reintegration(process: OutsourcedProcess | None) -> str:
    """How readily the function can come back in-house: from its state and readiness."""
    if process is None:
        return _("Not assessed")
    if process.state == OutsourcedProcess.State.IN_HOUSE:
        return _("Reintegrated")
    if process.state == OutsourcedProcess.State.TRANSITION:
        return _("Reintegration in progress")
    readiness = process.latest_readiness
    if readiness is None:
        return _("Not assessed")
    return {
        OutsourcedProcess.Rag.GREEN: _("Easy"),
        OutsourcedProcess.Rag.AMBER: _("Difficult"),
        OutsourcedProcess.Rag.RED: _("Highly complex"),
    }[readiness.rag]


def exit_plan_exists(process: OutsourcedProcess | None) -> bool:
    """An exit plan exists once milestones are planned and readiness has been assessed."""
    if process is None:
        return False
    if process.state == OutsourcedProcess.State.IN_HOUSE:
        return True
    return process.milestone_count > 0 and process.latest_readiness is not None


def register_processes():
    return (
        OutsourcedProcess.objects.select_related("contract__provider", "programme")
        .annotate(milestone_count=Count("milestones"))
        .prefetch_related(
            Prefetch(
                "readiness_assessments",
                queryset=ReadinessAssessment.objects.order_by("-assessed_on", "-pk"),
                to_attr="readiness_latest",
            )
        )
        .order_by("contract__reference", "name")
    )


def register_rows(on: date | None = None) -> list[dict]:
    """Every outsourced function, and every contract with none, as register rows."""
    on = on or local_today()
    rows = [_row(process.contract, process, on) for process in register_processes()]
    without = (
        Contract.objects.select_related("provider")
        .annotate(n=Count("processes"))
        .filter(Q(n=0))
        .order_by("reference")
    )
    rows += [_row(contract, None, on) for contract in without]
    return sorted(rows, key=lambda row: (row["reference"], row["function"]))


def _row(contract: Contract, process: OutsourcedProcess | None, on: date) -> dict:
    automatic = contract.renewal == Contract.Renewal.AUTOMATIC
    deadline = contract.next_notice_deadline(on)
    cost = process.annual_outsourced_cost if process else None
    return {
        "reference": contract.reference,
        "provider": contract.provider.name,
        "provider_country": contract.provider.country,
        "function": process.name if process else "",
        "programme": process.programme.name if process else "",
        "criticality": process.get_criticality_display() if process else "",
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "next_renewal": contract.current_term_end(on).isoformat() if automatic else "",
        "notice_period": contract.notice_period_display,
        "next_notice_deadline": deadline.isoformat() if deadline else "",
        "annual_cost": str(cost if cost is not None else contract.annual_value),
        "currency": contract.currency,
        "state": process.get_state_display() if process else "",
        "reintegration": str(reintegration(process)),
        "exit_plan": _("Yes") if exit_plan_exists(process) else _("No"),
    }


def register_dataset(on: date | None = None) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[str(label) for _key, label in COLUMNS])
    for row in register_rows(on):
        dataset.append([row[key] for key, _label in COLUMNS])
    return dataset
