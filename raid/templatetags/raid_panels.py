"""Sections the RAID log adds to pages of the transition app (docs/architecture.md).

The transition app sits below this one and cannot import it: its process and programme
pages include `raid/partials/*.html`, which ask for the section by tag.
"""

from django import template
from django.urls import reverse
from rules import has_perm

from core.clock import local_today

from .. import selectors
from ..models import HIGH_RISK_SCORE
from ..rules import EDIT_RAID

register = template.Library()

EDIT_PROGRAMME = "transition.edit_programme"


def _may(user, perm: str, obj=None) -> bool:
    """Asks the rule directly, as the `can` tag does (no permission-table queries)."""
    return bool(user and user.is_authenticated and user.is_active and has_perm(perm, user, obj))


@register.inclusion_tag("raid/partials/_process_summary.html", takes_context=True)
def process_raid_summary(context, process):
    """Open items of the process by kind, open high risks and overdue items, with links."""
    user = context.get("user")
    return {
        "process": process,
        "summary": selectors.process_summary(process, local_today()),
        "can_edit": _may(user, EDIT_RAID, process),
        "high_score": HIGH_RISK_SCORE,
    }


@register.inclusion_tag("raid/partials/_heat_map.html", takes_context=True)
def programme_heat_map(context, programme):
    """The programme's 5 × 5 heat map of open risks (its own and its processes')."""
    user = context.get("user")
    return {
        "programme": programme,
        "heat_map": selectors.programme_heat_map(programme),
        "can_edit": _may(user, EDIT_PROGRAMME),
        "high_score": HIGH_RISK_SCORE,
    }


@register.simple_tag
def heat_cell_url(programme, cell) -> str:
    """The RAID list narrowed to the open risks of one heat map cell."""
    return (
        f"{reverse('raid:item_list')}?programme={programme.pk}&kind=risk&open=true"
        f"&probability={cell.probability}&impact={cell.impact}"
    )


BAND_CLASSES = {"high": "table-danger", "medium": "table-warning", "low": "table-success"}


@register.filter
def band_class(band: str) -> str:
    """The Bootstrap table-cell class of a score band (no inline style: strict CSP)."""
    return BAND_CLASSES.get(band, "")


@register.filter
def band_badge(band: str) -> str:
    return {"high": "text-bg-danger", "medium": "text-bg-warning", "low": "text-bg-success"}.get(
        band, "text-bg-secondary"
    )
