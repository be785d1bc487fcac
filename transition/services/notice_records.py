"""The notice records behind the workflow: which notice a process joins, when one counts,
and closing a notice whose processes were all withdrawn (docs/domain.md, "Exit notice").

Used by `apply_transition` (workflow.py) and by the contract-level services (notices.py).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from contracts.models import Contract, ExitNotice
from contracts.services_deliverables import deliverables_apply, deliverables_close_on_withdrawal
from core.formats import short_date
from core.types import AuthUser

from ..models import OutsourcedProcess


def served_on_reasons(contract: Contract, served_on: date) -> list[str]:
    """Why notice received on `served_on` cannot end the contract, naming the dates."""
    reasons = []
    if contract.term_status(served_on) == "expired" or served_on < contract.start_date:
        reasons.append(
            _("Contract %(ref)s is not running on %(date)s (it runs %(start)s to %(end)s).")
            % {
                "ref": contract.reference,
                "date": short_date(served_on),
                "start": short_date(contract.start_date),
                "end": short_date(contract.current_term_end(served_on)),
            }
        )
    window = contract.notice_window_reason(served_on)
    if window:
        reasons.append(window)
    return reasons


def lock_notices_of(process: OutsourcedProcess) -> None:
    """Take the row lock of the process's contract, under which its notices change.

    Every write to a contract's notices takes this lock first, before any process or notice
    row: `notice_serve` and `notice_withdraw`, and `apply_transition` serving or withdrawing
    on a process page. Taken in any other order, a contract-level notice holding the
    contract and waiting for a process would deadlock against a process page holding that
    process and waiting for the contract.
    """
    list(Contract.objects.select_for_update(of=("self",)).filter(processes=process.pk))


def notice_for_process(
    *, process: OutsourcedProcess, served_on: date, actor: AuthUser
) -> ExitNotice:
    """The contract's notice a process served on its own page joins, or a new one naming it.

    It joins a notice of the whole contract still in force (the contract is ending anyway),
    or one naming processes received the same day (the same letter); otherwise a notice
    naming this process alone is recorded.
    """
    contract = Contract.objects.select_for_update().get(pk=process.contract_id)
    active = ExitNotice.objects.active().filter(contract=contract)
    notice = (
        active.filter(scope=ExitNotice.Scope.WHOLE).first()
        or active.filter(scope=ExitNotice.Scope.PROCESSES, served_on=served_on).first()
    )
    if notice is not None:
        return notice
    notice = ExitNotice(
        contract=contract,
        scope=ExitNotice.Scope.PROCESSES,
        served_on=served_on,
        method=contract.notice_method,
        exit_date=contract.exit_date_if_served(served_on),
        served_by=actor,
    )
    notice.full_clean()
    notice.save()
    # A notice recorded here owes the same termination assistance as one served on the
    # contract page (docs/exit-management.md).
    deliverables_apply(notice=notice, actor=actor)
    return notice


def close_notice_if_empty(*, notice: ExitNotice, reason: str, actor: AuthUser, today: date) -> None:
    """A notice whose last process was withdrawn is itself withdrawn, with the same reason."""
    if notice.is_active and not OutsourcedProcess.objects.filter(exit_notice=notice).exists():
        notice.withdrawn_on = max(today, notice.served_on)
        notice.withdrawal_reason = reason.strip() or _("Every process was withdrawn.")
        notice.withdrawn_by = actor
        notice._history_user = actor  # type: ignore[attr-defined]  # simple-history hook
        notice.save(update_fields=["withdrawn_on", "withdrawal_reason", "withdrawn_by"])
        deliverables_close_on_withdrawal(notice=notice, actor=actor)
