"""Forms of programmes, processes and their plans; their views save through transition.services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.fields import PersonChoiceField, PersonMultipleChoiceField
from accounts.selectors import plan_owners
from contracts.codes import currency_choices
from contracts.models import PROOF_EXTENSIONS, Contract, ExitNotice
from core.clock import local_today
from core.formats import short_date
from core.text import validate_plain_text

from . import selectors
from .models import (
    Asset,
    ChangeFreeze,
    Milestone,
    OutsourcedProcess,
    Programme,
    ReadinessAssessment,
    StaffMember,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


# People, named as the tables name them (accounts/fields.py).
UserChoiceField = PersonChoiceField
UserMultipleChoiceField = PersonMultipleChoiceField


class ProcessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.programme} · {obj.name}"


def currency_field(*, inherits_from=None) -> forms.ChoiceField:
    """An ISO 4217 currency choice; optional when the row inherits its parent's currency."""
    if inherits_from is None:
        return forms.ChoiceField(label=_("Currency"), choices=currency_choices)
    return forms.ChoiceField(
        label=_("Currency"),
        required=False,
        choices=lambda: (
            [("", _("Same as the %(parent)s") % {"parent": inherits_from})] + currency_choices()
        ),
    )


class ProgrammeForm(forms.ModelForm):
    sponsor = UserChoiceField(label=_("Sponsor"), queryset=selectors.active_users(), required=False)
    currency = currency_field(inherits_from=_("reporting currency"))

    class Meta:
        model = Programme
        fields = Programme.INPUT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_INPUT,
            "target_date": DATE_INPUT,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_horizon_years"].required = False

    def clean_currency(self):
        return self.cleaned_data.get("currency") or settings.REPORTING_CURRENCY

    def clean_case_horizon_years(self):
        # Left empty: the company's default horizon (docs/business-case.md).
        horizon = self.cleaned_data.get("case_horizon_years")
        return settings.BUSINESS_CASE_HORIZON_YEARS if horizon is None else horizon


class ProcessForm(forms.ModelForm):
    """A process's details and business case; the state is never a form field."""

    owner = UserChoiceField(
        label=_("Owner"),
        queryset=selectors.operations_managers(),
        help_text=_("The operations manager accountable for this process."),
    )
    lead = UserChoiceField(
        label=_("Project lead"),
        queryset=selectors.project_leads(),
        required=False,
        help_text=_("Runs the transition; required before it can start."),
    )
    currency = currency_field(inherits_from=_("contract"))

    class Meta:
        model = OutsourcedProcess
        # The parallel-run gate (transition.selectors.scorecard) is set on the process too.
        fields = (*OutsourcedProcess.INPUT_FIELDS, "scorecard_gate_periods")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_in_house_date": DATE_INPUT,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.select_related("provider").order_by(
            "reference"
        )
        self.fields["contract"].label_from_instance = lambda c: f"{c.reference} · {c.provider}"
        # A process keeps its owner and lead even if they have since changed role.
        self.fields["owner"].queryset = selectors.operations_managers(also=self.instance.owner_id)
        self.fields["lead"].queryset = selectors.project_leads(also=self.instance.lead_id)
        # Left empty, the gate is off (0), as on a process created through the API or import.
        self.fields["scorecard_gate_periods"].required = False

    def clean_scorecard_gate_periods(self):
        return self.cleaned_data.get("scorecard_gate_periods") or 0


