"""Forms of the register; their views save through contracts.services."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.fields import PersonChoiceField
from core.text import validate_plain_text

from .codes import country_choices, currency_choices, holiday_country_choices
from .models import Contract, ContractDocument, ServiceProvider
from .selectors import contract_owner_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A person, named as the tables name them (accounts/fields.py).
UserChoiceField = PersonChoiceField


class ProviderForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = ServiceProvider
        fields = ServiceProvider.INPUT_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]


class ContractForm(forms.ModelForm):
    """The terms of a contract; the model's clean() checks them against the date engine."""

    owner = UserChoiceField(label=_("Owner"), queryset=contract_owner_choices())
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)
    governing_country = forms.ChoiceField(
        label=_("Governing country"),
        required=False,
        help_text=Contract._meta.get_field("governing_country").help_text,
    )

    class Meta:
        model = Contract
        fields = Contract.INPUT_FIELDS
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "renewal": forms.RadioSelect,
            "governing_subdivision": forms.TextInput(
                attrs={"placeholder": "GB-SCT", "autocapitalize": "characters"}
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governing_country"].choices = [
            ("", _("None (weekends only)")),
            *holiday_country_choices(),
        ]
        self.fields["provider"].queryset = ServiceProvider.objects.only("pk", "name")
        self.fields["provider"].empty_label = _("Choose a provider")
        if not self.instance.pk:
            self.initial.setdefault("currency", settings.DEFAULT_CURRENCY)
            if user is not None:
                self.initial.setdefault("owner", user.pk)
        for name in ("annual_value", "termination_fee"):
            self.fields[name].widget.attrs.update({"step": "0.01", "min": "0"})
        self.fields["renewal_term_months"].help_text = _("Required for automatic renewal.")
        self.fields["notice_method"].choices = [
            ("", _("Not specified")),
            *Contract.NoticeMethod.choices,
        ]
        self.fields["notice_transit_days"].required = False
        self.fields["annual_indexation"].required = False

    def clean_notice_transit_days(self):
        # Left empty means none: notice arrives the day it is sent.
        return self.cleaned_data.get("notice_transit_days") or 0

    def clean_annual_indexation(self):
        # Left empty means a fixed price.
        return self.cleaned_data.get("annual_indexation") or Decimal(0)


class ExitDateForm(forms.Form):
    """The calculator's one input; a date the engine cannot handle is a message, not a 500."""

    served_on = forms.DateField(
        label=_("Notice served on"),
        widget=DATE_INPUT,
        error_messages={
            "invalid": _("Enter a real date, e.g. 2027-03-31."),
            "required": _("Enter the day notice would be received."),
        },
    )


class ContractDocumentForm(forms.ModelForm):
    class Meta:
        model = ContractDocument
        fields = ["title", "file"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        extensions = ", ".join(settings.CONTRACT_DOCUMENT_EXTENSIONS)
        limit = settings.CONTRACT_DOCUMENT_MAX_BYTES // 1_048_576
        self.fields["file"].help_text = _("%(extensions)s; at most %(limit)s MB.") % {
            "extensions": extensions,
            "limit": limit,
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{ext}" for ext in settings.CONTRACT_DOCUMENT_EXTENSIONS
        )


class NoticeLetterForm(forms.Form):
    """What the notice letter needs besides the contract: the day the provider receives the
    notice, the processes it ends (none: the whole contract) and who signs. The exit date
    is the date engine's."""

    MAX_PROCESSES = 200

    served_on = forms.DateField(
        label=_("Notice received on"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": _("Enter a real date as YYYY-MM-DD, e.g. 2027-03-31."),
            "required": _("Enter the day the provider receives the notice."),
        },
    )
    processes = forms.Field(label=_("Processes"), required=False, widget=forms.MultipleHiddenInput)
    signatory_name = forms.CharField(
        label=_("Signatory"), max_length=200, required=False, validators=[validate_plain_text]
    )
    signatory_role = forms.CharField(
        label=_("Signatory's role"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
    )

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract

    def clean_processes(self) -> list[str]:
        """The names, by name, of the processes given by id; each must be under the contract."""
        values = list(dict.fromkeys(self.cleaned_data["processes"] or []))
        if len(values) > self.MAX_PROCESSES:
            raise ValidationError(
                _("Name at most %(limit)s processes."), params={"limit": self.MAX_PROCESSES}
            )
        not_ids = [value for value in values if not (value.isascii() and value.isdigit())]
        if not_ids:
            raise ValidationError(
                _("Processes are given by number; these are not: %(values)s."),
                params={"values": ", ".join(not_ids)},
            )
        ids = [int(value) for value in values]
        # A number past the database's integer range names no row, and would not bind.
        in_range = [pk for pk in ids if pk < 2**63]
        found = dict(
            self.contract.processes.filter(pk__in=in_range)
            .order_by("name")
            .values_list("pk", "name")
        )
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise ValidationError(
                _("These processes are not under contract %(reference)s: %(ids)s."),
                params={"reference": self.contract.reference, "ids": ", ".join(missing)},
            )
        return list(found.values())

    def clean(self):
        cleaned = super().clean()
        served_on = cleaned.get("served_on")
        if served_on is not None:
            try:
                cleaned["exit_date"] = exit_date = self.contract.exit_date_if_served(served_on)
                self.contract.assistance_end(exit_date)
            except (ValueError, OverflowError):
                # The engine's arithmetic stops at year 9999.
                self.add_error("served_on", _("That date is too far in the future to calculate."))
        return cleaned
