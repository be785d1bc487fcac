"""Programme pages: list, detail, create, edit and delete."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView

from core.bulk import BulkActionsMixin, delete_action
from core.clock import local_today
from core.views import RegisterListView, ServiceDeleteView, ServiceFormMixin
from currencies.conversion import reporting_currency
from transition.resources import ProgrammeResource

from .. import selectors, services
from ..filters import ProgrammeFilter
from ..forms import ProgrammeForm
from ..models import OutsourcedProcess, Programme
from ..selectors.querysets import programme_processes
from ..selectors.schedule import schedule_summaries

EDIT_PROGRAMME = "transition.edit_programme"


class ProgrammeListView(BulkActionsMixin, RegisterListView):
    title = _("Programmes")
    add_permission = EDIT_PROGRAMME
    model = Programme
    filterset_class = ProgrammeFilter
    template_name = "transition/programme_list.html"
    search_fields = ("name", "description")
    sort_fields = {
        "name": "name",
        "sponsor": "sponsor__last_name",
        "start": "start_date",
        "target": "target_date",
        "budget": "budget",
        "processes": "process_count",
    }
    default_sort = "name"
    resource_class = ProgrammeResource
    export_name = "programmes"
    bulk_actions = (delete_action(services.programme_delete, "programme", EDIT_PROGRAMME),)

    def get_base_queryset(self):
        return selectors.programme_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's programmes' money in one grouped query, each currency converted
        # (docs/money.md, "Honest totals"); a converted saving cannot be sorted on in SQL.
        page = context["object_list"]
        money = selectors.programme_money([p.pk for p in page], on=local_today())
        for programme in page:
            programme.money = money[programme.pk]
        context["reporting_currency"] = reporting_currency()
        return context


class ProgrammeDetailView(LoginRequiredMixin, DetailView):
    """The programme's figures, its processes by state and its first processes; the rest
    are one link away in the process list filtered by programme (docs/performance.md)."""

    template_name = "transition/programme_detail.html"
    processes_shown = 25

    def get_queryset(self):
        return selectors.programme_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.object
        # Summed per state and currency and converted, never across currencies
        # (docs/money.md); the same grouped query counts the processes in each state.
        money = selectors.portfolio_money(
            OutsourcedProcess.objects.filter(programme=programme), on=local_today()
        )
        context["totals"] = money.total
        context["process_count"] = money.total.process_count
        context["states"] = [(s.state, s.label, s.figures.process_count) for s in money.states]
        context["processes"] = programme_processes(programme, self.processes_shown)
        context["freezes"] = list(programme.freezes.order_by("starts_on", "pk"))
        # The schedule findings of the processes shown (never the whole programme).
        schedules = schedule_summaries(
            context["processes"], local_today(), freezes=context["freezes"]
        )
        context["schedule_rows"] = [
            (process, len(found.errors), len(found.warnings), found.findings[:3])
            for process in context["processes"]
            if (found := schedules[process.pk]).findings
        ]
        return context


class ProgrammeCreateView(ServiceFormMixin, CreateView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "transition/programme_form.html"
    permission_required = EDIT_PROGRAMME
    success_message = _("Programme “%(object)s” was created.")

    def save(self, form):
        return services.programme_create(actor=self.request.user, **form.cleaned_data)


class ProgrammeUpdateView(ServiceFormMixin, UpdateView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "transition/programme_form.html"
    permission_required = EDIT_PROGRAMME
    success_message = _("Programme “%(object)s” was saved.")

    def save(self, form):
        return services.programme_update(
            programme=self.object, actor=self.request.user, **form.cleaned_data
        )


class ProgrammeDeleteView(ServiceDeleteView):
    model = Programme
    template_name = "core/confirm_delete.html"
    permission_required = EDIT_PROGRAMME
    success_url = reverse_lazy("transition:programme_list")

    def delete_object(self):
        services.programme_delete(programme=self.object, actor=self.request.user)
