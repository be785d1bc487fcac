"""Formatting and list helpers shared by every page: money, dates, days left, sorting."""

from datetime import date
from decimal import Decimal

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from moneyed import Money
from rules import has_perm as rules_has_perm

from core import formats
from core.clock import local_today
from core.formats import relative_day, short_date

register = template.Library()

RAG_CLASSES = {"red": "danger", "amber": "warning", "green": "success"}
CONTRACT_STATUS_CLASSES = {
    "not_started": "light border",
    "active": "success",
    "decision_due": "warning",
    "ending": "info",
    "expired": "secondary",
    "under_notice": "dark",
    "partly_under_notice": "primary",
}
STATE_CLASSES = {
    "outsourced": "secondary",
    "exit_notice": "warning",
    "transition": "primary",
    "in_house": "success",
}


@register.filter
def money(value, currency=""):
    """`EUR 1,250,000` — whole units, thousands separated; a dash when unknown.

    Takes a py-moneyed `Money` (which knows its currency) or an amount and its currency: an
    amount is never shown without one (docs/money.md).
    """
    if value in (None, ""):
        return "—"
    if isinstance(value, Money):
        value, currency = value.amount, value.currency.code
    return formats.money(value, currency)


@register.filter
def day(value):
    """`24 Nov 2026`, the one date format of every page."""
    if not value:
        return "—"
    return short_date(value)


@register.filter(expects_localtime=True)
def day_time(value):
    """`24 Nov 2026, 14:05`, `day` with the local time: when something happened."""
    if not value:
        return "—"
    return formats.short_date_time(value)


@register.filter
def month_year(value):
    """`Nov 2026`: a month of a plan, a business case or a scorecard period."""
    if not value:
        return "—"
    return formats.month_year(value)


@register.filter
def days_left(value: date | None, on: date | None = None):
    """Days from today until `value` (negative when past)."""
    if not value:
        return None
    return (value - (on or local_today())).days


@register.filter
def days_left_label(value: date | None):
    """ "in 7 days", "today", "3 days ago": the words reminders use too (core/formats.py)."""
    if not value:
        return ""
    return relative_day(value, local_today())


@register.simple_tag
def rag_badge(rag: str):
    label = {"red": _("Red"), "amber": _("Amber"), "green": _("Green")}.get(rag, rag)
    return format_html(
        '<span class="badge text-bg-{}" title="{}">{}</span>',
        RAG_CLASSES.get(rag, "secondary"),
        _("RAG status"),
        label,
    )


@register.simple_tag
def state_badge(process):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATE_CLASSES.get(process.state, "secondary"),
        process.get_state_display(),
    )


@register.simple_tag
def contract_status_badge(contract, on: date | None = None):
    """The status of a contract on `on` (today by default), as a badge: the date engine's,
    or under notice (`Contract.status()`); lists load `with_notice_state()` for it."""
    status = contract.status(on)
    return format_html(
        '<span class="badge status-badge text-bg-{}">{}</span>',
        CONTRACT_STATUS_CLASSES.get(status, "secondary"),
        contract.get_status_display(on),
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
    """A column header that sorts by `field`, toggling ascending/descending; with no `sort`
    asked, the list's default order (`RegisterListView.default_sort`) is the active one."""
    view = context.get("view")
    current = context["request"].GET.get("sort") or getattr(view, "default_sort", "")
    descending = current == f"-{field}"
    active = current in (field, f"-{field}")
    return {
        "request": context["request"],
        "label": label,
        "next_sort": field if descending or not active else f"-{field}",
        "active": active,
        "descending": descending,
    }


@register.simple_tag
def role_names(user) -> str:
    """The user's roles, reading the group names django-rules has already cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return ""
    # rules.is_group_member caches the names under this attribute; sharing it means the nav
    # costs no query of its own once a permission has been checked on the page.
    if not hasattr(user, "_group_names_cache"):
        user._group_names_cache = set(user.groups.values_list("name", flat=True))
    names = sorted(user._group_names_cache)
    if user.is_superuser:
        names.insert(0, "Administrator")
    return ", ".join(names)


@register.simple_tag(takes_context=True)
def nav_active(context, *names: str) -> bool:
    """Whether the current URL's namespace or view name is one of `names` (for the nav)."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return False
    return bool({match.view_name, match.namespace} & set(names))


@register.filter
def months(value) -> str:
    """`14.5 months`; a dash when there is no payback."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):.1f} months"


@register.filter
def bs_input(field, size: str = ""):
    """Render a bound field's widget with Bootstrap's class (form-select for selects)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select" + (f" form-select-{size}" if size else "")
    else:
        css = "form-control" + (f" form-control-{size}" if size else "")
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {css}".strip()}
    if field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def can(context, perm: str, obj=None) -> bool:
    """Whether the signed-in user holds the django-rules permission `perm` (on `obj`).

    Asks the rules set directly: every permission of this project is a rule, and going
    through user.has_perm would also run ModelBackend's two permission-table queries on
    every page for users the rule denies.
    """
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return rules_has_perm(perm, user, obj)


@register.filter
def page_links(page):
    """The page numbers a pager shows: the first and last, two either side of `page`, and
    `Paginator.ELLIPSIS` for each gap. Computed from the page count, never by looping over
    every page in the template (4,000 pages of milestones at dataset L cost 100 ms a
    request: docs/performance.md)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
