"""Process pages: list, the workspace, create/edit/delete, workflow transitions and readiness."""

from django import forms
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
from django_htmx.http import HttpResponseClientRedirect

from contracts.views import SUGGESTIONS, suggest_id, suggestions_response
from core.bulk import BulkActionsMixin, delete_action, owner_action
from core.clock import local_today
from core.text import without_control_characters
from core.views import RegisterListView, ServiceDeleteView, ServiceFormMixin, add_validation_errors
from transition.resources import OutsourcedProcessResource

from .. import selectors, services
from ..filters import ProcessFilter
from ..forms import ProcessForm, ReadinessForm, TransitionForm
from ..models import OutsourcedProcess
from ..selectors.workflow import transition_labels
from .common import EDIT_PLAN, require
from .workspace import live_context

EDIT_PROCESS = "transition.edit_process"


def people_field(view, name: str, label: str) -> forms.TypedChoiceField:
    """A bulk parameter offering the people of the filter bar's owner or lead choice: the
    same role's members, read once for both (transition/filters.py, ProcessFilter)."""
    choices = view.filterset.filters[name].extra["choices"]
    return forms.TypedChoiceField(
        label=label, choices=[("", "—"), *choices], coerce=int, empty_value=None
    )


class ProcessListView(BulkActionsMixin, RegisterListView):
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
    # Through the edit's service, to the people its form offers (operations managers own,
    # project leads lead), and the delete (docs/bulk-actions.md).
    bulk_actions = (
        owner_action(
            services.process_update,
            "process",
            EDIT_PROCESS,
            lambda view: people_field(view, "owner", _("New owner")),
            attribute="owner_id",
        ),
        owner_action(
            services.process_update,
            "process",
            EDIT_PROCESS,
            lambda view: people_field(view, "lead", _("New lead")),
            key="lead",
            attribute="lead_id",
            label=gettext_lazy("Reassign project lead"),
            done=gettext_lazy("now led by %(value)s"),
            unchanged=gettext_lazy("already led by %(value)s, unchanged"),
        ),
        delete_action(services.process_delete, "process", EDIT_PROCESS),
    )

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


class ProcessDetailView(LoginRequiredMixin, DetailView):
    """The process workspace: state, transitions, plan, readiness, business case and history."""

    template_name = "transition/process_detail.html"
    context_object_name = "process"

    def get_queryset(self):
        return selectors.process_workspace()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process, user, today = self.object, self.request.user, local_today()
        # What an inline change can alter comes from one place (transition/views/workspace.py).
        context.update(live_context(process, user, today))
        can_edit_plan = context["can_edit_plan"]
        readiness = process.latest_readiness
        context.update(
            events=selectors.labelled_events(process.event_rows),
            can_edit_process=user.has_perm(EDIT_PROCESS),
            key_dates=selectors.process_key_dates(process, today),
            readiness=readiness,
            readiness_scores=selectors.readiness_scores(readiness),
            readiness_history=process.readiness_latest,
            readiness_form=ReadinessForm(auto_id="id_readiness_%s") if can_edit_plan else None,
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
        form = TransitionForm(
            request.POST,
            params=option.params if option else (),
            # The dialog's own ids, so a refused form swapped back into it keeps its labels.
            auto_id=f"id_{name}_%s" if request.htmx else "id_%s",
        )
        if request.htmx:
            if option is None:
                # The step left this state meanwhile (another tab): the page shows the truth.
                messages.error(request, _("That step is not possible from the current state."))
                return HttpResponseClientRedirect(process.get_absolute_url())
            refused = self.fire_from_dialog(request, process, option, form)
            if refused is not None:
                return refused
            return HttpResponseClientRedirect(process.get_absolute_url())
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
            self.announce(request, process)
        return HttpResponseRedirect(process.get_absolute_url())

    def announce(self, request, process):
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

    def fire_from_dialog(self, request, process, option, form):
        """htmx: fire the transition from its dialog. Refused (a field's error or the
        service's reasons), the dialog's body again with the errors beside what was typed,
        as 200 since htmx swaps only those; done, None (docs/workspace.md)."""
        blocked: list[str] = []
        if form.is_valid():
            try:
                fired = services.apply_transition(
                    process,
                    option.name,
                    request.user,
                    note=form.cleaned_data["note"],
                    **form.transition_params(),
                )
            except services.TransitionBlocked as refusal:
                blocked = list(refusal.reasons)
            else:
                self.announce(request, fired)
                return None
        return TemplateResponse(
            request,
            "transition/partials/_transition_dialog_body.html",
            {
                "process": process,
                "option": option,
                "form": form,
                "blocked": blocked,
                "today": local_today(),
            },
        )


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
