"""Serving and withdrawing exit notice on a contract: one way in, all or nothing.

A notice is a legal act on a contract (contracts.ExitNotice). Serving it moves every
process in its scope from outsourced to exit notice through `apply_transition`, in one
transaction: every process moves, with one event each linked to the notice, or nothing is
written. The contract row is locked first, so simultaneous notices on one contract are
served one after the other and the later ones see the processes already under notice
(docs/domain.md, "Exit notice").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from contracts.models import Contract, ExitNotice
from contracts.services_deliverables import deliverables_apply, deliverables_close_on_withdrawal
from core.clock import local_today
from core.formats import short_date
from core.services import require_perm
from core.types import AuthUser

from ..models import OutsourcedProcess
from .notice_records import served_on_reasons
from .workflow import TransitionBlocked, apply_transition

SERVE_NOTICE = "transition.serve_exit_notice"
WITHDRAW_NOTICE = "transition.withdraw_notice"


@transaction.atomic
def notice_serve(
    *,
    actor: AuthUser,
    contract: Contract,
    served_on: date,
    processes: Sequence[int] | None = None,
    method: str = "",
    dispatched_on: date | None = None,
    recipient: str = "",
    signed_by: str = "",
    note: str = "",
    proof: UploadedFile | None = None,
) -> ExitNotice:
    """Serve notice on a contract: on the whole of it, or on the named processes under it.

    Raises PermissionDenied, ValidationError (naming the field: served_on, dispatched_on,
    processes, method, proof…) or TransitionBlocked (each reason naming its process).
    """
    require_perm(actor, SERVE_NOTICE)
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    today = local_today()
    errors: dict[str, list[str]] = {}
    reasons = served_on_reasons(locked, served_on)
    if served_on > today:
        reasons.insert(
            0,
            _("Notice cannot be received in the future (%(date)s).")
            % {"date": short_date(served_on)},
        )
    if reasons:
        errors["served_on"] = reasons
    under_contract = {
        process.pk: process
        for process in OutsourcedProcess.objects.filter(contract=locked).order_by("name", "pk")
    }
    if processes:
        scope = ExitNotice.Scope.PROCESSES
        wanted = list(dict.fromkeys(int(pk) for pk in processes))
        foreign = [pk for pk in wanted if pk not in under_contract]
        if foreign:
            names = ", ".join(
                str(p) for p in OutsourcedProcess.objects.filter(pk__in=foreign).order_by("pk")
            ) or ", ".join(str(pk) for pk in foreign)
            errors.setdefault("processes", []).append(
                _("Not under contract %(ref)s: %(names)s.")
                % {"ref": locked.reference, "names": names}
            )
        in_scope = [under_contract[pk] for pk in wanted if pk in under_contract]
    else:
        scope = ExitNotice.Scope.WHOLE
        in_scope = [p for p in under_contract.values() if p.exit_notice_id is None]
        whole = ExitNotice.objects.active().filter(contract=locked, scope=scope).first()
        if whole is not None:
            errors.setdefault("processes", []).append(
                _("Contract %(ref)s is already under notice, received %(date)s.")
                % {"ref": locked.reference, "date": short_date(whole.served_on)}
            )
        elif under_contract and not in_scope:
            errors.setdefault("processes", []).append(
                _("Every process under contract %(ref)s is already under notice.")
                % {"ref": locked.reference}
            )
    for process in in_scope:
        if process.exit_notice_id is not None:
            errors.setdefault("processes", []).append(
                _("%(process)s is already under notice received %(date)s.")
                % {"process": process, "date": short_date(process.notice_served_on)}
            )
    if dispatched_on is not None and dispatched_on > served_on:
        errors["dispatched_on"] = [
            _("Notice cannot be dispatched (%(sent)s) after it is received (%(received)s).")
            % {"sent": short_date(dispatched_on), "received": short_date(served_on)}
        ]
    if errors:
        raise ValidationError(errors)
    notice = ExitNotice(
        contract=locked,
        scope=scope,
        served_on=served_on,
        dispatched_on=dispatched_on,
        method=method,
        recipient=recipient,
        signed_by=signed_by,
        exit_date=locked.exit_date_if_served(served_on),
        note=note,
        served_by=actor,
    )
    if proof is not None:
        notice.proof = proof
    notice.full_clean()
    # The proof is stored last, once every process has moved: a rollback takes back rows,
    # not files, so a refused notice must not have put one in storage.
    notice.proof = ""
    notice._history_user = actor  # type: ignore[attr-defined]  # simple-history hook
    notice.save()
    blocked: list[str] = []
    for process in in_scope:
        try:
            apply_transition(
                process, "serve_exit_notice", actor, served_on=served_on, note=note, notice=notice
            )
        except TransitionBlocked as refused:
            blocked += [f"{process}: {reason}" for reason in refused.reasons]
    if blocked:
        raise TransitionBlocked(blocked)  # the whole notice rolls back with this transaction
    # The termination-assistance checklist, due from this notice's dates.
    deliverables_apply(notice=notice, actor=actor)
    if proof is not None:
        notice.proof = proof
        notice.save(update_fields=["proof"])
    return notice


@transaction.atomic
def notice_withdraw(
    *,
    actor: AuthUser,
    notice: ExitNotice,
    reason: str,
    provider_agreed: bool | None = None,
    withdrawn_on: date | None = None,
) -> ExitNotice:
    """Withdraw a notice in force: its processes go back to outsourced, the record stays."""
    require_perm(actor, WITHDRAW_NOTICE)
    # The contract's lock first, as every write to its notices takes it (lock_notices_of).
    Contract.objects.select_for_update().get(pk=notice.contract_id)
    locked = ExitNotice.objects.select_for_update().select_related("contract").get(pk=notice.pk)
    today = local_today()
    withdrawn_on = withdrawn_on or today
    errors: dict[str, list[str]] = {}
    if not locked.is_active:
        errors["withdrawn_on"] = [
            _("This notice was already withdrawn on %(date)s.")
            % {"date": short_date(locked.withdrawn_on or locked.served_on)}
        ]
    if not reason.strip():
        errors["withdrawal_reason"] = [_("Give a reason for withdrawing the notice.")]
    if withdrawn_on > today or withdrawn_on < locked.served_on:
        errors.setdefault("withdrawn_on", []).append(
            _("A withdrawal is dated between the notice (%(served)s) and today.")
            % {"served": short_date(locked.served_on)}
        )
    if errors:
        raise ValidationError(errors)
    # Recorded before the processes move, so the last one's withdrawal finds the notice
    # closed already and leaves the date, reason and signatory given here.
    locked.withdrawn_on = withdrawn_on
    locked.withdrawal_reason = reason.strip()
    locked.withdrawn_by = actor
    locked.provider_agreed = provider_agreed
    locked.full_clean()
    locked._history_user = actor  # type: ignore[attr-defined]  # simple-history hook
    locked.save()
    blocked: list[str] = []
    for process in OutsourcedProcess.objects.filter(exit_notice=locked).order_by("name", "pk"):
        try:
            apply_transition(process, "withdraw_notice", actor, reason=reason.strip())
        except TransitionBlocked as refused:
            blocked += [f"{process}: {r}" for r in refused.reasons]
    if blocked:
        raise TransitionBlocked(blocked)  # the withdrawal rolls back with this transaction
    # Nothing is owed any more: what was still open is waived, noting the withdrawal.
    deliverables_close_on_withdrawal(notice=locked, actor=actor)
    return locked
