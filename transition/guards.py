"""Workflow guards: each returns a human reason when unmet, or None when satisfied.

django-fsm conditions only answer yes or no; wrapping each check in a `Guard` keeps the
reason next to the rule so pages, API and admin can say *why* a transition is blocked.

Guards never query. Each names the inputs it reads (`needs`), and
`transition.selectors.workflow.load_guard_inputs()` loads them for a whole page of processes
at once (or for the locked row inside `apply_transition`); reading one that was not loaded
raises `GuardInputsNotLoaded` instead of quietly running a query per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db.models.fields.mixins import FieldCacheMixin
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.clock import local_today
from core.formats import short_date

if TYPE_CHECKING:
    from django_fsm import Transition

    from .models import OutsourcedProcess

# The inputs guards read, by the attribute they are loaded into.
CONTRACT = "contract"  # select_related
READINESS = "readiness_latest"  # assessments, newest first (shared with the RAG)
MILESTONE_COUNT = "milestone_count"  # every milestone, done or not (None counts as none)
OPEN_MILESTONES = "open_milestone_rows"  # Milestone.objects.open(), by due date
UNSETTLED_ASSETS = "unsettled_asset_rows"  # Asset.objects.unsettled(), by pk
UNSETTLED_STAFF = "unsettled_staff_rows"  # StaffMember.objects.unsettled(), by pk
# The KPIs with their actuals by period, of processes whose scorecard gate is on.
SCORECARD = "scorecard_kpi_rows"  # transition.selectors.scorecard.SCORECARD_ROWS


class GuardInputsNotLoaded(LookupError):
    """A guard ran on a process whose inputs were not loaded (a programming error)."""


def is_loaded(process: OutsourcedProcess, name: str) -> bool:
    """Whether input `name` is on the instance already, so reading it costs no query."""
    try:
        field = process._meta.get_field(name)
    except FieldDoesNotExist:
        return hasattr(process, name)
    if isinstance(field, FieldCacheMixin):  # a relation: loaded if select_related or set
        return field.is_cached(process)
    return True


def loaded(process: OutsourcedProcess, name: str) -> Any:
    if not is_loaded(process, name):
        raise GuardInputsNotLoaded(
            f"{name!r} of process {process.pk} is not loaded; get the options through "
            "transition.selectors.workflow, which loads every guard input in bulk."
        )
    return getattr(process, name)


@dataclass(frozen=True)
class Guard:
    """A django-fsm condition that can also explain itself, and says what it reads."""

    explain: Callable[[OutsourcedProcess], str | None]
    needs: tuple[str, ...] = ()

    def __call__(self, process: OutsourcedProcess) -> bool:
        return self.explain(process) is None


def guard(*needs: str) -> Callable[[Callable[[OutsourcedProcess], str | None]], Guard]:
    """Make a function returning a reason (or None) a `Guard` reading the inputs `needs`."""

    def wrap(explain: Callable[[OutsourcedProcess], str | None]) -> Guard:
        return Guard(explain, needs)

    return wrap


def guards_of(transition: Transition) -> list[Guard]:
    """A transition's conditions, each a `Guard` (a bare callable could not say why)."""
    conditions = list(transition.conditions)
    for condition in conditions:
        if not isinstance(condition, Guard):
            raise TypeError(f"{transition.name}: condition {condition!r} is not a Guard")
    return cast(list[Guard], conditions)


def unmet_reasons(process: OutsourcedProcess, conditions: Iterable[Guard]) -> list[str]:
    return [reason for condition in conditions if (reason := condition.explain(process))]


def _listing(items: Sequence[object], limit: int = 3) -> str:
    names = [str(item) for item in items[:limit]]
    more = len(items) - limit
    return ", ".join(names) + (_(" and %(n)s more") % {"n": more} if more > 0 else "")


@guard(CONTRACT)
def contract_not_expired(process: OutsourcedProcess) -> str | None:
    contract = loaded(process, CONTRACT)
    if contract.is_expired():
        return _(
            "Contract %(ref)s expired on %(end)s: there is no term left to give notice on."
        ) % {
            "ref": contract.reference,
            "end": short_date(contract.end_date),
        }
    return None


@guard(READINESS)
def readiness_assessed(process: OutsourcedProcess) -> str | None:
    if not loaded(process, READINESS):
        return _("Record a readiness assessment before serving exit notice.")
    return None


@guard()
def costs_entered(process: OutsourcedProcess) -> str | None:
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


@guard()
def lead_assigned(process: OutsourcedProcess) -> str | None:
    if process.lead_id is None:
        return _("Assign a project lead before starting the transition.")
    return None


@guard(MILESTONE_COUNT)
def milestones_planned(process: OutsourcedProcess) -> str | None:
    if not loaded(process, MILESTONE_COUNT):
        return _("Plan at least one milestone before starting the transition.")
    return None


@guard(OPEN_MILESTONES)
def milestones_done(process: OutsourcedProcess) -> str | None:
    open_ = loaded(process, OPEN_MILESTONES)
    if open_:
        return ngettext(
            "%(n)s milestone is not done: %(names)s.",
            "%(n)s milestones are not done: %(names)s.",
            len(open_),
        ) % {"n": len(open_), "names": _listing(open_)}
    return None


@guard(UNSETTLED_ASSETS)
def assets_settled(process: OutsourcedProcess) -> str | None:
    open_ = loaded(process, UNSETTLED_ASSETS)
    if open_:
        return ngettext(
            "%(n)s asset is neither transferred nor marked not needed: %(names)s.",
            "%(n)s assets are neither transferred nor marked not needed: %(names)s.",
            len(open_),
        ) % {"n": len(open_), "names": _listing(open_)}
    return None


@guard(UNSETTLED_STAFF)
def staff_settled(process: OutsourcedProcess) -> str | None:
    open_ = loaded(process, UNSETTLED_STAFF)
    if open_:
        return ngettext(
            "%(n)s staff member is not yet onboarded, declined or withdrawn: %(names)s.",
            "%(n)s staff members are not yet onboarded, declined or withdrawn: %(names)s.",
            len(open_),
        ) % {"n": len(open_), "names": _listing(open_)}
    return None


@guard(SCORECARD)
def scorecard_met(process: OutsourcedProcess) -> str | None:
    """The parallel-run gate: every KPI met its target for the last N completed periods."""
    if not process.scorecard_gate_periods:
        return None
    # Imported here: the selectors import the models, and the models import this module.
    from .selectors.scorecard import process_gate_reasons

    reasons = process_gate_reasons(process, loaded(process, SCORECARD), local_today())
    return " ".join(reasons) or None
