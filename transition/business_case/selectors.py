"""The business case read from the database (docs/business-case.md, "Where the inputs come from").

The only module of the package that touches the ORM: it builds `CaseInputs` from a process,
its contract, its programme and its `BusinessCaseInputs` row, and hands them to the engine.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import formats
from currencies.conversion import rates_on

from ..models import BusinessCaseInputs, OutsourcedProcess, Programme
from .engine import run_case
from .model import CaseInputs, CaseResult
from .rollup import ProgrammeCase, programme_rollup

# What case_inputs() reads besides the process: load them with the process, or each is a query.
CASE_RELATED = ("programme", "contract", "case_inputs")


class MissingCostFigures(ValueError):
    """The process lacks a cost figure the case needs; callers ask for the figures first."""

    def __init__(self, process: OutsourcedProcess, fields: list[str]) -> None:
        super().__init__(f"{process}: enter {', '.join(fields)} first")
        self.process = process
        self.fields = fields


def with_case_inputs(queryset: QuerySet[OutsourcedProcess]) -> QuerySet[OutsourcedProcess]:
    """`queryset` loading everything `case_inputs()` reads, in the same query."""
    return queryset.select_related(*CASE_RELATED)


def missing_cost_figures(process: OutsourcedProcess) -> list[str]:
    return [name for name in OutsourcedProcess.COST_FIELDS if getattr(process, name) is None]


def discount_rate(programme: Programme) -> Decimal:
    """The programme's rate, else the company's default (settings.BUSINESS_CASE_DISCOUNT_RATE)."""
    if programme.discount_rate is not None:
        return programme.discount_rate
    return Decimal(settings.BUSINESS_CASE_DISCOUNT_RATE)


def months_from_start(programme: Programme, day: date) -> int:
    """The month of the case `day` falls in: 1 for the programme's start month, at least 1."""
    start = programme.start_date
    return max((day.year - start.year) * 12 + day.month - start.month + 1, 1)


def go_live_month(process: OutsourcedProcess, row: BusinessCaseInputs) -> int:
    """The entered month, else the month of the target in-house date, the exit date or, last,
    the programme's target date."""
    if row.go_live_month is not None:
        return row.go_live_month
    day = process.target_in_house_date or process.exit_date or process.programme.target_date
    return months_from_start(process.programme, day)


def inputs_row(process: OutsourcedProcess) -> BusinessCaseInputs:
    """The process's inputs row, or an unsaved one holding the defaults the case uses
    (`row._state.adding` tells them apart)."""
    try:
        return process.case_inputs
    except ObjectDoesNotExist:
        # No row yet: the model's defaults, unsaved.
        return BusinessCaseInputs(process=process)


def case_inputs(process: OutsourcedProcess) -> CaseInputs:
    """The process's case inputs; raises MissingCostFigures when a cost figure is empty."""
    outsourced = process.annual_outsourced_cost
    inhouse = process.projected_inhouse_annual_cost
    transition = process.one_off_transition_cost
    if outsourced is None or inhouse is None or transition is None:
        raise MissingCostFigures(process, missing_cost_figures(process))
    programme, contract, row = process.programme, process.contract, inputs_row(process)
    return CaseInputs(
        currency=process.currency or contract.currency,
        horizon_years=programme.case_horizon_years,
        discount_rate=discount_rate(programme),
        annual_outsourced=outsourced,
        outsourced_indexation=contract.annual_indexation,
        annual_inhouse=inhouse,
        labour_growth=Decimal(row.labour_cost_growth),
        one_off_transition=transition,
        go_live_month=go_live_month(process, row),
        dual_running_months=row.dual_running_months,
        termination_fee=Decimal(row.termination_fee),
        exit_assistance=Decimal(row.exit_assistance_cost),
        tupe_one_off=Decimal(row.tupe_cost),
        stranded_cost=Decimal(row.stranded_cost),
        renegotiation_change=Decimal(row.renegotiation_change),
        start_year=programme.start_date.year,
        process_id=process.pk,
        name=process.name,
    )


def process_case(process: OutsourcedProcess) -> CaseResult:
    """The process's case; raises MissingCostFigures. Load it `with_case_inputs()`."""
    inputs = case_inputs(process)
    result = run_case(inputs)
    contract = process.contract
    if inputs.termination_fee == 0 and contract.termination_fee > 0:
        # The contract's fee covers every process under it, so it is not copied in; say so.
        note = _(
            "The contract has a termination fee of %(fee)s; enter this process's share of it."
        ) % {"fee": formats.money(contract.termination_fee, contract.currency)}
        result = replace(result, warnings=[*result.warnings, note])
    return result


def programme_case(programme: Programme, on: date, *, currency: str | None = None) -> ProgrammeCase:
    """The programme's processes' cases added up in `currency` (default: the programme's)
    at the rates of `on`. Two queries at most: the processes with what they need, the rates."""
    processes = with_case_inputs(programme.processes.order_by("name"))
    cases, excluded = [], []
    for process in processes:
        if missing_cost_figures(process):
            excluded.append(process.name)
        else:
            cases.append(process_case(process))
    rates = rates_on(on, {case.currency for case in cases}, currency or programme.currency)
    return programme_rollup(
        cases,
        rates,
        horizon_years=programme.case_horizon_years,
        discount_rate=discount_rate(programme),
        excluded=excluded,
    )
