"""Business-case pages: a process's case tab, the edit form of its inputs, its XLSX export and
the programme roll-up (docs/business-case.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from core.clock import local_today
from core.formats import month_year
from core.spreadsheets import CONTENT_TYPES
from core.views import add_validation_errors

from .. import services
from ..business_case import CaseResult, Sensitivity, scenarios, sensitivity
from ..business_case.forms import BusinessCaseInputsForm
from ..business_case.rollup import ProgrammeCase
from ..business_case.scenarios import Scenario
from ..business_case.selectors import (
    MissingCostFigures,
    discount_rate,
    go_live_month,
    inputs_row,
    process_case,
    programme_case,
    with_case_inputs,
)
from ..business_case.workbook import case_workbook
from ..models import BusinessCaseInputs, OutsourcedProcess, Programme
from .common import require

EDIT_PROCESS = "transition.edit_process"
EDIT_PROGRAMME = "transition.edit_programme"


def month_start(start: date, month: int) -> date:
    """The first day of month `month` of a case starting in `start`'s month (1 = that month)."""
    index = start.year * 12 + start.month - 1 + month - 1
    return date(index // 12, index % 12 + 1, 1)


def month_label(month: int, start: date) -> str:
    """ "month 14 (Aug 2027)": a month of the case and the calendar month it is."""
    return _("month %(month)s (%(when)s)") % {
        "month": month,
        "when": month_year(month_start(start, month)),
    }


def payback_parts(month: int | None, start: date) -> tuple[str, str]:
    """The payback month as (figure, note): ("Month 49", "Jan 2031"), and the engine's 0
    (never negative) and None (no payback) in words (docs/business-case.md)."""
    if month is None:
        return _("None"), _("not within the horizon")
    if month == 0:
        return _("Immediate"), _("the cumulative cash is never negative")
    return _("Month %(month)s") % {"month": month}, month_year(month_start(start, month))


def payback_label(month: int | None, start: date) -> str:
    figure, note = payback_parts(month, start)
    return f"{figure} ({note})"


def _number(value: Decimal) -> float:
    # Charts only: what people read is the table, rendered from the Decimals.
    return float(value)


def year_spans(start: date, horizon_years: int) -> list[str]:
    """ "Jul 2026 – Jun 2027" for each year of a case starting in `start`'s month."""
    return [
        f"{month_year(month_start(start, 12 * year + 1))} – "
        f"{month_year(month_start(start, 12 * year + 12))}"
        for year in range(horizon_years)
    ]


def process_chart_data(
    case: CaseResult, options: list[Scenario], drivers: Sensitivity, start: date
) -> dict[str, Any]:
    """What static/js/business-case.js draws, as plain numbers and labels."""
    months = range(1, len(case.monthly_cumulative) + 1)
    return {
        "currency": case.currency,
        "cumulative": {
            "labels": [month_year(month_start(start, month)) for month in months],
            "values": [_number(value) for value in case.monthly_cumulative],
        },
        "savings": {
            "labels": [_("Year %(year)s") % {"year": flow.year} for flow in case.years],
            "datasets": [
                {
                    "label": _("Net cash flow"),
                    "kind": "net",
                    "values": [_number(flow.net_cash_flow) for flow in case.years],
                }
            ],
        },
        "scenarios": {
            "labels": [option.label for option in options],
            "values": [_number(option.pv_cost) for option in options],
        },
        "tornado": {
            "base": _number(drivers.base_npv),
            "rows": [
                {
                    "label": row.label,
                    "low_label": row.low_label,
                    "high_label": row.high_label,
                    "low": _number(row.npv_low),
                    "high": _number(row.npv_high),
                }
                for row in drivers.rows
            ],
        },
    }


def programme_chart_data(case: ProgrammeCase) -> dict[str, Any]:
    labels = [_("Year %(year)s") % {"year": year.year} for year in case.years]
    return {
        "currency": case.currency,
        "cumulative": {"labels": labels, "values": [_number(y.cumulative) for y in case.years]},
        "savings": {
            "labels": labels,
            "datasets": [
                {
                    "label": _("Recurring saving"),
                    "kind": "saving",
                    "values": [_number(year.saving) for year in case.years],
                },
                {
                    "label": _("One-off costs"),
                    "kind": "cost",
                    "values": [_number(-year.one_off) for year in case.years],
                },
            ],
        },
        "scenarios": {
            "labels": [option.label for option in case.scenarios],
            "values": [_number(option.pv_cost) for option in case.scenarios],
        },
    }


def process_for_case(pk: int) -> OutsourcedProcess:
    """The process with everything its case reads, in one query; 404 when unknown."""
    return get_object_or_404(with_case_inputs(OutsourcedProcess.objects.all()), pk=pk)


class ProcessBusinessCaseView(LoginRequiredMixin, DetailView):
    """The process's Business case tab: key figures, cash flow, scenarios and sensitivity."""

    template_name = "transition/process_business_case.html"
    context_object_name = "process"

    def get_queryset(self):
        return with_case_inputs(OutsourcedProcess.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process, user = self.object, self.request.user
        start = process.programme.start_date
        inputs = inputs_row(process)
        context.update(
            inputs=inputs,
            go_live=month_label(go_live_month(process, inputs), start),
            can_edit=user.has_perm(EDIT_PROCESS, process),
            discount_rate=discount_rate(process.programme),
            default_rate=process.programme.discount_rate is None,
            currency=process.currency or process.contract.currency,
        )
        try:
            case = process_case(process)
        except MissingCostFigures as missing:
            context["missing"] = [
                OutsourcedProcess._meta.get_field(name).verbose_name for name in missing.fields
            ]
            return context
        options = scenarios(case.inputs)
        drivers = sensitivity(case.inputs)
        context.update(
            case=case,
            years=list(zip(case.years, year_spans(start, case.inputs.horizon_years), strict=True)),
            scenarios=options,
            sensitivity=drivers,
            payback=payback_parts(case.payback_month, start),
            chart=process_chart_data(case, options, drivers, start),
        )
        return context


class ProcessBusinessCaseUpdateView(LoginRequiredMixin, View):
    """Edit a process's business-case inputs (operations managers; others get 403)."""

    template_name = "transition/business_case_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.process = process_for_case(kwargs["pk"])
        require(request.user, EDIT_PROCESS, self.process)
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None) -> BusinessCaseInputsForm:
        return BusinessCaseInputsForm(
            data,
            instance=inputs_row(self.process),
            user=self.request.user,
            currency=self.process.currency or self.process.contract.currency,
        )

    def get(self, request, pk: int):
        return self.render(self.form())

    def post(self, request, pk: int):
        form = self.form(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in BusinessCaseInputs.INPUT_FIELDS}
            try:
                services.case_inputs_update(actor=request.user, process=self.process, data=data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Business case inputs saved."))
                return HttpResponseRedirect(
                    reverse("transition:process_business_case", args=[self.process.pk])
                )
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"process": self.process, "form": form, "errors": form.error_summary()},
            status=status,
        )


