"""Process pages: list, the workspace, create/edit/delete, workflow transitions and readiness."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView

from contracts.views import SUGGESTIONS, suggest_id, suggestions_response
from core.clock import local_today
from core.text import without_control_characters
from core.views import RegisterListView, ServiceDeleteView, ServiceFormMixin, add_validation_errors
from transition.resources import OutsourcedProcessResource

from .. import selectors, services
from ..filters import ProcessFilter
from ..forms import ProcessForm, ReadinessForm, TransitionForm
from ..models import OutsourcedProcess
from ..models.process import AMBER_HORIZON_DAYS
from ..selectors.schedule import process_schedule
from ..selectors.workflow import transition_labels
from .common import EDIT_PLAN, require

EDIT_PROCESS = "transition.edit_process"


class ProcessListView(RegisterListView):
    title = gettext_lazy("Processes")
    add_permission = EDIT_PROCESS
    model = OutsourcedProcess
    filterset_class = ProcessFilter
    template_name = "transition/process_list.html"
    search_fields = ("name", "description", "contract__reference", "contract__provider__name")
    sort_fields = {
        "name": "name",
        "programme": "programme__name",
        "contract": "contract__reference",
        "state": "state",
        "owner": "owner__last_name",
        "lead": "lead__last_name",
        "next_due": "next_milestone_due",
        "exit": "exit_date",
        "saving": "annual_saving_value",
    }
    default_sort = "name"
    resource_class = OutsourcedProcessResource
    export_name = "processes"

    def get_base_queryset(self):
        return selectors.with_saving(selectors.process_list())

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        # The money of every filtered row, converted per currency (docs/money.md, "Honest
        # totals"). Its grouped query counts the rows as well, so the paginator takes that
        # count rather than counting them again.
        self.money = selectors.money_figures(queryset, on=local_today())
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        paginator.count = self.money.process_count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = local_today()
        context["money"] = self.money
        return context


class ProcessSuggestView(LoginRequiredMixin, View):
    """Processes matching `?q=` (name, programme or contract reference) for the
    search-as-you-type filters of the plan lists, at most SUGGESTIONS of them, or the one
    `?id=` names (docs/performance.md)."""

    http_method_names = ["get"]
    raise_exception = True  # a script asks: a 403, not a redirect to the login page

    def get(self, request):
        # Typed into a search box, never stored: control characters are dropped (core/text.py).
        term = without_control_characters(request.GET.get("q", "")).strip()[:100]
        processes = OutsourcedProcess.objects.all()
        if "id" in request.GET:
            pk = suggest_id(request.GET["id"])
            processes = processes.filter(pk=pk) if pk is not None else processes.none()
        elif term:
            processes = processes.filter(
                Q(name__icontains=term)
                | Q(programme__name__icontains=term)
                | Q(contract__reference__icontains=term)
            )
        rows = processes.order_by("programme__name", "name", "pk").values(
            "pk", "name", "programme__name"
        )[:SUGGESTIONS]
        return suggestions_response(
            # As the filter's ProcessChoiceField labels it.
            [{"id": r["pk"], "label": f"{r['programme__name']} – {r['name']}"} for r in rows]
        )


def margin_class(days: int | None) -> str:
    """The colour of a margin to a provider date: negative red, under 14 days amber."""
    if days is None:
        return "secondary"
    if days < 0:
        return "danger"
    return "warning" if days < AMBER_HORIZON_DAYS else "success"


class ProcessDetailView(LoginRequiredMixin, DetailView):
    """The process workspace: state, transitions, plan, readiness, business case and history."""

    template_name = "transition/process_detail.html"
    context_object_name = "process"

    def get_queryset(self):
        return selectors.process_workspace()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process, user, today = self.object, self.request.user, local_today()
        can_edit_plan = user.has_perm(EDIT_PLAN, process)
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
        readiness = process.latest_readiness
        context.update(
            today=today,
            rag=rag,
            rag_reason=rag_reason,
            schedule=schedule,
            schedule_milestones=[
                (milestone, schedule.analysis.timings.get(milestone.pk)) for milestone in milestones
            ],
            margin_classes=(
                # A finished plan's margins are history, not a risk.
                {"ready": "secondary", "assistance": "secondary"}
                if schedule.analysis.finished
                else {
                    "ready": margin_class(schedule.analysis.ready_margin_days),
                    "assistance": margin_class(schedule.analysis.assistance_margin_days),
                }
            ),
            states=states,
            state_index=[state for state, _label in states].index(process.state),
            events=selectors.labelled_events(process.event_rows),
            transitions=transitions,
            can_edit_plan=can_edit_plan,
            can_edit_process=user.has_perm(EDIT_PROCESS),
            key_dates=selectors.process_key_dates(process, today),
            readiness=readiness,
            readiness_scores=selectors.readiness_scores(readiness),
            readiness_history=process.readiness_latest,
            readiness_form=ReadinessForm(auto_id="id_readiness_%s") if can_edit_plan else None,
            milestones=milestones,
            plan_progress=selectors.plan_progress(process, milestones),
            show_reminders=selectors.reminders_partial_available(),
        )
        return context


class ProcessCreateView(ServiceFormMixin, CreateView):
    model = OutsourcedProcess
    form_class = ProcessForm
    template_name = "transition/process_form.html"
    permission_required = EDIT_PROCESS
    success_message = gettext_lazy("Process “%(object)s” was created.")

    def get_initial(self):
        initial = super().get_initial()
        for key in ("programme", "contract"):
            if self.request.GET.get(key, "").isdigit():
                initial[key] = self.request.GET[key]
        return initial

    def save(self, form):
        return services.process_create(actor=self.request.user, **form.cleaned_data)


class ProcessUpdateView(ServiceFormMixin, UpdateView):
    model = OutsourcedProcess
    form_class = ProcessForm
    template_name = "transition/process_form.html"
    permission_required = EDIT_PROCESS
    success_message = gettext_lazy("Process “%(object)s” was saved.")

    def save(self, form):
        return services.process_update(
            process=self.object, actor=self.request.user, **form.cleaned_data
        )


class ProcessDeleteView(ServiceDeleteView):
    model = OutsourcedProcess
    template_name = "core/confirm_delete.html"
    permission_required = EDIT_PROCESS
    success_url = reverse_lazy("transition:process_list")

    def delete_object(self):
        services.process_delete(process=self.object, actor=self.request.user)


class TransitionMixin:
    """Resolve the process and the named transition: 404 for either unknown, 403 if forbidden."""

    def resolve(self, request, pk: int, name: str):
        process = get_object_or_404(
            OutsourcedProcess.objects.select_related("contract", "programme"), pk=pk
        )
        option = next(
            (o for o in selectors.available_transitions(process, request.user) if o.name == name),
            None,
        )
        if option is None:
            if name not in selectors.transition_names():
                raise Http404(_("There is no transition called “%(name)s”.") % {"name": name})
            # A real transition, just not from this state: the service explains why.
            return process, None
        if not option.permitted:
            raise PermissionDenied(_("You do not have permission to do this."))
        return process, option

    def render_confirm(self, request, process, option, form, status=200):
        return TemplateResponse(
            request,
            "transition/process_transition.html",
            {"process": process, "option": option, "form": form, "today": local_today()},
            status=status,
        )


class ProcessTransitionConfirmView(LoginRequiredMixin, TransitionMixin, View):
    """The confirmation page of a transition, for browsers without JavaScript."""

    def get(self, request, pk: int, name: str):
        process, option = self.resolve(request, pk, name)
        if option is None:
            messages.error(request, _("That step is not possible from the current state."))
            return HttpResponseRedirect(process.get_absolute_url())
        form = TransitionForm(params=option.params)
        return self.render_confirm(request, process, option, form)


class ProcessTransitionView(LoginRequiredMixin, TransitionMixin, View):
    """Fire one workflow transition through `apply_transition` (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, name: str):
        process, option = self.resolve(request, pk, name)
        form = TransitionForm(request.POST, params=option.params if option else ())
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"{label}: {' '.join(errors)}" if label else " ".join(errors)
                )
            return self.render_confirm(request, process, option, form, status=400)
        try:
            process = services.apply_transition(
                process,
                name,
                request.user,
                note=form.cleaned_data["note"],
                **form.transition_params(),
            )
        except services.TransitionBlocked as blocked:
            messages.error(
                request,
                _("Could not %(action)s: %(reasons)s")
                % {
                    "action": (
                        option.label if option else transition_labels().get(name, name)
                    ).lower(),
                    "reasons": " ".join(blocked.reasons),
                },
            )
        else:
            messages.success(
                request,
                _("“%(process)s” is now %(state)s.")
                % {"process": process, "state": process.get_state_display().lower()},
            )
            warnings = getattr(process, "schedule_warnings", None)
            if warnings:
                messages.warning(
                    request,
                    _("Saved, but: %(issues)s")
                    % {"issues": " ".join(finding.message for finding in warnings)},
                )
        return HttpResponseRedirect(process.get_absolute_url())


class ReadinessCreateView(LoginRequiredMixin, View):
    """Record a readiness assessment of a process (form page without JS, inline otherwise)."""

    template_name = "transition/readiness_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.process = get_object_or_404(
            OutsourcedProcess.objects.select_related("programme"), pk=kwargs["pk"]
        )
        require(request.user, EDIT_PLAN, self.process)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk: int):
        return self.render(ReadinessForm())

    def post(self, request, pk: int):
        form = ReadinessForm(request.POST)
        if form.is_valid():
            try:
                services.readiness_record(
                    actor=request.user, process=self.process, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Readiness assessment recorded."))
                return HttpResponseRedirect(
                    reverse("transition:process_detail", args=[self.process.pk]) + "#readiness"
                )
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"process": self.process, "form": form},
            status=status,
        )
