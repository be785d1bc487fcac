"""A process's business case and a programme's roll-up, computed (docs/business-case.md).

Results are the engine's values (`transition.business_case`): money as decimal strings to the
cent, rates in percent, months of the case counted from 1 (the programme's start month).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from transition.business_case.forms import LABELS, bound_messages
from transition.models import BusinessCaseInputs


class MoneyField(serializers.DecimalField):
    """A computed amount: a decimal string to the cent, in the case's currency."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=20, decimal_places=2, read_only=True, **kwargs)


class PercentField(serializers.DecimalField):
    """A computed rate in percent (8 = 8% a year)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=7, decimal_places=2, read_only=True, **kwargs)


def _input_kwargs() -> dict[str, dict[str, Any]]:
    # Range messages that name the field, as the page's form says them.
    extra = {}
    for name in BusinessCaseInputs.INPUT_FIELDS:
        below, above = bound_messages(name, str(LABELS[name]))
        extra[name] = {"error_messages": {"min_value": below, "max_value": above}}
    return extra


# The figures the case takes from elsewhere, and where they are changed.
ENTERED_ELSEWHERE = {
    "currency": "the process",
    "annual_outsourced_cost": "the process",
    "projected_inhouse_annual_cost": "the process",
    "one_off_transition_cost": "the process",
    "annual_indexation": "the contract",
    "horizon_years": "the programme",
    "discount_rate": "the programme",
}


class BusinessCaseInputsSerializer(serializers.ModelSerializer):
    """What may be written: the process's own assumptions (the rest comes from elsewhere).

    A field it does not know is a 400 naming it, not silently dropped: a client that thinks it
    changed the horizon here should hear that it did not.
    """

    class Meta:
        model = BusinessCaseInputs
        fields = list(BusinessCaseInputs.INPUT_FIELDS)
        extra_kwargs = _input_kwargs()

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        for name in sorted(set(data.keys()) - set(self.fields)) if hasattr(data, "keys") else ():
            where = ENTERED_ELSEWHERE.get(name)
            unknown[name] = [
                f"Not a business-case input: change it on {where}."
                if where
                else "Not a business-case input."
            ]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from error
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class CaseInputsSerializer(BusinessCaseInputsSerializer):
    """The inputs the case used: the process's assumptions and the figures taken from the
    process, its contract and its programme."""

    stored = serializers.BooleanField(
        read_only=True, help_text="Whether the assumptions were saved; false: the defaults apply."
    )
    currency = serializers.CharField(read_only=True, help_text="Every amount of the case is in it.")
    horizon_years = serializers.IntegerField(read_only=True, help_text="The programme's.")
    discount_rate = PercentField(help_text="% a year: the programme's, else the company default.")
    annual_outsourced_cost = MoneyField(allow_null=True, help_text="O: the process's.")
    projected_inhouse_annual_cost = MoneyField(allow_null=True, help_text="I: the process's.")
    one_off_transition_cost = MoneyField(allow_null=True, help_text="T: the process's.")
    annual_indexation = PercentField(
        help_text="% a year the provider's price rises: the contract's."
    )
    effective_go_live_month = serializers.IntegerField(
        read_only=True,
        help_text="The month the in-house team takes over: go_live_month, else from the dates.",
    )

    class Meta(BusinessCaseInputsSerializer.Meta):
        fields = [
            *BusinessCaseInputs.INPUT_FIELDS,
            "stored",
            "currency",
            "horizon_years",
            "discount_rate",
            "annual_outsourced_cost",
            "projected_inhouse_annual_cost",
            "one_off_transition_cost",
            "annual_indexation",
            "effective_go_live_month",
        ]


class YearFlowSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    stay_cost = MoneyField(help_text="Staying outsourced: the indexed provider price.")
    outsourced_paid = MoneyField(help_text="Provider paid before go-live and while dual-running.")
    inhouse_run = MoneyField(help_text="In-house run-rate from go-live.")
    transition = MoneyField(help_text="One-off transition cost falling in this year.")
    exit_costs = MoneyField(help_text="Termination fee, exit assistance, TUPE and stranded cost.")
    inhouse_cost = MoneyField(help_text="The in-house scenario's cost: the four above.")
    net_cash_flow = MoneyField(help_text="stay_cost − inhouse_cost: positive saves.")
    cumulative = MoneyField()
    discounted = MoneyField(help_text="net_cash_flow / (1 + r)^year.")


class ScenarioSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["stay", "renegotiate", "in_house"], read_only=True)
    label = serializers.CharField(read_only=True)
    yearly_cost = serializers.ListField(child=MoneyField(), read_only=True)
    total_cost = MoneyField()
    pv_cost = MoneyField(help_text="Present value of the yearly costs at the discount rate.")
    npv_vs_stay = MoneyField(help_text="PV(stay outsourced) − PV(this scenario).")


class SensitivityRowSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["labour_growth", "exchange_rate", "transition_cost", "go_live"], read_only=True
    )
    label = serializers.CharField(read_only=True)
    low_label = serializers.CharField(read_only=True)
    high_label = serializers.CharField(read_only=True)
    low_input = serializers.DecimalField(max_digits=20, decimal_places=4, read_only=True)
    high_input = serializers.DecimalField(max_digits=20, decimal_places=4, read_only=True)
    npv_low = MoneyField()
    npv_high = MoneyField()
    swing = MoneyField()


class SensitivitySerializer(serializers.Serializer):
    base_npv = MoneyField()
    rows = SensitivityRowSerializer(many=True, read_only=True, help_text="Widest swing first.")


class CaseResultSerializer(serializers.Serializer):
    years = YearFlowSerializer(many=True, read_only=True)
    monthly_cumulative = serializers.ListField(
        child=MoneyField(),
        read_only=True,
        help_text="Cumulative net cash at the end of each month.",
    )
    npv = MoneyField()
    payback_month = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="First month the cumulative cash is back to ≥ 0; 0: never negative; "
        "null: not within the horizon.",
    )
    break_even_saving = MoneyField(
        allow_null=True, help_text="The year-1 annual saving at which the NPV is 0."
    )
    annual_saving = MoneyField(help_text="Planned year-1 saving: O − I.")
    total_net = MoneyField(help_text="Net cash over the horizon, undiscounted.")
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)
    scenarios = ScenarioSerializer(many=True, read_only=True)
    sensitivity = SensitivitySerializer(read_only=True)


class ProcessBusinessCaseSerializer(serializers.Serializer):
    """GET, PUT and PATCH /api/v1/processes/{id}/business-case/."""

    process = serializers.IntegerField(read_only=True)
    inputs = CaseInputsSerializer(read_only=True)
    missing_cost_figures = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The process's empty cost figures; the case needs all three (0 counts).",
    )
    results = CaseResultSerializer(
        read_only=True, allow_null=True, help_text="null while cost figures are missing."
    )


class ProgrammeYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    net_cash_flow = MoneyField()
    cumulative = MoneyField()
    saving = MoneyField(help_text="Recurring: stay cost − provider still paid − in-house run-rate.")
    one_off = MoneyField(help_text="Transition and exit costs.")
    discounted = MoneyField()


class ProgrammeProcessCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    currency = serializers.CharField(read_only=True)
    npv = MoneyField(help_text="In the process's own currency.")
    payback_month = serializers.IntegerField(read_only=True, allow_null=True)
    annual_saving = MoneyField()
    converted = serializers.BooleanField(
        read_only=True, help_text="false: its currency had no rate; not in the totals."
    )


class ProgrammeBusinessCaseSerializer(serializers.Serializer):
    """GET /api/v1/programmes/{id}/business-case/: its processes' cases added up."""

    programme = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    horizon_years = serializers.IntegerField(read_only=True)
    discount_rate = PercentField()
    rates_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The oldest exchange rate used."
    )
    complete = serializers.BooleanField(
        read_only=True, help_text="Every process entered and converted."
    )
    npv = MoneyField()
    total_net = MoneyField()
    years = ProgrammeYearSerializer(many=True, read_only=True)
    scenarios = ScenarioSerializer(many=True, read_only=True)
    processes = ProgrammeProcessCaseSerializer(many=True, read_only=True)
    unconverted = serializers.DictField(
        child=MoneyField(),
        read_only=True,
        help_text="Currency code → net cash over the horizon of its processes, not converted "
        "for want of a rate and in no total.",
    )
    excluded = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Names of processes left out for missing cost figures.",
    )