class ProcessBusinessCaseExportView(LoginRequiredMixin, View):
    """The process's case as an XLSX workbook of formulas (docs/business-case.md)."""

    def get(self, request, pk: int):
        process = process_for_case(pk)
        try:
            case = process_case(process)
        except MissingCostFigures:
            messages.error(
                request, _("Enter the annual outsourced cost and projected in-house cost first.")
            )
            return HttpResponseRedirect(
                reverse("transition:process_business_case", args=[process.pk])
            )
        content = case_workbook(
            case,
            title=_("Business case of %(process)s") % {"process": process.name},
            scenarios=scenarios(case.inputs),
            sensitivity=sensitivity(case.inputs),
        )
        # Only the id and a slug reach the header: never the name as typed.
        name = slugify(process.name)[:60] or "process"
        filename = f"business-case-{process.pk}-{name}-{local_today():%Y-%m-%d}.xlsx"
        return HttpResponse(
            content,
            content_type=CONTENT_TYPES["xlsx"],
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )


class ProgrammeBusinessCaseView(LoginRequiredMixin, DetailView):
    """The programme roll-up: its processes' cases added up in the programme's currency."""

    template_name = "transition/programme_business_case.html"
    context_object_name = "programme"
    model = Programme

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, today = self.object, local_today()
        case = programme_case(programme, today)
        start = programme.start_date
        context.update(
            case=case,
            today=today,
            can_edit=self.request.user.has_perm(EDIT_PROGRAMME, programme),
            default_rate=programme.discount_rate is None,
            years=list(zip(case.years, year_spans(start, case.horizon_years), strict=True)),
            rows=[
                {
                    "process_id": result.inputs.process_id,
                    "name": result.inputs.name,
                    "currency": result.currency,
                    "npv": result.npv,
                    "annual_saving": result.annual_saving,
                    "payback": payback_label(result.payback_month, start),
                    "converted": result.currency not in case.unconverted,
                }
                for result in case.cases
            ],
            chart=programme_chart_data(case),
        )
        return context
