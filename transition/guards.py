"""Workflow guards: each returns a human reason when unmet, or None when satisfied.

django-fsm conditions only answer yes or no; wrapping each check in a `Guard` keeps the
reason next to the rule so pages, API and admin can say *why* a transition is blocked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from .models import OutsourcedProcess


@dataclass(frozen=True)
class Guard:
    """A django-fsm condition that can also explain itself."""

    explain: Callable[[OutsourcedProcess], str | None]

    def __call__(self, process: OutsourcedProcess) -> bool:
        return self.explain(process) is None


def unmet_reasons(process: OutsourcedProcess, conditions) -> list[str]:
    return [reason for guard in conditions if (reason := guard.explain(process))]


def _listing(items, limit: int = 3) -> str:
    names = [str(item) for item in items[:limit]]
    more = len(items) - limit
    return ", ".join(names) + (_(" and %(n)s more") % {"n": more} if more > 0 else "")


@Guard
def contract_not_expired(process):
    contract = process.contract
    if contract.is_expired():
        return _(
            "Contract %(ref)s expired on %(end)s: there is no term left to give notice on."
        ) % {
            "ref": contract.reference,
            "end": contract.end_date.isoformat(),
        }
    return None


@Guard
def readiness_assessed(process):
    if not process.readiness_assessments.exists():
        return _("Record a readiness assessment before serving exit notice.")
    return None


@Guard
def costs_entered(process):
    missing = [
        str(process._meta.get_field(name).verbose_name)
        for name in process.COST_FIELDS
        if getattr(process, name) is None
    ]
    if missing:
        return _("Enter the business case first: %(fields)s missing.") % {
            "fields": ", ".join(missing)
        }
    return None


@Guard
def lead_assigned(process):
    if process.lead_id is None:
        return _("Assign a project lead before starting the transition.")
    return None


@Guard
def milestones_planned(process):
    if not process.milestones.exists():
        return _("Plan at least one milestone before starting the transition.")
    return None


@Guard
def milestones_done(process):
    open_ = list(process.milestones.exclude(status="done").order_by("due_date", "pk"))
    if open_:
        return ngettext(
            "%(n)s milestone is not done: %(names)s.",
            "%(n)s milestones are not done: %(names)s.",
            len(open_),
        ) % {"n": len(open_), "names": _listing(open_)}
    return None


@Guard
def assets_settled(process):
    open_ = list(process.assets.exclude(status__in=["transferred", "not_needed"]).order_by("pk"))
    if open_:
        return ngettext(
            "%(n)s asset is neither transferred nor marked not needed: %(names)s.",
            "%(n)s assets are neither transferred nor marked not needed: %(names)s.",
            len(open_),
        ) % {"n": len(open_), "names": _listing(open_)}
    return None


@Guard
def staff_settled(process):
    open_ = list(
        process.staff.exclude(status__in=["onboarded", "declined", "withdrawn"]).order_by("pk")
    )
    if open_:
        return ngettext(
            "%(n)s staff member is not yet onboarded, declined or withdrawn: %(names)s.",
            "%(n)s staff members are not yet onboarded, declined or withdrawn: %(names)s.",
            len(open_),
        ) % {"n": len(open_), "names": _listing(open_)}
    return None
