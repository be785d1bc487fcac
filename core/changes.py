"""A changed field's value written for people, as the pages show it.

History entries and import previews say "GBP 2,750,000.00 → GBP 2,800,000.00" and
"28 Feb 2025 → 28 Feb 2026", not the stored "2750000.00" or "2025-02-28": amounts with
their row's currency (to the cent, so that a small change still shows), dates as every
page writes them (core/formats.py), choices by their label, people and other rows by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .formats import SHORT_DATE, short_date

EMPTY = "—"
# Amounts are stored as DecimalField(max_digits=14, decimal_places=2) beside a `currency`
# field (docs/money.md); percentages and KPI values have other shapes.
MONEY_SHAPE = (14, 2)


def is_money(field: models.Field) -> bool:
    """An amount whose currency is its row's `currency` field."""
    if not isinstance(field, models.DecimalField):
        return False
    if (field.max_digits, field.decimal_places) != MONEY_SHAPE:
        return False
    try:
        field.model._meta.get_field("currency")
    except FieldDoesNotExist:
        return False
    return True


def exact_money(amount: Decimal, currency: str) -> str:
    """`GBP 2,750,000.00`: to the cent, as a change must be shown."""
    return f"{currency} {intcomma(f'{Decimal(amount):.2f}')}".strip()


def person_or_name(obj: object) -> str:
    """A person by full name (as the tables show them), anything else as it names itself."""
    full_name = getattr(obj, "get_full_name", None)
    if callable(full_name):
        return full_name() or obj.get_username()  # type: ignore[attr-defined]
    return str(obj)


def field_display(field: models.Field, value: object, *, currency: str = "") -> str:
    """`value` of `field` for people; a foreign key's value is the related object itself."""
    if value is None or value == "":
        return EMPTY
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), f"{SHORT_DATE} H:i")
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, Decimal) and is_money(field):
        return exact_money(value, currency)
    if field.is_relation:
        return person_or_name(value)
    return str(value)


def stored_display(field: models.Field, stored: str, *, currency: str = "") -> str:
    """A value that was written out as text (a history delta's) read back and shown."""
    if stored in (None, "", "None"):
        return EMPTY
    if field.is_relation or field.choices:
        return field_display(field, stored, currency=currency)
    try:
        value = field.to_python(stored)
    except (ValidationError, InvalidOperation, TypeError, ValueError):
        return str(stored)
    return field_display(field, value, currency=currency)


@dataclass(frozen=True)
class FieldChange:
    """One field of a row changed: its name (a column, or a field's label) and both values."""

    field: str
    old: str
    new: str
