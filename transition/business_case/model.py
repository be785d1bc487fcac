"""The business case's inputs and results as plain values (docs/business-case.md).

No ORM here: `selectors.py` builds a `CaseInputs` from a process, `engine.py` turns it into a
`CaseResult`, and pages, the API and the XLSX export read the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

MAX_HORIZON_YEARS = 30


class CaseInputError(ValueError):
    """A case input is out of range; `field` names the `CaseInputs` field at fault.

    The models and forms validate first; this is the engine's own defence.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class CaseInputs:
    """Everything one process's case depends on; amounts in `currency`, rates in percent."""

    currency: str
    horizon_years: int  # 1..30
    discount_rate: Decimal  # % a year, e.g. Decimal("8")
    annual_outsourced: Decimal  # year-1 run-rate paid to the provider
    outsourced_indexation: Decimal  # % a year the provider's price rises (the contract's)
    annual_inhouse: Decimal  # year-1 in-house run-rate
    labour_growth: Decimal  # % a year the in-house run-rate rises
    one_off_transition: Decimal  # spread evenly over the months before go-live
    go_live_month: int  # 1-based month of the case the in-house team takes over
    dual_running_months: int  # months the provider is still paid from go-live
    termination_fee: Decimal  # paid in the go-live month
    exit_assistance: Decimal  # paid in the go-live month
    tupe_one_off: Decimal  # paid in the go-live month
    stranded_cost: Decimal  # written off in the go-live month
    renegotiation_change: Decimal = Decimal(0)  # % change of the price if renegotiated
    start_year: int | None = None  # calendar year of month 1, for labels only
    process_id: int | None = None  # the process the case is of, for roll-ups and links
    name: str = ""  # the process's name, for roll-ups and exports

    def __post_init__(self) -> None:
        if not 1 <= self.horizon_years <= MAX_HORIZON_YEARS:
            raise CaseInputError("horizon_years", f"must be 1 to {MAX_HORIZON_YEARS} years")
        not_negative = (
            "discount_rate",
            "annual_outsourced",
            "outsourced_indexation",
            "annual_inhouse",
            "labour_growth",
            "one_off_transition",
            "termination_fee",
            "exit_assistance",
            "tupe_one_off",
            "stranded_cost",
        )
        for name in not_negative:
            if getattr(self, name) < 0:
                raise CaseInputError(name, "cannot be negative")
        if self.dual_running_months < 0:
            raise CaseInputError("dual_running_months", "cannot be negative")
        if self.renegotiation_change < -100:
            raise CaseInputError("renegotiation_change", "cannot cut the price by more than 100%")


@dataclass(frozen=True)
class YearFlow:
    """One year of the "bring in-house" scenario against staying outsourced."""

    year: int  # 1-based
    stay_cost: Decimal  # staying outsourced: the indexed provider price
    outsourced_paid: Decimal  # provider paid before go-live and while dual-running
    inhouse_run: Decimal  # in-house run-rate from go-live
    transition: Decimal  # one-off transition cost falling in this year
    exit_costs: Decimal  # termination fee + exit assistance + TUPE + stranded in this year
    inhouse_cost: Decimal  # outsourced_paid + inhouse_run + transition + exit_costs
    net_cash_flow: Decimal  # stay_cost - inhouse_cost (positive: bringing it back saves)
    cumulative: Decimal  # running total of net_cash_flow
    discounted: Decimal  # net_cash_flow / (1 + r) ** year


@dataclass(frozen=True)
class CaseResult:
    inputs: CaseInputs
    years: list[YearFlow]
    monthly_cumulative: list[Decimal]  # cumulative net cash at the end of each month
    npv: Decimal  # of the yearly net cash flows, discounted at the end of each year
    payback_month: int | None  # first month the cumulative cash is back to >= 0, if any
    break_even_saving: Decimal | None  # year-1 annual saving (outsourced - in-house) at NPV 0
    warnings: list[str] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.inputs.currency

    @property
    def annual_saving(self) -> Decimal:
        return self.inputs.annual_outsourced - self.inputs.annual_inhouse

    @property
    def total_net(self) -> Decimal:
        return self.years[-1].cumulative if self.years else Decimal(0)
