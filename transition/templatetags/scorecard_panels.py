"""The scorecard card of a process's page (templates/transition/partials/scorecard_card.html)."""

from django import template
from rules import has_perm

from core.clock import local_today

from ..selectors.scorecard import (
    SCORECARD_ROWS,
    format_value,
    process_kpis_in_one_query,
    scorecard_cards,
)
from ..services.scorecard import EDIT_SCORECARD

register = template.Library()


@register.filter
def kpi_value(value, unit: str = "") -> str:
    """`98.9 %`: a KPI's value as the gate's messages write it (no trailing zeros)."""
    return "—" if value is None else format_value(value, unit)


@register.inclusion_tag("transition/partials/scorecard_summary.html", takes_context=True)
def process_scorecard_card(context, process):
    """Each KPI's latest actual, RAG and streak; the KPIs the `complete` guard loaded are
    used when present, else read (one query)."""
    user = context.get("user")
    kpis = getattr(process, SCORECARD_ROWS, None)
    if kpis is None:
        kpis = process_kpis_in_one_query(process)
    return {
        "process": process,
        "cards": scorecard_cards(kpis, local_today()),
        "can_edit": bool(
            user and user.is_authenticated and has_perm(EDIT_SCORECARD, user, process)
        ),
    }
