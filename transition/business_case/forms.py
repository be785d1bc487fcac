"""The form of a process's business-case inputs; the view saves it through
`transition.services.case_inputs_update` (docs/business-case.md)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ..models import BusinessCaseInputs

# (lowest, highest, unit) of each input, as the model's validators and constraints allow;
# the form says so in the field's own words rather than "Ensure this value is …".
BOUNDS: dict[str, tuple[Decimal | int, Decimal | int | None, str]] = {
    "labour_cost_growth": (Decimal(0), Decimal(100), "%"),
    "renegotiation_change": (Decimal(-100), Decimal(100), "%"),
    "go_live_month": (1, 360, ""),
    "dual_running_months": (0, 36, ""),
    **{name: (Decimal(0), None, "") for name in BusinessCaseInputs.MONEY_FIELDS},
}

LABELS = {
    "labour_cost_growth": _("Labour-cost growth (% a year)"),
    "renegotiation_change": _("Renegotiated price change (%)"),
    "go_live_month": _("In-house from month (1–360)"),
    "dual_running_months": _("Dual running (months, 0–36)"),
    "termination_fee": _("Termination fee"),
    "exit_assistance_cost": _("Exit-assistance cost"),
    "tupe_cost": _("TUPE one-off costs"),
    "stranded_cost": _("Stranded cost"),
}


def bound_messages(name: str, label: str) -> tuple[str, str]:
    """What input `name` says when below and above its range, naming the field (the API's
    serializer uses them too)."""
    low, high, unit = BOUNDS[name]
    if high is None:
        message = _("%(field)s cannot be negative.") % {"field": label}
    else:
        message = _("%(field)s must be between %(low)s%(unit)s and %(high)s%(unit)s.") % {
            "field": label,
            "low": low,
            "high": high,
            "unit": unit,
        }
    # Validators format their message with %-params: a literal "%" must be doubled.
    message = message.replace("%", "%%")
    return message, message


def bound_validators(name: str, label: str) -> list[MinValueValidator | MaxValueValidator]:
    low, high, _unit = BOUNDS[name]
    below, above = bound_messages(name, label)
    validators: list[MinValueValidator | MaxValueValidator] = [
        MinValueValidator(low, message=below)
    ]
    if high is not None:
        validators.append(MaxValueValidator(high, message=above))
    return validators


class BusinessCaseInputsForm(forms.ModelForm):
    """What a process's case assumes beyond its cost figures; money in the process's currency."""

    class Meta:
        model = BusinessCaseInputs
        fields = BusinessCaseInputs.INPUT_FIELDS
        labels = LABELS

    def __init__(self, *args, user=None, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            for name in BusinessCaseInputs.MONEY_FIELDS:
                field = self.fields[name]
                field.label = f"{field.label} ({currency})"
                field.help_text = _("%(help)s In %(currency)s, the process's currency.") % {
                    "help": field.help_text,
                    "currency": currency,
                }
        for name, field in self.fields.items():
            label = str(field.label)
            low, high, _unit = BOUNDS[name]
            field.validators.extend(bound_validators(name, label))
            field.widget.attrs["min"] = low
            if high is not None:
                field.widget.attrs["max"] = high
            field.error_messages["invalid"] = _("%(field)s: enter a number.") % {"field": label}
            field.error_messages["required"] = _("%(field)s: enter a value.") % {"field": label}

    def error_summary(self) -> list[str]:
        """Every error naming its field, for the alert at the top of the form."""
        summary = []
        for name, messages in self.errors.items():
            label = str(self.fields[name].label) if name in self.fields else ""
            for message in map(str, messages):
                named = not label or message.startswith(label)
                summary.append(message if named else f"{label}: {message}")
        return summary
