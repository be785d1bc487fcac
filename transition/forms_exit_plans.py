"""Forms of exit plans, rehearsals and remediation actions; the views save through
transition.services.exit_plans, which holds every rule (these only shape the input)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.clock import local_today

from . import selectors
from .forms import DATE_INPUT, UserChoiceField
from .models import ExitPlan, Rehearsal, RemediationAction
from .services.exit_plans import CONTENT_FIELDS, REHEARSAL_INTERVAL_MONTHS

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ExitPlanForm(forms.ModelForm):
    """The content of a draft exit plan; the triggers as checkboxes."""

    triggers = forms.MultipleChoiceField(
        label=_("Exit triggers"),
        choices=ExitPlan.Trigger.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What sets the exit off; at least one before approval."),
    )
    owner = UserChoiceField(
        label=_("Owner"),
        queryset=selectors.active_users(),
        required=False,
        help_text=_("Accountable for the plan; an exit plan is not approved without one."),
    )

    class Meta:
        model = ExitPlan
        fields = CONTENT_FIELDS
        widgets = {
            name: TEXTAREA
            for name in (
                "objectives",
                "alternatives",
                "business_impact",
                "roles",
                "resources",
                "success_criteria",
            )
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        owner_id = self.instance.owner_id if self.instance.pk else None
        self.fields["owner"].queryset = selectors.active_users() | (
            selectors.active_users().model.objects.filter(pk=owner_id)
        )


class ApproveForm(forms.Form):
    last_review_on = forms.DateField(
        label=_("Last reviewed on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Empty: the approval day."),
    )
    next_review_due = forms.DateField(
        label=_("Next review due"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Empty: a year after approval (the EXIT_PLAN_REVIEW_MONTHS setting)."),
    )


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("Reviewed on"), widget=DATE_INPUT, required=False, help_text=_("Empty: today.")
    )
    next_review_due = forms.DateField(
        label=_("Next review due"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Empty: a year after the review (the EXIT_PLAN_REVIEW_MONTHS setting)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = local_today()


class RehearsalForm(forms.ModelForm):
    """A test of one of the process's exit plans (the approved version by default)."""

    class Meta:
        model = Rehearsal
        fields = (
            "exit_plan",
            "held_on",
            "scenario",
            "participants",
            "outcome",
            "findings",
            "next_test_due",
        )
        widgets = {
            "held_on": DATE_INPUT,
            "next_test_due": DATE_INPUT,
            "scenario": TEXTAREA,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "findings": TEXTAREA,
            "outcome": forms.RadioSelect,
        }
        help_texts = {
            "held_on": _("The day it was held; not in the future."),
            "next_test_due": _(
                "Empty: %(months)d months after it was held if it passed, 6 if it partly "
                "failed, 3 if it failed."
            )
            % {"months": REHEARSAL_INTERVAL_MONTHS},
        }

    def __init__(self, *args, user=None, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        process = process or getattr(self.instance, "process", None)
        plans = ExitPlan.objects.filter(process=process).order_by("-version")
        field = self.fields["exit_plan"]
        field.queryset = plans
        field.label_from_instance = lambda plan: (
            _("Version %(version)d (%(status)s)")
            % {
                "version": plan.version,
                "status": plan.get_status_display().lower(),
            }
        )
        if not self.instance.pk:
            field.initial = plans.filter(status=ExitPlan.Status.APPROVED).first()
            self.fields["held_on"].initial = local_today()


class RemediationActionForm(forms.ModelForm):
    owner = UserChoiceField(label=_("Owner"), queryset=selectors.active_users(), required=False)

    class Meta:
        model = RemediationAction
        fields = ("title", "owner", "due_date", "status", "closed_on", "note")
        widgets = {
            "due_date": DATE_INPUT,
            "closed_on": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"closed_on": _("Required when the action is closed.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class CloseActionForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_INPUT, required=False)
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = local_today()
