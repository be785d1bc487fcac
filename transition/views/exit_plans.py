"""Exit-plan pages: a process's plan (in force, draft, older versions), drafting, approval,
review, history, the rehearsal log and its remediation actions, and the list of plans.

Everyone signed in reads; operations managers write plans; operations managers and the
process's project lead record rehearsals and remediation (transition/rules.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from core.clock import local_today
from core.views import ServiceDeleteView, ServiceFormMixin, add_validation_errors

from .. import services
from ..forms_exit_plans import (
    ApproveForm,
    CloseActionForm,
    ExitPlanForm,
    RehearsalForm,
    RemediationActionForm,
    ReviewForm,
)
from ..models import ExitPlan, OutsourcedProcess, Rehearsal, RemediationAction
from ..selectors import exit_plans as selectors
from ..services.exit_plans import (
    CONTENT_FIELDS,
    EDIT_EXIT_PLAN,
    RECORD_REHEARSAL,
    approval_problems,
)

# The plan's content in the order every page shows it, so versions read side by side:
# the owner, then what a draft copies (services.CONTENT_FIELDS).
PLAN_FIELDS = ("owner", *(name for name in CONTENT_FIELDS if name != "owner"))


def plan_rows(plan: ExitPlan, other: ExitPlan | None = None) -> list[dict]:
    """The plan's fields as (label, value) rows, each flagged when it differs from `other`."""
    rows = []
    for name in PLAN_FIELDS:
        value = _shown(plan, name)
        before = _shown(other, name) if other is not None else None
        rows.append(
            {
                "name": name,
                "label": ExitPlan._meta.get_field(name).verbose_name,
                "value": value,
                "other": before,
                "changed": other is not None and before != value,
            }
        )
    return rows


def _shown(plan: ExitPlan, name: str) -> str:
    if name == "owner":
        owner = plan.owner
        return (owner.get_full_name() or owner.get_username()) if owner else ""
    if name == "triggers":
        labels = dict(ExitPlan.Trigger.choices)
        return ", ".join(str(labels.get(t, t)) for t in plan.triggers)
    if name in ("route", "substitutability", "reintegration"):
        return str(getattr(plan, f"get_{name}_display")())
    return getattr(plan, name)


