"""Cells in, cells out: clear messages for bad cells, natural keys resolved from one query per
import (the widgets every app's import-export resources use, docs/import-export.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import widgets

DEPENDENCY_SEPARATOR = ";"


def text(value) -> str:
    """A cell as trimmed text ("" for empty cells, whole numbers without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class IsoDateWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD (spreadsheet date cells are accepted as they are)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        value = text(value)
        if not value:
            return None
        try:
            return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}
            ) from None


def iso_key(value) -> str:
    """A date cell as YYYY-MM-DD when it reads as a date, else its text: how a date that is
    part of a row's natural key (a notice's received day, a KPI actual's period) is compared."""
    try:
        day = IsoDateWidget().clean(value)
    except ValueError:
        return text(value)
    return day.isoformat() if day else ""


class NumberCleanMixin:
    """Turns the decimal module's errors into the ValueError import-export reports by column."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text(value)}) from None


class DecimalWidget(NumberCleanMixin, widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        result = super().clean(value, row=row, **kwargs)
        if result is not None and not result.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text(value)})
        return result

    def render(self, value, obj=None, **kwargs):
        # Plain digits with a dot: a localised thousands separator would not import back.
        if isinstance(value, Decimal) and not kwargs.get("force_native_type"):
            return str(value)
        return super().render(value, obj, **kwargs)


class IntegerWidget(NumberCleanMixin, widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and "." in value and value.strip().rstrip("0").endswith("."):
            value = value.strip().rstrip("0").rstrip(".")
        result = super().clean(value, row=row, **kwargs)
        if result is not None and text(value) and Decimal(text(value)) != result:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text(value)})
        return result

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, int) and not kwargs.get("force_native_type"):
            return str(value)
        return super().render(value, obj, **kwargs)


class BooleanWidget(widgets.BooleanWidget):
    """Accepts 1/0, true/false and yes/no; anything else is an error, not a silent False."""

    TRUE_TEXT = {"1", "true", "yes", "y"}
    FALSE_TEXT = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        word = text(value).lower()
        if word in self.TRUE_TEXT:
            return True
        if word in self.FALSE_TEXT or word == "":
            return False
        raise ValueError(_("“%(value)s” is not yes or no (use 1 or 0).") % {"value": text(value)})


class ChoiceWidget(widgets.CharWidget):
    """A choice by its stored value or its label, in any case; exported as the value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.lookups: dict[str, dict[str, object]] = {}

    def lookup(self) -> dict[str, object]:
        """Values and labels (in the active language) to values, built once per language:
        translating every label for every cell of a 10,000-row import costs seconds."""
        language = get_language() or ""
        if language not in self.lookups:
            lookup: dict[str, object] = {}
            for key, label in self.choices:
                lookup[str(key).lower()] = key
                lookup[str(label).lower()] = key
            self.lookups[language] = lookup
        return self.lookups[language]

    def clean(self, value, row=None, **kwargs):
        word = text(value)
        if not word:
            return ""
        try:
            return self.lookup()[word.lower()]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": word, "choices": ", ".join(str(key) for key, _label in self.choices)}
            ) from None


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related object's natural key, looked up in one query."""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.cache = None

    def reset(self):
        self.cache = None

    def load(self) -> dict:
        return {text(getattr(obj, self.field)): obj for obj in self.model.objects.all()}

    def key(self, value, row) -> str | tuple:
        return text(value)

    def clean(self, value, row=None, **kwargs):
        key = self.key(value, row or {})
        if not key or key == ("", ""):
            return None
        if self.cache is None:
            self.cache = self.load()
        try:
            return self.cache[key]
        except KeyError:
            raise ValueError(self.missing_message(key)) from None

    def missing_message(self, key) -> str:
        return _("There is no %(model)s “%(value)s”.") % {
            "model": self.model._meta.verbose_name,
            "value": key,
        }

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return text(getattr(value, self.field))


def choice_or_text(value, choices) -> str:
    try:
        return ChoiceWidget(choices).clean(value)
    except ValueError:
        return text(value)  # the row's own validation reports the bad choice


def user_widget():
    return NaturalKeyWidget(get_user_model(), field="username")
