"""The parallel-run scorecard of a process: its page, KPIs and actuals per period.

Everyone signed in reads it; operations managers and the process's project lead edit it
(`transition.edit_scorecard`). The rules are in transition.selectors.scorecard.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import CreateView, DetailView, FormView, UpdateView

from core.clock import local_today
from core.views import ServiceDeleteView, ServiceFormMixin, add_validation_errors

from .. import services
from ..forms_scorecard import KpiActualForm, KpiForm, PeriodActualsForm
from ..models import Kpi, KpiActual, OutsourcedProcess
from ..selectors.scorecard import (
    chart_data,
    latest_completed_period,
    period_label,
    process_scorecard,
    process_window,
)
from ..services.scorecard import EDIT_SCORECARD


def scorecard_url(process_id: int) -> str:
    return reverse("transition:process_scorecard", args=[process_id])


class ScorecardView(LoginRequiredMixin, DetailView):
    """Per KPI: baseline, target, latest actual, RAG, streak and a chart of its actuals."""

    template_name = "transition/scorecard.html"
    context_object_name = "process"

    def get_queryset(self):
        return OutsourcedProcess.objects.select_related("programme", "contract")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.object
        today = local_today()
        cards = process_scorecard(process, today)
        windows = {
            period: process_window(process, period) for period in {c.kpi.period for c in cards}
        }
        context.update(
            {
                "cards": cards,
                "chart": chart_data(cards),
                "today": today,
                "windows": sorted(windows.items()),
                "periods": sorted({card.kpi.period for card in cards}),
                "can_edit": self.request.user.has_perm(EDIT_SCORECARD, process),
            }
        )
        return context


class ProcessScopedMixin:
    """A page under one process (`pk` in the URL); the permission is checked on it."""

    permission_required = EDIT_SCORECARD

    def dispatch(self, request, *args, **kwargs):
        self.process = get_object_or_404(
            OutsourcedProcess.objects.select_related("programme", "contract"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.process

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.process
        return context

    def get_success_url(self):
        return scorecard_url(self.process.pk)


class KpiCreateView(ProcessScopedMixin, ServiceFormMixin, CreateView):
    model = Kpi
    form_class = KpiForm
    template_name = "transition/scorecard_kpi_form.html"
    success_message = gettext_lazy("KPI “%(object)s” was added.")

    def save(self, form):
        return services.kpi_create(
            actor=self.request.user, process=self.process, **form.cleaned_data
        )


class KpiScopedMixin:
    """A page of one KPI (`pk`); the permission object is its process."""

    permission_required = EDIT_SCORECARD

    def get_queryset(self):
        return Kpi.objects.select_related("process__programme", "process__contract")

    def get_permission_object(self):
        return self.get_object().process

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["process"] = self.object.process
        return context

    def get_success_url(self):
        return scorecard_url(self.object.process_id)


class KpiUpdateView(KpiScopedMixin, ServiceFormMixin, UpdateView):
    model = Kpi
    form_class = KpiForm
    template_name = "transition/scorecard_kpi_form.html"
    success_message = gettext_lazy("KPI “%(object)s” was saved.")

    def save(self, form):
        return services.kpi_update(kpi=self.object, actor=self.request.user, **form.cleaned_data)


class ScorecardDeleteView(ServiceDeleteView):
    """Delete, then back to the scorecard (a refusal is shown there too)."""

    template_name = "transition/scorecard_confirm_delete.html"
    permission_required = EDIT_SCORECARD

    def process_id(self) -> int:
        raise NotImplementedError

    def get_success_url(self):
        return scorecard_url(self.process_id())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context

    def get_refused_url(self):
        # KPIs and actuals have no page of their own: a refusal is shown on the scorecard.
        return self.get_success_url()


class KpiDeleteView(ScorecardDeleteView):
    model = Kpi

    def get_queryset(self):
        return Kpi.objects.select_related("process")

    def get_permission_object(self):
        return self.get_object().process

    def process_id(self) -> int:
        return self.object.process_id

    def delete_object(self):
        services.kpi_delete(kpi=self.object, actor=self.request.user)


class KpiActualDeleteView(ScorecardDeleteView):
    model = KpiActual

    def get_queryset(self):
        return KpiActual.objects.select_related("kpi__process")

    def get_permission_object(self):
        return self.get_object().kpi.process

    def process_id(self) -> int:
        return self.object.kpi.process_id

    def delete_object(self):
        services.kpi_actual_delete(actual=self.object, actor=self.request.user)


class KpiActualRecordView(ServiceFormMixin, FormView):
    """Record (or re-enter) one KPI's value for one period; `?period_start=` preselects it."""

    form_class = KpiActualForm
    template_name = "transition/scorecard_actual_form.html"
    permission_required = EDIT_SCORECARD

    def dispatch(self, request, *args, **kwargs):
        self.kpi = get_object_or_404(
            Kpi.objects.select_related("process__programme", "process__contract"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.kpi.process

    def existing(self, start: date | None) -> KpiActual | None:
        if start is None:
            return None
        return KpiActual.objects.filter(kpi=self.kpi, period_start=start).first()

    def get_initial(self):
        asked = parse_date(self.request.GET.get("period_start") or "") if self.request.GET else None
        start = asked or latest_completed_period(local_today(), self.kpi.period)
        initial = {"period_start": start}
        actual = self.existing(start)
        if actual is not None:
            initial.update(value=actual.value, note=actual.note)
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kpi"] = self.kpi
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kpi"] = self.kpi
        context["process"] = self.kpi.process
        context["window"] = process_window(self.kpi.process, self.kpi.period)
        return context

    def save(self, form):
        return services.kpi_actual_record(
            actor=self.request.user, kpi=self.kpi, **form.cleaned_data
        )

    def form_valid(self, form):
        try:
            actual = self.save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(kpi)s” for %(period)s was recorded.")
            % {"kpi": self.kpi.name, "period": period_label(actual.period_start, self.kpi.period)},
        )
        return HttpResponseRedirect(scorecard_url(self.kpi.process_id))


class PeriodActualsView(ProcessScopedMixin, ServiceFormMixin, FormView):
    """One period's values of every KPI of the process measured weekly (or monthly)."""

    form_class = PeriodActualsForm
    template_name = "transition/scorecard_period_form.html"

    def period(self) -> str:
        asked = self.request.GET.get("period")
        return asked if asked in Kpi.Period.values else Kpi.Period.WEEK

    def kpis(self):
        return list(
            Kpi.objects.filter(process=self.process, period=self.period()).order_by("name", "pk")
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(kpis=self.kpis(), period=self.period())
        return kwargs

    def get_initial(self):
        return {"period_start": latest_completed_period(local_today(), self.period())}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period()
        context["period_name"] = Kpi.Period(self.period()).label
        return context

    def save(self, form):
        return services.kpi_actuals_record_period(
            actor=self.request.user,
            process=self.process,
            period_start=form.cleaned_data["period_start"],
            values=form.values(),
        )

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        start = form.cleaned_data["period_start"]
        messages.success(
            self.request,
            ngettext(
                "%(count)s actual recorded for %(period)s.",
                "%(count)s actuals recorded for %(period)s.",
                len(saved),
            )
            % {"count": len(saved), "period": period_label(start, self.period())},
        )
        return HttpResponseRedirect(self.get_success_url())
