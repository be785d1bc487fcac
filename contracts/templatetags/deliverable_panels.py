"""The termination-assistance checklist as a section of the contract page and of the page
of each process under notice (the process's page belongs to the app above this one, which
asks for the section by tag with the process's notice id)."""

from django import template

from core.clock import local_today

from ..rules import EDIT_DELIVERABLE
from ..selectors.deliverables import contract_checklists, notice_checklist

register = template.Library()


def _editable(user, checklists) -> list:
    """(checklist, whether `user` may edit its deliverables), one rule check per notice."""
    signed_in = bool(user and user.is_authenticated and user.is_active)
    return [
        (checklist, signed_in and user.has_perm(EDIT_DELIVERABLE, checklist.notice))
        for checklist in checklists
    ]


@register.inclusion_tag("contracts/partials/deliverables_contract.html", takes_context=True)
def contract_deliverables(context, contract, notices):
    """Per notice of the contract (the page's `notices`), its deliverables with status, due
    date, owner and overdue flagged."""
    today = local_today()
    for notice in notices:
        notice.contract = contract  # the page's row: the assistance end reads its terms
    return {
        "contract": contract,
        "checklists": _editable(context.get("user"), contract_checklists(notices, today)),
        "today": today,
        "request": context.get("request"),
    }


@register.inclusion_tag("contracts/partials/deliverables_process.html", takes_context=True)
def notice_deliverables(context, process):
    """The "Termination assistance" card: the deliverables of the notice a process is under
    (`process.exit_notice`, joined by the page's selector, as its contract is)."""
    today = local_today()
    notice = process.exit_notice if process.exit_notice_id else None
    if notice is not None:
        notice.contract = process.contract
    checklist = notice_checklist(notice, today)
    checklists = _editable(context.get("user"), [checklist] if checklist else [])
    return {
        "entry": checklists[0] if checklists else None,
        "today": today,
        "request": context.get("request"),
    }
