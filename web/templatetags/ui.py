"""Formatting and list helpers shared by every page: money, dates, days left, sorting."""

from datetime import date
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

from contracts.models import local_today

register = template.Library()

RAG_CLASSES = {"red": "danger", "amber": "warning", "green": "success"}
STATE_CLASSES = {
    "outsourced": "secondary",
    "exit_notice": "warning",
    "transition": "primary",
    "in_house": "success",
}


@register.filter
def money(value, currency=""):
    """`EUR 1,250,000` — whole units, thousands separated; a dash when unknown."""
    if value in (None, ""):
        return "—"
    amount = intcomma(f"{Decimal(value):.0f}")
    return f"{currency} {amount}".strip()


@register.filter
def day(value):
    """`24 Nov 2026`, the one date format of every page."""
    if not value:
        return "—"
    return value.strftime("%-d %b %Y")


@register.filter
def days_left(value: date | None, on: date | None = None):
    """Days from today until `value` (negative when past)."""
    if not value:
        return None
    return (value - (on or local_today())).days


@register.filter
def days_left_label(value: date | None):
    days = days_left(value)
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


@register.simple_tag
def rag_badge(rag: str):
    label = {"red": "Red", "amber": "Amber", "green": "Green"}.get(rag, rag)
    return format_html(
        '<span class="badge text-bg-{}" title="RAG status">{}</span>',
        RAG_CLASSES.get(rag, "secondary"),
        label,
    )


@register.simple_tag
def state_badge(process):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATE_CLASSES.get(process.state, "secondary"),
        process.get_state_display(),
    )


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with `changes` applied (None removes a key); keeps filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("partials/_sort_header.html", takes_context=True)
def sort_header(context, field: str, label: str):
    """A column header that sorts by `field`, toggling ascending/descending."""
    current = context["request"].GET.get("sort", "")
    descending = current == f"-{field}"
    active = current in (field, f"-{field}")
    return {
        "request": context["request"],
        "label": label,
        "next_sort": field if descending or not active else f"-{field}",
        "active": active,
        "descending": descending,
    }
