"""Forms of the register; their views save through contracts.services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .codes import country_choices, currency_choices, holiday_country_choices
from .models import Contract, ContractDocument, ServiceProvider
from .selectors import contract_owner_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ProviderForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = ServiceProvider
        fields = ServiceProvider.INPUT_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

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