class ProcessMixin:
    """A page under `processes/<pk>/`: the process, and what the user may do with it."""

    def dispatch(self, request, *args, **kwargs):
        self.process = get_object_or_404(
            OutsourcedProcess.objects.select_related("programme"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.process


class ProcessExitPlanView(LoginRequiredMixin, DetailView):
    """The process's exit plan: the version in force, the draft beside it, older versions
    and the rehearsal log."""

    template_name = "transition/exit_plan_process.html"
    context_object_name = "process"

    def get_queryset(self):
        return OutsourcedProcess.objects.select_related("programme", "contract")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process, user = self.object, self.request.user
        versions = list(selectors.exit_plan_versions(process))
        current = next((p for p in versions if p.status == ExitPlan.Status.APPROVED), None)
        draft = next((p for p in versions if p.status == ExitPlan.Status.DRAFT), None)
        context.update(
            today=local_today(),
            current=current,
            draft=draft,
            current_rows=plan_rows(current) if current else [],
            draft_rows=plan_rows(draft, current) if draft else [],
            older=[p for p in versions if p.status == ExitPlan.Status.SUPERSEDED],
            rehearsals=list(selectors.process_rehearsals(process)),
            can_edit_plan=user.has_perm(EDIT_EXIT_PLAN, process),
            can_rehearse=user.has_perm(RECORD_REHEARSAL, process),
        )
        return context


class ExitPlanDetailView(LoginRequiredMixin, DetailView):
    """One version, with what changed against the version before it."""

    template_name = "transition/exit_plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.exit_plan_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        previous = (
            selectors.exit_plan_versions(plan.process)
            .filter(version__lt=plan.version)
            .exclude(status=ExitPlan.Status.DRAFT)
            .first()
        )
        context.update(
            process=plan.process,
            previous=previous,
            rows=plan_rows(plan, previous),
            problems=approval_problems(plan) if plan.status == ExitPlan.Status.DRAFT else {},
            can_edit_plan=self.request.user.has_perm(EDIT_EXIT_PLAN, plan.process),
            rehearsals=list(selectors.rehearsals_with_actions().filter(exit_plan=plan)),
        )
        return context


class ExitPlanHistoryView(LoginRequiredMixin, DetailView):
    """Who changed a version, when, and which fields."""

    template_name = "transition/exit_plan_history.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.exit_plan_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = list(self.object.history.select_related("history_user").order_by("history_id"))
        entries = []
        for before, after in zip([None, *records], records, strict=False):
            changed = (
                [
                    str(ExitPlan._meta.get_field(change.field).verbose_name)
                    for change in after.diff_against(before).changes
                ]
                if before is not None
                else []
            )
            entries.append({"record": after, "changed": changed})
        context.update(process=self.object.process, entries=list(reversed(entries)))
        return context


class ExitPlanCreateView(ProcessMixin, ServiceFormMixin, CreateView):
    """Start the next version as a draft, filled in from the version in force."""

    model = ExitPlan
    form_class = ExitPlanForm
    template_name = "transition/exit_plan_form.html"
    permission_required = EDIT_EXIT_PLAN
    success_message = gettext_lazy("Draft “%(object)s” was saved.")

    def get_initial(self):
        current = ExitPlan.objects.approved().filter(process=self.process).first()
        if current is None:
            return {"triggers": [ExitPlan.Trigger.TERMINATION]}
        return {name: getattr(current, name) for name in services.exit_plans.CONTENT_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.process
        return context

    def save(self, form):
        return services.exit_plan_draft_create(
            actor=self.request.user, process=self.process, **form.cleaned_data
        )


class PlanMixin:
    """A page about one version; the permission object is its process."""

    def get_queryset(self):
        return selectors.exit_plan_detail()

    def get_permission_object(self):
        return self.get_object().process

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.object
        context["process"] = self.object.process
        return context


class ExitPlanUpdateView(PlanMixin, ServiceFormMixin, UpdateView):
    model = ExitPlan
    form_class = ExitPlanForm
    template_name = "transition/exit_plan_form.html"
    permission_required = EDIT_EXIT_PLAN
    success_message = gettext_lazy("Draft “%(object)s” was saved.")

    def save(self, form):
        return services.exit_plan_update(
            plan=self.object, actor=self.request.user, **form.cleaned_data
        )


class PlanFormView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """Approve or review a version: a small form of dates posted to a service."""

    permission_required = EDIT_EXIT_PLAN
    success_text = ""

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(selectors.exit_plan_detail(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.object.process

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan=self.object, process=self.object.process)
        return context

    def call(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            plan = self.call(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text % {"object": plan})
        return HttpResponseRedirect(process_plan_url(plan.process_id))


def process_plan_url(process_id: int) -> str:
    return reverse("transition:process_exit_plan", args=[process_id])


class ExitPlanApproveView(PlanFormView):
    form_class = ApproveForm
    template_name = "transition/exit_plan_approve.html"
    success_text = gettext_lazy("“%(object)s” was approved and is now in force.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["problems"] = approval_problems(self.object)
        context["current"] = (
            ExitPlan.objects.approved().filter(process_id=self.object.process_id).first()
        )
        return context

    def call(self, form):
        return services.exit_plan_approve(
            plan=self.object, actor=self.request.user, **form.cleaned_data
        )


class ExitPlanReviewView(PlanFormView):
    form_class = ReviewForm
    template_name = "transition/exit_plan_review.html"
    success_text = gettext_lazy("The review of “%(object)s” was recorded.")

    def call(self, form):
        return services.exit_plan_review(
            plan=self.object, actor=self.request.user, **form.cleaned_data
        )


class ExitPlanDeleteView(ServiceDeleteView):
    """Discard a draft (approved and superseded versions are the plan's record)."""

    model = ExitPlan
    template_name = "core/confirm_delete.html"
    permission_required = EDIT_EXIT_PLAN

    def get_queryset(self):
        return selectors.exit_plan_detail()

    def get_permission_object(self):
        return self.get_object().process

    def delete_object(self):
        services.exit_plan_draft_delete(plan=self.object, actor=self.request.user)

    def get_success_url(self):
        return process_plan_url(self.object.process_id)


class ExitPlanListView(LoginRequiredMixin, ListView):
    """Every process with its exit-plan status; `?attention=1`: the plans never tested or
    overdue for review or test (the dashboard's card links here)."""

    template_name = "transition/exit_plan_list.html"
    context_object_name = "processes"
    paginate_by = 25

    def attention(self) -> bool:
        return self.request.GET.get("attention") == "1"

    def get_queryset(self):
        today = local_today()
        processes = (
            selectors.needing_attention(today)
            if self.attention()
            else selectors.exit_plan_register(today)
        )
        return processes.order_by("programme__name", "name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = local_today()
        for process in context["processes"]:
            process.exit_plan_flags = selectors.flags(process, today)
        context.update(today=today, attention=self.attention())
        return context


# Rehearsals and remediation ------------------------------------------------------------


class RehearsalCreateView(ProcessMixin, ServiceFormMixin, CreateView):
    model = Rehearsal
    form_class = RehearsalForm
    template_name = "transition/rehearsal_form.html"
    permission_required = RECORD_REHEARSAL
    success_message = gettext_lazy("Rehearsal “%(object)s” was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["process"] = self.process
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.process
        return context

    def save(self, form):
        return services.rehearsal_create(
            actor=self.request.user, process=self.process, **form.cleaned_data
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class RehearsalMixin:
    def get_queryset(self):
        return selectors.rehearsals_with_actions()

    def get_permission_object(self):
        return self.get_object().process


class RehearsalUpdateView(RehearsalMixin, ServiceFormMixin, UpdateView):
    model = Rehearsal
    form_class = RehearsalForm
    template_name = "transition/rehearsal_form.html"
    permission_required = RECORD_REHEARSAL
    success_message = gettext_lazy("Rehearsal “%(object)s” was saved.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.object.process
        return context

    def save(self, form):
        return services.rehearsal_update(
            rehearsal=self.object, actor=self.request.user, **form.cleaned_data
        )


class RehearsalDetailView(RehearsalMixin, LoginRequiredMixin, DetailView):
    template_name = "transition/rehearsal_detail.html"
    context_object_name = "rehearsal"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rehearsal, user = self.object, self.request.user
        can_rehearse = user.has_perm(RECORD_REHEARSAL, rehearsal.process)
        context.update(
            today=local_today(),
            process=rehearsal.process,
            can_rehearse=can_rehearse,
            action_form=RemediationActionForm(auto_id="id_action_%s") if can_rehearse else None,
            close_form=CloseActionForm(auto_id="id_close_%s") if can_rehearse else None,
        )
        return context


class RemediationActionCreateView(ServiceFormMixin, CreateView):
    model = RemediationAction
    form_class = RemediationActionForm
    template_name = "transition/rehearsal_action_form.html"
    permission_required = RECORD_REHEARSAL
    success_message = gettext_lazy("Remediation action “%(object)s” was added.")

    def dispatch(self, request, *args, **kwargs):
        self.rehearsal = get_object_or_404(
            Rehearsal.objects.select_related("process", "process__programme"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.rehearsal.process

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(rehearsal=self.rehearsal, process=self.rehearsal.process)
        return context

    def save(self, form):
        return services.remediation_action_create(
            actor=self.request.user, rehearsal=self.rehearsal, **form.cleaned_data
        )

    def get_success_url(self):
        return self.rehearsal.get_absolute_url() + "#actions"


class RemediationActionUpdateView(ServiceFormMixin, UpdateView):
    model = RemediationAction
    form_class = RemediationActionForm
    template_name = "transition/rehearsal_action_form.html"
    permission_required = RECORD_REHEARSAL
    success_message = gettext_lazy("Remediation action “%(object)s” was saved.")

    def get_queryset(self):
        return selectors.remediation_detail()

    def get_permission_object(self):
        return self.get_object().rehearsal.process

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(rehearsal=self.object.rehearsal, process=self.object.rehearsal.process)
        return context

    def save(self, form):
        return services.remediation_action_update(
            action=self.object, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return self.object.rehearsal.get_absolute_url() + "#actions"


class RemediationActionCloseView(ServiceFormMixin, UpdateView):
    """Close an action on a day (POST from the rehearsal page; the form again on a refusal)."""

    model = RemediationAction
    form_class = CloseActionForm
    template_name = "transition/rehearsal_action_form.html"
    permission_required = RECORD_REHEARSAL
    http_method_names = ["get", "post"]

    def get_queryset(self):
        return selectors.remediation_detail()

    def get_permission_object(self):
        return self.get_object().rehearsal.process

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("user", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rehearsal=self.object.rehearsal, process=self.object.rehearsal.process, closing=True
        )
        return context

    def save(self, form):
        action = services.remediation_action_close(
            action=self.object,
            actor=self.request.user,
            closed_on=form.cleaned_data["closed_on"],
            note=form.cleaned_data["note"] or None,
        )
        messages.success(self.request, _("“%(title)s” was closed.") % {"title": action.title})
        return action

    def get_success_url(self):
        return self.object.rehearsal.get_absolute_url() + "#actions"
