"""The live parts of the process workspace: what an inline change of the plan can alter.

The workspace page and every inline (htmx) change of its plan build these parts with the one
function below, and render each through the one partial the page uses, so a milestone marked
done, or an asset's or a person's status set, updates the counters, the RAG and its reason,
the schedule and the workflow's guards without a reload (docs/workspace.md, "Pages that stay
true").
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from core.clock import local_today

from .. import selectors, services
from ..forms import TransitionForm
from ..models import Asset, OutsourcedProcess, StaffMember
from ..models.process import AMBER_HORIZON_DAYS
from ..selectors.schedule import process_schedule
from .common import EDIT_PLAN, require

REFRESH_TEMPLATE = "transition/partials/_workspace_refresh.html"


def margin_class(days: int | None) -> str:
    """The colour of a margin to a provider date: negative red, under 14 days amber."""
    if days is None:
        return "secondary"
    if days < 0:
        return "danger"
    return "warning" if days < AMBER_HORIZON_DAYS else "success"


def live_context(process: OutsourcedProcess, user, today: date) -> dict:
    """RAG and reason, schedule, workflow with its guards, milestones and the plan's counters
    of a process loaded by `selectors.process_workspace()`."""
    milestones = selectors.process_milestones(process)
    # The RAG's forecast reads the milestones already loaded (no second query).
    process.schedule_milestone_rows = milestones
    rag, rag_reason = process.rag_explained_on(today)
    schedule = process_schedule(process, today, milestone_rows=milestones)
    transitions = [
        (option, TransitionForm(params=option.params, auto_id=f"id_{option.name}_%s"))
        for option in selectors.permitted_transitions(process, user)
    ]
    states = OutsourcedProcess.State.choices
    return {
        "process": process,
        "today": today,
        "rag": rag,
        "rag_reason": rag_reason,
        "schedule": schedule,
        "schedule_milestones": [
            (milestone, schedule.analysis.timings.get(milestone.pk)) for milestone in milestones
        ],
        "margin_classes": (
            # A finished plan's margins are history, not a risk.
            {"ready": "secondary", "assistance": "secondary"}
            if schedule.analysis.finished
            else {
                "ready": margin_class(schedule.analysis.ready_margin_days),
                "assistance": margin_class(schedule.analysis.assistance_margin_days),
            }
        ),
        "states": states,
        "state_index": [state for state, _label in states].index(process.state),
        "transitions": transitions,
        "can_edit_plan": user.has_perm(EDIT_PLAN, process),
        "milestones": milestones,
        "plan_progress": selectors.plan_progress(process, milestones),
        "asset_statuses": Asset.Status.choices,
        "staff_statuses": StaffMember.Status.choices,
    }


def refreshed_milestone(request, milestone_pk: int, process_pk: int, *, error: str | None = None):
    """The answer to an inline change of a milestone: its row, plus out-of-band the rows
    waiting for it, the milestone counter, the state and RAG, the workflow and the schedule."""
    context = _refreshed_context(request, process_pk, error)
    milestones = context["milestones"]
    progress = context["plan_progress"]
    context.update(
        milestone=next(m for m in milestones if m.pk == milestone_pk),
        successors=[m for m in milestones if any(p.pk == milestone_pk for p in m.predecessors)],
        row_template="transition/partials/_milestone_row.html",
        count_id="milestones-count",
        done=progress.milestones_done,
        total=progress.milestones,
        word="done",
    )
    return TemplateResponse(request, REFRESH_TEMPLATE, context)


def refreshed_row(request, item, *, name: str, error: str | None = None):
    """The answer to an inline change of an asset or a person's status (`name`: "asset" or
    "member", as the row templates call it): the row, plus out-of-band its counter, the
    state and RAG, the workflow and the schedule."""
    rows, template, count_id, done, total = {
        "asset": ("asset_rows", "_asset_row", "assets-count", "assets_settled", "assets"),
        "member": ("staff_rows", "_staff_row", "staff-count", "staff_settled", "staff"),
    }[name]
    context = _refreshed_context(request, item.process_id, error)
    progress = context["plan_progress"]
    context.update(
        {name: next(row for row in getattr(context["process"], rows) if row.pk == item.pk)},
        row_template=f"transition/partials/{template}.html",
        count_id=count_id,
        done=getattr(progress, done),
        total=getattr(progress, total),
        word="settled",
    )
    return TemplateResponse(request, REFRESH_TEMPLATE, context)


def _refreshed_context(request, process_pk: int, error: str | None) -> dict:
    process = get_object_or_404(selectors.process_workspace(), pk=process_pk)
    context = live_context(process, request.user, local_today())
    context.update(error=error, successors=[])
    return context


class PlanStatusView(LoginRequiredMixin, View):
    """Set the status of an asset or a person from its workspace row, through its save
    service: for htmx the row and the panels it changes, a redirect back otherwise."""

    http_method_names = ["post"]
    model: type[Asset] | type[StaffMember]
    item_argument: str
    fragment: str

    def save(self, *, actor, item, status: str) -> None:
        raise NotImplementedError

    def refreshed(self, request, item, error: str | None):
        raise NotImplementedError

    def post(self, request, pk: int):
        item = get_object_or_404(self.model.objects.select_related("process"), pk=pk)
        require(request.user, EDIT_PLAN, item)
        status = request.POST.get("status", "")
        error = None
        if status not in self.model.Status.values:
            error = _("Choose a status from the list.")
        else:
            try:
                self.save(actor=request.user, item=item, status=status)
            except ValidationError as failure:
                error = " ".join(failure.messages)
        if request.htmx:
            return self.refreshed(request, item, error)
        if error:
            messages.error(
                request, _("“%(item)s” is unchanged: %(error)s") % {"item": item, "error": error}
            )
        else:
            messages.success(request, _("“%(item)s” was saved.") % {"item": item})
        return HttpResponseRedirect(item.process.get_absolute_url() + self.fragment)


class AssetStatusView(PlanStatusView):
    model = Asset
    fragment = "#assets"

    def save(self, *, actor, item, status):
        services.asset_save(actor=actor, asset=item, status=status)

    def refreshed(self, request, item, error):
        return refreshed_row(request, item, name="asset", error=error)


class StaffStatusView(PlanStatusView):
    model = StaffMember
    fragment = "#staff"

    def save(self, *, actor, item, status):
        services.staff_save(actor=actor, member=item, status=status)

    def refreshed(self, request, item, error):
        return refreshed_row(request, item, name="member", error=error)
