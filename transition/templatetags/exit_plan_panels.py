"""The exit-plan card of a process page (`partials/exit_plan_card.html` asks for it by tag),
so the process view needs no change: one query, the status annotation of the selector."""

from django import template
from rules import has_perm

from core.clock import local_today

from ..models import Rehearsal
from ..selectors import exit_plans as selectors
from ..services.exit_plans import EDIT_EXIT_PLAN, RECORD_REHEARSAL

register = template.Library()


@register.filter
def outcome_label(value: str) -> str:
    """ "Fail", "Partial", "Pass": a rehearsal outcome as the rehearsal pages name it."""
    return str(Rehearsal.Outcome(value).label) if value in Rehearsal.Outcome.values else value


def _may(user, perm: str, obj=None) -> bool:
    """Asks the rule directly, as the `can` tag does (no permission-table queries)."""
    return bool(user and user.is_authenticated and user.is_active and has_perm(perm, user, obj))


@register.inclusion_tag("transition/partials/exit_plan_card_body.html", takes_context=True)
def process_exit_plan_card(context, process):
    """ "Exit plan v2 approved 3 Mar 2026 · tested 12 Sep 2026 (partial), next test due …"."""
    today = context.get("today") or local_today()
    status = selectors.process_exit_status(process, today)
    user = context.get("user")
    return {
        "process": process,
        "status": status,
        "flags": selectors.flags(status, today),
        "today": today,
        "can_edit_plan": _may(user, EDIT_EXIT_PLAN, process),
        "can_rehearse": _may(user, RECORD_REHEARSAL, process),
    }
