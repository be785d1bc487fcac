"""What the workflow offers: its transitions in the order people meet them, their labels and
parameters (from each FSM transition's `custom`), and the options a user has on one process
or a whole page of them, with every guard input loaded in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from django_fsm import Transition

from core.types import User

from .. import guards
from ..models import Asset, Milestone, OutsourcedProcess, StaffMember
from .querysets import _readiness_latest
from .scorecard import scorecard_prefetch


@dataclass(frozen=True)
class TransitionOption:
    """A transition from the current state, as pages and the API offer it."""

    name: str
    label: str
    target: str
    permitted: bool
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    params: tuple[str, ...] = ()


# The order people meet them in, not django-fsm's alphabetical one.
WORKFLOW_ORDER = ("serve_exit_notice", "withdraw_notice", "start_transition", "complete")


@cache
def workflow_transitions() -> Mapping[str, Transition]:
    """The FSM transitions of a process by name, in workflow order."""
    found = {t.name: t for t in OutsourcedProcess().get_all_state_transitions()}
    return MappingProxyType({name: found[name] for name in sorted(found, key=WORKFLOW_ORDER.index)})


def transition_names() -> list[str]:
    return list(workflow_transitions())


def transition_labels() -> dict[str, str]:
    """The human name of each transition, as events and buttons show it."""
    return {name: str(t.custom["label"]) for name, t in workflow_transitions().items()}


def transition_params(name: str) -> tuple[str, ...]:
    """The keyword parameters a transition takes (none for an unknown name)."""
    transition = workflow_transitions().get(name)
    return tuple(transition.custom["params"]) if transition else ()


def _from_state(state: str) -> list[Transition]:
    return [t for t in workflow_transitions().values() if t.source == state]


# Guard inputs


def _load_milestone_counts(processes: Sequence[OutsourcedProcess]) -> None:
    counts = dict(
        Milestone.objects.filter(process__in=[p.pk for p in processes])
        .order_by()
        .values("process")
        .annotate(n=Count("pk"))
        .values_list("process", "n")
    )
    for process in processes:
        setattr(process, guards.MILESTONE_COUNT, counts.get(process.pk, 0))


def _open_milestones() -> Prefetch:
    queryset = Milestone.objects.open().order_by("due_date", "pk")
    return Prefetch("milestones", queryset=queryset, to_attr=guards.OPEN_MILESTONES)


def _unsettled_assets() -> Prefetch:
    queryset = Asset.objects.unsettled().order_by("pk")
    return Prefetch("assets", queryset=queryset, to_attr=guards.UNSETTLED_ASSETS)


def _unsettled_staff() -> Prefetch:
    queryset = StaffMember.objects.unsettled().order_by("pk")
    return Prefetch("staff", queryset=queryset, to_attr=guards.UNSETTLED_STAFF)


def _load_scorecards(processes: Sequence[OutsourcedProcess]) -> None:
    # Only a process with the gate on reads its KPIs: one query for the KPIs and one for
    # their actuals whatever the number of such processes, none when the gate is off.
    gated = [process for process in processes if process.scorecard_gate_periods]
    if gated:
        prefetch_related_objects(gated, scorecard_prefetch())


def _prefetcher(
    lookup: Callable[[], str | Prefetch],
) -> Callable[[Sequence[OutsourcedProcess]], None]:
    # A Prefetch is built per call: prefetching adds hints to its queryset.
    def load(processes: Sequence[OutsourcedProcess]) -> None:
        prefetch_related_objects(list(processes), lookup())

    return load


# How each guard input is loaded for many processes at once: one query each.
LOADERS: dict[str, Callable[[Sequence[OutsourcedProcess]], None]] = {
    guards.CONTRACT: _prefetcher(lambda: "contract"),
    guards.READINESS: _prefetcher(_readiness_latest),
    guards.MILESTONE_COUNT: _load_milestone_counts,
    guards.OPEN_MILESTONES: _prefetcher(_open_milestones),
    guards.UNSETTLED_ASSETS: _prefetcher(_unsettled_assets),
    guards.UNSETTLED_STAFF: _prefetcher(_unsettled_staff),
    guards.SCORECARD: _load_scorecards,
}


def load_guard_inputs(
    processes: Iterable[OutsourcedProcess], *, transition: Transition | None = None
) -> None:
    """Load what the guards read onto the instances: one query per kind of input for all of
    them, and only the inputs their state's transitions (or `transition`'s) need.

    Inputs already on an instance (select_related, a selector's prefetch or annotation) are
    not loaded again. Loading again after a write gives fresh ones: delete the attributes
    first, or load a new instance (as `apply_transition` does with the locked row).
    """
    wanted: dict[str, dict[int, OutsourcedProcess]] = {name: {} for name in LOADERS}
    for process in processes:
        transitions = [transition] if transition is not None else _from_state(process.state)
        for condition in (g for t in transitions for g in guards.guards_of(t)):
            for name in condition.needs:
                if not guards.is_loaded(process, name):
                    wanted[name][id(process)] = process
    for name, missing in wanted.items():
        if missing:
            LOADERS[name](list(missing.values()))


def _options(process: OutsourcedProcess, user: User) -> list[TransitionOption]:
    options = []
    for transition in _from_state(process.state):
        permitted = transition.has_perm(process, user)
        reasons = [] if permitted else [_("You do not have permission to do this.")]
        reasons += guards.unmet_reasons(process, guards.guards_of(transition))
        options.append(
            TransitionOption(
                name=transition.name,
                label=str(transition.custom["label"]),
                target=str(transition.target),
                permitted=permitted,
                allowed=not reasons,
                reasons=reasons,
                params=tuple(transition.custom["params"]),
            )
        )
    return options


def transition_options(
    processes: Iterable[OutsourcedProcess], user: User
) -> dict[int, list[TransitionOption]]:
    """The options of each process by pk, in a fixed number of queries for any number of
    processes: the guard inputs are loaded for all of them at once."""
    processes = list(processes)
    load_guard_inputs(processes)
    return {process.pk: _options(process, user) for process in processes}


def available_transitions(process: OutsourcedProcess, user: User) -> list[TransitionOption]:
    """Every transition from the current state, with whether `user` may fire it and why not."""
    load_guard_inputs([process])
    return _options(process, user)
