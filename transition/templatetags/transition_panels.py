"""Sections the transition app adds to pages of lower apps (docs/architecture.md).

The register's contract page lists the contract's processes and offers exit notice on it;
the contracts app cannot import this app (it sits below it), so its template asks for each
section by tag.
"""

from django import template
from rules import has_perm

from contracts import dates
from core.clock import local_today

from ..forms import NoticeServeForm, NoticeWithdrawForm
from ..selectors import contract_processes as contract_processes_selector
from ..selectors import with_notice_scope
from ..services.notices import SERVE_NOTICE, WITHDRAW_NOTICE

register = template.Library()


def _may(context, perm: str) -> bool:
    """Asks the rule directly, as the `can` tag does (no permission-table queries)."""
    user = context.get("user")
    return bool(user and user.is_authenticated and user.is_active and has_perm(perm, user))


@register.inclusion_tag("transition/partials/_contract_processes.html", takes_context=True)
def contract_processes(context, contract):
    return {
        "contract": contract,
        "processes": contract_processes_selector(contract),
        "perms": context.get("perms"),
        "user": context.get("user"),
        "request": context.get("request"),
    }


@register.inclusion_tag("transition/partials/_serve_notice.html", takes_context=True)
def serve_notice_button(context, contract):
    """ "Serve notice" and its dialog, for whoever may serve notice, while some of the
    contract is left to give notice on (not wholly under notice, not expired)."""
    offered = _may(context, SERVE_NOTICE) and contract.status(local_today()) not in (
        dates.STATUS_UNDER_NOTICE,
        dates.STATUS_EXPIRED,
    )
    form = NoticeServeForm(contract=contract, user=context.get("user")) if offered else None
    return {
        "contract": contract,
        "form": form,
        "preview": form.preview() if form else None,
        "blocked": (),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("transition/partials/_contract_notices.html", takes_context=True)
def contract_notices(context, contract, notices):
    """The contract's notices (from `contracts.selectors.contract_notices`) with the
    processes in their scope, proof and, for whoever may, a Withdraw dialog on each in force."""
    with_notice_scope(notices)
    may_withdraw = _may(context, WITHDRAW_NOTICE)
    in_force = [
        (
            notice,
            NoticeWithdrawForm.for_notice(notice) if may_withdraw else None,
        )
        for notice in notices
        if notice.is_active
    ]
    return {
        "contract": contract,
        "in_force": in_force,
        "withdrawn": [notice for notice in notices if not notice.is_active],
        "today": local_today(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
