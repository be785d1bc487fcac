"""The process workflow's single entry point: permission, state, guards, save, one event."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, Transition

from contracts.models import ExitNotice
from core.clock import local_today
from core.formats import short_date
from core.signals import announce_deadlines_changed
from core.text import first_control_character
from core.types import AuthUser

from ..guards import guards_of, unmet_reasons
from ..models import OutsourcedProcess, ProcessEvent
from ..schedule.checks import process_findings
from ..schedule.model import Plan
from ..selectors.workflow import (
    TransitionOption,
    available_transitions,
    load_guard_inputs,
    transition_names,
    workflow_transitions,
)
from .notice_records import close_notice_if_empty, lock_notices_of, notice_for_process

# Reads of the workflow live in transition.selectors.workflow; these names stay importable
# from the services for the callers that know them from here.
__all__ = [
    "TransitionBlocked",
    "TransitionOption",
    "UnknownTransition",
    "apply_transition",
    "available_transitions",
    "transition_names",
]

logger = logging.getLogger(__name__)

# Transitions that change a contract's notices (notice_records.lock_notices_of).
NOTICE_TRANSITIONS = ("serve_exit_notice", "withdraw_notice")


class TransitionBlocked(Exception):
    """A transition cannot happen now; `.reasons` says why, in words for people."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))


class UnknownTransition(LookupError):
    """No transition of the workflow has that name."""


def _transition_named(name: str) -> Transition:
    try:
        return workflow_transitions()[name]
    except KeyError:
        raise UnknownTransition(name) from None


def _state_reason(transition: Transition, state: str) -> str:
    states = dict(OutsourcedProcess.State.choices)
    return _("“%(action)s” is possible only from %(source)s; the process is %(state)s now.") % {
        "action": transition.custom["label"],
        "source": states[str(transition.source)],
        "state": states[state],
    }


def _param_reasons(name: str, params: dict, today: date, note: str = "") -> list[str]:
    reasons = []
    texts = (
        (_("The note"), note),
        (_("The reason"), params.get("reason") or ""),
        (_("The reason for completing early"), params.get("early_completion_reason") or ""),
    )
    for label, text in texts:
        character = first_control_character(text)
        if character is not None:
            reasons.append(
                _("%(field)s holds the control character U+%(code)04X; remove it.")
                % {"field": label, "code": ord(character)}
            )
    # Translatable labels, not ones built from the parameter names.
    future = {"served_on": _("Served on"), "in_house_on": _("In house on")}
    for key, label in future.items():
        value = params.get(key)
        if value is not None and value > today:
            reasons.append(
                _("%(field)s cannot be in the future (%(value)s).")
                % {"field": label, "value": short_date(value)}
            )
    if name == "withdraw_notice" and not (params.get("reason") or "").strip():
        reasons.append(_("Give a reason for withdrawing the notice."))
    return reasons


def _with_defaults(transition: Transition, params: dict, today: date) -> dict:
    accepted = set(transition.custom["params"])
    unexpected = set(params) - accepted
    if unexpected:
        raise TypeError(f"{transition.name}() does not take {', '.join(sorted(unexpected))}")
    values = {key: params.get(key) for key in accepted}
    for key in ("served_on", "in_house_on"):
        if key in accepted and values[key] is None:
            values[key] = today
    return values


def apply_transition(
    process: OutsourcedProcess,
    name: str,
    actor: AuthUser,
    *,
    note: str = "",
    notice: ExitNotice | None = None,
    **params: Any,
) -> OutsourcedProcess:
    """Fire one transition atomically on the locked row and record exactly one event.

    Serving notice puts the process in the scope of a contract notice: `notice` when the
    contract-level service serves it (transition/services/notices.py), else the one the
    process joins or a new one naming it (notice_records.py). The event links the notice.

    Raises UnknownTransition, PermissionDenied, or TransitionBlocked (with `.reasons`).
    """
    transition = _transition_named(name)
    today = local_today()
    values = _with_defaults(transition, params, today)
    try:
        with transaction.atomic():
            if name in NOTICE_TRANSITIONS:
                lock_notices_of(process)  # the contract's lock comes first (deadlocks)
            # The row lock serialises simultaneous attempts: the losers read the new state
            # and are blocked with a reason instead of writing a second event.
            locked = (
                OutsourcedProcess.objects.select_for_update(of=("self",))
                .select_related("contract", "exit_notice")
                .get(pk=process.pk)
            )
            if not transition.has_perm(locked, actor):
                raise PermissionDenied(_("You do not have permission to do this."))
            if locked.state != transition.source:
                raise TransitionBlocked([_state_reason(transition, locked.state)])
            # The guards read the plan as it stands under the lock, in this transaction.
            load_guard_inputs([locked], transition=transition)
            reasons = unmet_reasons(locked, guards_of(transition))
            reasons += _param_reasons(name, values, today, note)
            if name == "serve_exit_notice":
                # Expiry as of today is a guard; early notice would be void (notice window).
                window = locked.contract.notice_window_reason(values["served_on"])
                reasons += [window] if window else []
            if reasons:
                raise TransitionBlocked(reasons)
            source = locked.state
            previous_notice = locked.exit_notice
            if name == "serve_exit_notice":
                notice = notice or notice_for_process(
                    process=locked, served_on=values["served_on"], actor=actor
                )
                # A process joining a notice counts from the day that notice was received.
                values.update(notice=notice, served_on=notice.served_on)
            getattr(locked, name)(**values)
            locked._history_user = actor
            locked.save()
            ProcessEvent.objects.create(
                process=locked,
                transition=name,
                source=source,
                target=locked.state,
                actor=actor,
                note="\n\n".join(filter(None, [values.get("reason"), note.strip()])),
                notice=notice or previous_notice,
            )
            if name == "withdraw_notice" and previous_notice is not None:
                close_notice_if_empty(
                    notice=previous_notice, reason=values["reason"], actor=actor, today=today
                )
            # notice, exit, assistance and exit-plan reminders follow
            announce_deadlines_changed(OutsourcedProcess, [locked.pk])
    except ConcurrentTransition:
        # Another writer changed the state between our read and write (possible only where
        # the database ignores row locks); the state we read is no longer true.
        _copy_state(process, OutsourcedProcess.objects.get(pk=process.pk))
        raise TransitionBlocked(
            [_("Someone else changed this process at the same moment; reload and try again.")]
        ) from None
    _copy_state(process, locked)
    # Saved, and flagged when it came in-house before the exit date without a reason.
    process.schedule_warnings = process_findings(
        Plan(
            exit_date=locked.exit_date,
            in_house_on=locked.in_house_on,
            early_completion_reason=locked.early_completion_reason,
        )
    )
    return process


def _copy_state(process: OutsourcedProcess, stored: OutsourcedProcess) -> None:
    """Bring the caller's instance up to date with the stored row.

    django-fsm-2's refresh_from_db() unprotects the state field on the shared model class
    for a moment, which another thread could trip over; writing the instance dict does not.
    """
    for model_field in OutsourcedProcess._meta.concrete_fields:
        name = model_field.attname
        process.__dict__[name] = stored.__dict__[name]
    process._update_initial_state()
