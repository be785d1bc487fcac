"""Forms of termination-assistance deliverables; their views save through
contracts.services_deliverables, which holds the rules (a due date before notice…)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .forms import DATE_INPUT, UserChoiceField
from .models import Deliverable
from .models.deliverables import EVIDENCE_EXTENSIONS
from .selectors import contract_owner_choices


class DeliverableForm(forms.ModelForm):
    """What is owed, by when, and who on our side follows it up."""

    owner = UserChoiceField(
        label=_("Owner (our side)"), queryset=contract_owner_choices(), required=False
    )

    class Meta:
        model = Deliverable
        fields = ["title", "category", "due_date", "owner", "description"]
        widgets = {"due_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class DeliverableRecordForm(forms.Form):
    """Record what the provider sent and what we made of it."""

    status = forms.ChoiceField(label=_("Status"), choices=Deliverable.Status.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Needed once received, accepted or rejected."),
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)
    acceptance_note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why it was accepted, rejected or waived."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.CONTRACT_DOCUMENT_MAX_BYTES // 1_048_576
        self.fields["evidence"].help_text = _("%(extensions)s; at most %(limit)s MB.") % {
            "extensions": ", ".join(EVIDENCE_EXTENSIONS),
            "limit": limit,
        }
        self.fields["evidence"].widget.attrs["accept"] = ",".join(
            f".{ext}" for ext in EVIDENCE_EXTENSIONS
        )

    @classmethod
    def for_deliverable(cls, deliverable: Deliverable, *args, **kwargs):
        initial = {
            "status": deliverable.status,
            "received_on": deliverable.received_on,
            "acceptance_note": deliverable.acceptance_note,
        }
        return cls(*args, initial=initial, **kwargs)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("evidence"):
            data.pop("evidence", None)
        return data
