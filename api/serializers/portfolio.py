"""The portfolio's money: totals in the reporting currency, and what they leave out."""

from __future__ import annotations

from rest_framework import serializers

from transition.models import Programme

from .common import PlausibleDateField


def _amount(**kwargs) -> serializers.DecimalField:
    """An amount as a decimal string to the cent, e.g. "1250000.00" (never a float)."""
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


class PortfolioQuerySerializer(serializers.Serializer):
    on = PlausibleDateField(
        required=False,
        help_text=(
            "The day whose exchange rates convert the totals: each currency's latest rate on "
            "or before it. Defaults to today."
        ),
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        required=False,
        help_text="Only the processes of this programme (its id).",
    )


class CurrencyAmountsSerializer(serializers.Serializer):
    """The sums of one currency's processes, in that currency, as entered."""

    process_count = serializers.IntegerField()
    saving_process_count = serializers.IntegerField(
        source="saving_count",
        help_text="Processes with both annual figures: those the annual saving is over.",
    )
    annual_outsourced_cost = _amount()
    projected_inhouse_annual_cost = _amount()
    annual_saving = _amount()
    one_off_transition_cost = _amount()


class PortfolioSerializer(serializers.Serializer):
    """Totals in `currency`: each currency summed, then converted once with the rates of `on`.

    A currency with no rate on or before `on` is never added: it is listed in `unconverted`
    and `complete` is false.
    """

    currency = serializers.CharField(help_text="The reporting currency of every total.")
    on = serializers.DateField(help_text="The day whose exchange rates were asked for.")
    rates_date = serializers.DateField(
        allow_null=True,
        help_text="The day of the oldest exchange rate used; null when nothing was converted.",
    )
    complete = serializers.BooleanField(
        help_text="False when a currency had no rate: its amounts are not in the totals."
    )
    process_count = serializers.IntegerField()
    saving_process_count = serializers.IntegerField(
        source="saving_count",
        help_text="Processes with both annual figures: those the annual saving is over.",
    )
    annual_outsourced_cost = _amount(
        source="annual_outsourced_cost.amount.amount",
        help_text="Over every process with the figure.",
    )
    projected_inhouse_annual_cost = _amount(
        source="projected_inhouse_annual_cost.amount.amount",
        help_text="Over every process with the figure.",
    )
    annual_saving = _amount(
        source="annual_saving.amount.amount",
        help_text=(
            "Annual outsourced cost minus projected in-house cost, over the processes with "
            "both figures (saving_process_count)."
        ),
    )
    one_off_transition_cost = _amount(
        source="one_off_transition_cost.amount.amount",
        help_text="Over every process with the figure.",
    )
    payback_months = serializers.DecimalField(
        max_digits=None,
        decimal_places=1,
        allow_null=True,
        help_text="One-off cost over the monthly saving; null without a saving or when incomplete.",
    )
    by_currency = serializers.DictField(
        child=CurrencyAmountsSerializer(),
        help_text="Subtotals by the currency entered, in that currency, before conversion.",
    )
    unconverted = serializers.DictField(
        child=CurrencyAmountsSerializer(),
        help_text="The subtotals of currencies without a rate: not in any total.",
    )
