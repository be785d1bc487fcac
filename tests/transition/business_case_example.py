"""The round numbers of the worked example in docs/business-case.md, shared by its tests."""

from decimal import Decimal

from transition.business_case import CaseInputs

D = Decimal

DOCS_EXAMPLE = CaseInputs(
    currency="EUR",
    horizon_years=5,
    discount_rate=D(8),
    annual_outsourced=D(120000),
    outsourced_indexation=D(3),
    annual_inhouse=D(90000),
    labour_growth=D(4),
    one_off_transition=D(60000),
    go_live_month=7,
    dual_running_months=2,
    termination_fee=D(10000),
    exit_assistance=D(5000),
    tupe_one_off=D(8000),
    stranded_cost=D(2000),
    renegotiation_change=D(-10),
)
