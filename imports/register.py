"""The outsourcing register: one row per outsourced function, with EBA/DORA register fields."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract, ExitNotice
from core.clock import local_today
from core.spreadsheets import DATE, NUMBER, TEXT
from transition.models import ExitPlan, OutsourcedProcess
from transition.selectors.exit_plans import register_exit_fields, with_exit_plan_status

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
    ("contract_status", gettext_lazy("Contract status")),
    ("notice_received_on", gettext_lazy("Exit notice received on")),
    ("notice_scope", gettext_lazy("Exit notice scope")),
    ("exit_date", gettext_lazy("Exit date")),
    ("state", gettext_lazy("Backsourcing state")),
    ("exit_plan_exists", gettext_lazy("Exit plan exists")),
    ("exit_plan_tested", gettext_lazy("Exit plan tested")),
    ("substitutability", gettext_lazy("Substitutability")),
    ("reintegration", gettext_lazy("Possibility of reintegration")),
)


def register_processes():
    # The exit-plan fields come from the approved exit plan and the process's latest
    # rehearsal (transition.selectors.exit_plans), as the API and the process page read them.
    return with_exit_plan_status(
        OutsourcedProcess.objects.select_related("programme", "exit_notice")
    ).order_by("contract__reference", "name")


def _choice_label(choices, value: str | None) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def register_contracts() -> dict[int, Contract]:
    """Every contract with its provider, its status's inputs and its notices in force."""
    contracts = (
        Contract.objects.select_related("provider")
        .with_notice_state()
        .prefetch_related(
            Prefetch(
                "exit_notices",
                queryset=ExitNotice.objects.active().order_by("-served_on", "-pk"),
                to_attr="notices_in_force",
            )
        )
        .order_by("reference")
    )
    return {contract.pk: contract for contract in contracts}


def register_rows(on: date | None = None) -> list[dict]:
    """Every outsourced function, and every contract with none, as register rows."""
    on = on or local_today()
    contracts = register_contracts()
    rows = [_row(contracts[process.contract_id], process, on) for process in register_processes()]
    rows += [
        _row(contract, None, on)
        for contract in contracts.values()
        if not contract.notice_state.process_count
    ]
    return sorted(rows, key=lambda row: (row["reference"], row["function"]))


def _notice(contract: Contract, process: OutsourcedProcess | None) -> ExitNotice | None:
    """The notice in force a row is under: its process's, or for a contract without
    processes, a notice of the whole contract."""
    if process is not None:
        notice = process.exit_notice
        return notice if notice is not None and notice.is_active else None
    in_force = contract.notices_in_force  # type: ignore[attr-defined]  # register_contracts()
    return next((n for n in in_force if n.scope == ExitNotice.Scope.WHOLE), None)


def _row(contract: Contract, process: OutsourcedProcess | None, on: date) -> dict:
    automatic = contract.renewal == Contract.Renewal.AUTOMATIC
    notice = _notice(contract, process)
    # A contract wholly under notice has no deadline left to meet.
    deadline = None if contract.notice_state.wholly else contract.next_notice_deadline(on)
    cost = process.annual_outsourced_cost if process else None
    exit_date = process.exit_date if process else (notice.exit_date if notice else None)
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
        "contract_status": contract.get_status_display(on),
        "notice_received_on": notice.served_on.isoformat() if notice else "",
        "notice_scope": notice.get_scope_display() if notice else "",
        "exit_date": exit_date.isoformat() if exit_date else "",
        "state": process.get_state_display() if process else "",
        **_exit_plan_fields(process),
    }


def _exit_plan_fields(process: OutsourcedProcess | None) -> dict[str, str]:
    """From the approved exit plan; empty where there is none (or no process)."""
    fields = register_exit_fields(process)
    return {
        "exit_plan_exists": _("Yes") if fields.exists else _("No"),
        "exit_plan_tested": fields.tested_on.isoformat() if fields.tested_on else "",
        "substitutability": _choice_label(
            ExitPlan.Substitutability.choices, fields.substitutability
        ),
        "reintegration": _choice_label(ExitPlan.Reintegration.choices, fields.reintegration),
    }


# How each column's cells are written in XLSX (core/spreadsheets.py): dates as dates, the
# cost as a number, the rest as text.
DATE_COLUMNS = {
    "start_date",
    "end_date",
    "next_renewal",
    "next_notice_deadline",
    "notice_received_on",
    "exit_date",
    "exit_plan_tested",
}
KINDS = [
    DATE if key in DATE_COLUMNS else NUMBER if key == "annual_cost" else TEXT for key, _l in COLUMNS
]
TITLE = gettext_lazy("Outsourcing register")


def register_table(on: date | None = None) -> tuple[list[str], list[list[str]]]:
    """The register's headers and rows, in the order of COLUMNS."""
    headers = [str(label) for _key, label in COLUMNS]
    return headers, [[row[key] for key, _label in COLUMNS] for row in register_rows(on)]