class PlanItemForm(forms.ModelForm):
    """A milestone, asset or staff record: the process is among those the user may plan."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = ProcessChoiceField(label=_("Process"), queryset=selectors.editable_processes(user))
        self.fields["process"] = field
        if self.instance.pk:
            # Moving an item to another process would orphan its dependencies and history.
            field.disabled = True
            field.queryset = OutsourcedProcess.objects.select_related("programme").filter(
                pk=self.instance.process_id
            )


class MilestoneForm(PlanItemForm):
    owner = UserChoiceField(label=_("Owner"), queryset=plan_owners(), required=False)
    # Operations managers only (transition.override_freeze): lets a go-live, cut-over or
    # parallel run stay inside a change freeze; who and when is recorded with the reason.
    freeze_override_reason = forms.CharField(
        label=_("Change-freeze override reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when this go-live, cut-over or parallel run must fall inside a change "
            "freeze: why. Your name and the time are recorded."
        ),
    )

    class Meta:
        model = Milestone
        fields = Milestone.INPUT_FIELDS
        widgets = {
            "start_date": DATE_INPUT,
            "due_date": DATE_INPUT,
            "completed_on": DATE_INPUT,
            "depends_on": forms.CheckboxSelectMultiple,
        }
        help_texts = {"completed_on": _("Defaults to today when the status is Done.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Who may own a milestone: never a viewer; its owner stays after a change of role.
        self.fields["owner"].queryset = plan_owners(also=self.instance.owner_id)
        process_id = self.instance.process_id or self.initial.get("process")
        if hasattr(process_id, "pk"):
            process_id = process_id.pk
        if self.is_bound and not self.instance.pk:
            process_id = self.data.get(self.add_prefix("process")) or process_id
        # Finish-to-start links stay within one process; choices show only its milestones.
        candidates = Milestone.objects.none()
        if process_id and str(process_id).isdigit():
            candidates = Milestone.objects.filter(process_id=process_id).order_by("due_date", "pk")
            if self.instance.pk:
                candidates = candidates.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = candidates
        self.fields["depends_on"].label_from_instance = lambda m: (
            _("%(title)s (due %(date)s)") % {"title": m.title, "date": short_date(m.due_date)}
        )
        if not candidates.exists():
            self.fields["depends_on"].help_text = _(
                "Choose the process and save first; then pick the milestones this one waits for."
            )
        if user is None or not user.has_perm("transition.override_freeze"):
            del self.fields["freeze_override_reason"]
        elif self.instance.pk:
            self.fields["freeze_override_reason"].initial = self.instance.freeze_override_reason

    def clean_completed_on(self):
        completed_on = self.cleaned_data.get("completed_on")
        if completed_on and completed_on > local_today():
            raise forms.ValidationError(_("A milestone cannot be completed in the future."))
        return completed_on

    def clean(self):
        cleaned = super().clean()
        # The model requires a completion date once done; as the help text says, it is today.
        if cleaned.get("status") == Milestone.Status.DONE and not cleaned.get("completed_on"):
            cleaned["completed_on"] = local_today()
        return cleaned


class AssetForm(PlanItemForm):
    currency = currency_field(inherits_from=_("process"))

    class Meta:
        model = Asset
        fields = Asset.INPUT_FIELDS
        widgets = {"transfer_due": DATE_INPUT, "transferred_on": DATE_INPUT}
        help_texts = {"transferred_on": _("Defaults to today when the status is Transferred.")}

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("transfer_method")
        status = cleaned.get("status")
        if method == Asset.TransferMethod.NOT_NEEDED and status == Asset.Status.TRANSFERRED:
            self.add_error(
                "status",
                _("An asset that is not needed cannot be transferred; mark it Not needed."),
            )
        # The model requires the transfer date once transferred; as the help text says, today.
        if status == Asset.Status.TRANSFERRED and not cleaned.get("transferred_on"):
            cleaned["transferred_on"] = local_today()
        return cleaned


class StaffForm(PlanItemForm):
    currency = currency_field(inherits_from=_("process"))

    class Meta:
        model = StaffMember
        fields = StaffMember.INPUT_FIELDS
        widgets = {
            "planned_start": DATE_INPUT,
            "training_completed_on": DATE_INPUT,
            "training_needed": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "planned_start": _(
                "For a TUPE transfer, employee liability information is due 28 days before."
            )
        }


class ReadinessForm(forms.ModelForm):
    """Scores 1–5; the lowest is the overall readiness."""

    class Meta:
        model = ReadinessAssessment
        fields = [
            "assessed_on",
            *ReadinessAssessment.SCORE_FIELDS,
            "notes",
        ]
        widgets = {
            "assessed_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.RadioSelect(choices=SCORE_CHOICES)
                for name in ReadinessAssessment.SCORE_FIELDS
            },
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = local_today()
        for name in ReadinessAssessment.SCORE_FIELDS:
            self.fields[name].widget = forms.RadioSelect(choices=SCORE_CHOICES)

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > local_today():
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return assessed_on


class FreezeForm(forms.ModelForm):
    """A change-freeze period of a programme (the programme comes from the page)."""

    class Meta:
        model = ChangeFreeze
        fields = ("name", "starts_on", "ends_on", "reason")
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "name": _("Peak trading, year-end close, audit…"),
            "ends_on": _("The last day of the freeze (both days are in it)."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class TransitionForm(forms.Form):
    """The confirmation of a workflow transition: a note plus that transition's own fields."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the process's event timeline."),
    )
    served_on = forms.DateField(
        label=_("Notice served on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_(
            "The day the provider receives the notice (today if empty); not in the future."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2})
    )
    in_house_on = forms.DateField(
        label=_("In-house on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("The day we started running the process ourselves (today if empty)."),
    )

    early_completion_reason = forms.CharField(
        label=_("Reason for completing before the exit date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when the process comes in-house before the provider's exit date; "
            "without it the completion is saved and flagged."
        ),
    )

    PARAM_FIELDS = ("served_on", "reason", "in_house_on", "early_completion_reason")
    DATE_PARAMS = ("served_on", "in_house_on")

    def __init__(self, *args, params=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PARAM_FIELDS:
            if name not in params:
                del self.fields[name]
            elif name in self.DATE_PARAMS:
                self.fields[name].initial = local_today()

    def transition_params(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PARAM_FIELDS if name in self.fields}


class NoticeProcessesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class NoticeServeForm(forms.Form):
    """Exit notice on a contract, as `notice_serve` takes it: the whole contract or the
    ticked processes; the service checks the dates against the contract and the workflow."""

    scope = forms.ChoiceField(
        label=_("Notice ends"),
        choices=ExitNotice.Scope.choices,
        initial=ExitNotice.Scope.WHOLE,
        widget=forms.RadioSelect,
    )
    processes = NoticeProcessesField(
        label=_("Processes"),
        queryset=OutsourcedProcess.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    served_on = forms.DateField(
        label=_("Received by the provider on"),
        widget=DATE_INPUT,
        help_text=_("What counts legally; not in the future."),
        error_messages={"required": _("Enter the day the provider receives the notice.")},
    )
    dispatched_on = forms.DateField(label=_("Dispatched on"), widget=DATE_INPUT, required=False)
    method = forms.ChoiceField(label=_("Method"), required=False)
    recipient = forms.CharField(
        label=_("Recipient"), max_length=200, required=False, validators=[validate_plain_text]
    )
    signed_by = forms.CharField(
        label=_("Signed by"), max_length=200, required=False, validators=[validate_plain_text]
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proof = forms.FileField(label=_("Proof of service"), required=False)

    # Inputs the preview of the dates reads (transition/partials/_notice_preview.html).
    PREVIEW_FIELDS = ("scope", "processes", "served_on", "signed_by")

    def __init__(self, *args, contract: Contract, user=None, **kwargs):
        # Its own ids: the contract page also holds the exit-date calculator's served_on.
        kwargs.setdefault("auto_id", "id_notice_%s")
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["scope"].widget.attrs["class"] = "form-check-input"
        self.fields["processes"].widget.attrs["class"] = "form-check-input"
        for name in self.PREVIEW_FIELDS:
            widget = self.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} notice-preview-input".strip()
        # A chosen file cannot be put back into a re-rendered form: htmx keeps this input.
        self.fields["proof"].widget.attrs["hx-preserve"] = "true"
        self.fields["processes"].queryset = selectors.noticeable_processes(contract)
        # All ticked: the whole contract (the scope's default).
        self.fields["processes"].initial = self.fields["processes"].queryset
        self.fields["served_on"].initial = local_today()
        self.fields["method"].choices = [("", _("Not specified")), *Contract.NoticeMethod.choices]
        self.fields["method"].initial = contract.notice_method
        self.fields["recipient"].initial = contract.provider.contact_name
        if user is not None:
            self.fields["signed_by"].initial = user.get_full_name()
        self.fields["proof"].widget.attrs["accept"] = ",".join(
            f".{ext}" for ext in PROOF_EXTENSIONS
        )
        self.fields["proof"].help_text = _(
            "Signed letter, courier receipt or portal screenshot: %(extensions)s; at most "
            "%(limit)s."
        ) % {
            "extensions": ", ".join(PROOF_EXTENSIONS),
            "limit": filesizeformat(settings.CONTRACT_DOCUMENT_MAX_BYTES),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == ExitNotice.Scope.PROCESSES and not cleaned.get("processes"):
            self.add_error("processes", _("Tick the processes the notice ends."))
        return cleaned

    def preview(self) -> selectors.NoticePreview | None:
        """The dates for the day typed (validated; unbound: today), or None without one."""
        data = self.cleaned_data if self.is_bound else {}
        served_on = data.get("served_on") if self.is_bound else self.fields["served_on"].initial
        if served_on is None:
            return None
        try:
            return selectors.notice_preview(
                self.contract,
                served_on=served_on,
                process_ids=self.process_ids(),
                signed_by=data.get("signed_by", ""),
                today=local_today(),
            )
        except (ValueError, OverflowError):
            # The engine's arithmetic stops at year 9999.
            self.add_error("served_on", _("That date is too far in the future to calculate."))
            return None

    def process_ids(self) -> list[int] | None:
        """The ticked processes, or None for the whole contract (as notice_serve takes it)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("scope") != ExitNotice.Scope.PROCESSES:
            return None
        return [process.pk for process in data.get("processes") or ()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "served_on": data["served_on"],
            "processes": self.process_ids(),
            "method": data["method"],
            "dispatched_on": data["dispatched_on"],
            "recipient": data["recipient"],
            "signed_by": data["signed_by"],
            "note": data["note"],
            "proof": data["proof"] or None,
        }


class NoticeWithdrawForm(forms.Form):
    """Withdrawing a notice in force, as `notice_withdraw` takes it."""

    AGREED_CHOICES = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]

    withdrawal_reason = forms.CharField(
        label=_("Reason for withdrawing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason for withdrawing the notice.")},
    )
    provider_agreed = forms.TypedChoiceField(
        label=_("Provider agreed to the withdrawal"),
        choices=AGREED_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Today if empty; not before the notice was received."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = local_today()
        self.fields["provider_agreed"].widget.attrs["class"] = "form-check-input"

    @classmethod
    def for_notice(cls, notice: ExitNotice, data=None) -> NoticeWithdrawForm:
        # Ids of their own: the contract page holds a withdraw dialog per notice in force.
        return cls(data, auto_id=f"id_withdraw_{notice.pk}_%s")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "reason": data["withdrawal_reason"],
            "provider_agreed": data["provider_agreed"],
            "withdrawn_on": data["withdrawn_on"],
        }
