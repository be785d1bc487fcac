"""Forms of programmes, processes and their plans; their views save through transition.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from core.clock import local_today
from core.formats import short_date

from . import selectors
from .models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    Programme,
    ReadinessAssessment,
    StaffMember,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ProcessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.programme} · {obj.name}"


class ProgrammeForm(forms.ModelForm):
    sponsor = UserChoiceField(label=_("Sponsor"), queryset=selectors.active_users(), required=False)

    class Meta:
        model = Programme
        fields = ["name", "description", "sponsor", "start_date", "target_date", "budget"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_INPUT,
            "target_date": DATE_INPUT,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


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

    class Meta:
        model = OutsourcedProcess
        fields = OutsourcedProcess.INPUT_FIELDS
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
    owner = UserChoiceField(label=_("Owner"), queryset=selectors.active_users(), required=False)

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

    PARAM_FIELDS = ("served_on", "reason", "in_house_on")

    def __init__(self, *args, params=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PARAM_FIELDS:
            if name not in params:
                del self.fields[name]
            elif name != "reason":
                self.fields[name].initial = local_today()

    def transition_params(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PARAM_FIELDS if name in self.fields}
