"""The business case endpoints, as actions of the process and programme viewsets
(docs/api.md, "Business case"; docs/business-case.md)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.clock import local_today
from transition import services as transition_services
from transition.business_case import scenarios, sensitivity
from transition.business_case.rollup import ProgrammeCase
from transition.business_case.selectors import (
    MissingCostFigures,
    discount_rate,
    go_live_month,
    inputs_row,
    process_case,
    programme_case,
    with_case_inputs,
)
from transition.models import OutsourcedProcess, Programme

from ..serializers.business_case import (
    BusinessCaseInputsSerializer,
    ProcessBusinessCaseSerializer,
    ProgrammeBusinessCaseSerializer,
)

# The viewsets leave PUT out (PATCH edits); this endpoint takes both, as a form would.
CASE_METHODS = ["get", "put", "patch", "head", "options"]


def process_case_data(process: OutsourcedProcess) -> dict[str, Any]:
    """The case in the shape ProcessBusinessCaseSerializer reads; load the process
    `with_case_inputs()`."""
    row = inputs_row(process)
    programme, contract = process.programme, process.contract
    inputs: dict[str, Any] = {name: getattr(row, name) for name in row.INPUT_FIELDS}
    inputs.update(
        stored=not row._state.adding,
        currency=process.currency or contract.currency,
        horizon_years=programme.case_horizon_years,
        discount_rate=discount_rate(programme),
        annual_outsourced_cost=process.annual_outsourced_cost,
        projected_inhouse_annual_cost=process.projected_inhouse_annual_cost,
        one_off_transition_cost=process.one_off_transition_cost,
        annual_indexation=contract.annual_indexation,
        effective_go_live_month=go_live_month(process, row),
    )
    data: dict[str, Any] = {
        "process": process.pk,
        "inputs": inputs,
        "missing_cost_figures": [],
        "results": None,
    }
    try:
        case = process_case(process)
    except MissingCostFigures as missing:
        data["missing_cost_figures"] = missing.fields
        return data
    data["results"] = {
        "years": case.years,
        "monthly_cumulative": case.monthly_cumulative,
        "npv": case.npv,
        "payback_month": case.payback_month,
        "break_even_saving": case.break_even_saving,
        "annual_saving": case.annual_saving,
        "total_net": case.total_net,
        "warnings": case.warnings,
        "scenarios": scenarios(case.inputs),
        "sensitivity": sensitivity(case.inputs),
    }
    return data


def programme_case_data(programme: Programme, case: ProgrammeCase) -> dict[str, Any]:
    """The roll-up in the shape ProgrammeBusinessCaseSerializer reads."""
    return {
        "programme": programme.pk,
        "currency": case.currency,
        "horizon_years": case.horizon_years,
        "discount_rate": case.discount_rate,
        "rates_date": case.rates_date,
        "complete": case.complete,
        "npv": case.npv,
        "total_net": case.total_net,
        "years": case.years,
        "scenarios": case.scenarios,
        "processes": [
            {
                "id": result.inputs.process_id,
                "name": result.inputs.name,
                "currency": result.currency,
                "npv": result.npv,
                "payback_month": result.payback_month,
                "annual_saving": result.annual_saving,
                "converted": result.currency not in case.unconverted,
            }
            for result in case.cases
        ],
        "unconverted": case.unconverted,
        "excluded": case.excluded,
    }


class ProcessBusinessCaseMixin:
    """`/processes/{id}/business-case/`: read the computed case; PUT/PATCH its inputs.

    Writes need the viewset's write permission (operations managers: 403 otherwise, checked
    before the body is read) and go through `case_inputs_update`, which validates the whole
    row: a 400 by field writes nothing.
    """

    @extend_schema(
        methods=["GET"],
        summary="The process's business case: inputs, cash flow, scenarios, sensitivity",
        responses=ProcessBusinessCaseSerializer,
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        summary="Change the process's business-case inputs (operations managers)",
        request=BusinessCaseInputsSerializer,
        responses=ProcessBusinessCaseSerializer,
    )
    @action(
        detail=True,
        methods=["get", "put", "patch"],
        url_path="business-case",
        filter_backends=[],
        pagination_class=None,
        http_method_names=CASE_METHODS,
    )
    def business_case(self, request: Request, pk: str | None = None) -> Response:
        process = get_object_or_404(with_case_inputs(OutsourcedProcess.objects.all()), pk=pk)
        if request.method in ("PUT", "PATCH"):
            self.check_object_permissions(request, process)  # type: ignore[attr-defined]
            payload = BusinessCaseInputsSerializer(
                data=request.data, partial=request.method == "PATCH"
            )
            payload.is_valid(raise_exception=True)
            transition_services.case_inputs_update(
                actor=request.user, process=process, data=payload.validated_data
            )
        return Response(ProcessBusinessCaseSerializer(process_case_data(process)).data)


class ProgrammeBusinessCaseMixin:
    """`/programmes/{id}/business-case/`: its processes' cases added up, at today's rates."""

    @extend_schema(
        summary="The programme's business case: its processes' cases added up",
        responses=ProgrammeBusinessCaseSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="business-case",
        filter_backends=[],
        pagination_class=None,
    )
    def business_case(self, request: Request, pk: str | None = None) -> Response:
        programme = get_object_or_404(Programme, pk=pk)
        case = programme_case(programme, local_today())
        return Response(ProgrammeBusinessCaseSerializer(programme_case_data(programme, case)).data)
