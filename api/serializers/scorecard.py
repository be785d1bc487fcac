"""The parallel-run scorecard: KPIs with their RAG, streak and latest actual, and actuals."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.clock import local_today
from transition import services as transition_services
from transition.models import Kpi, KpiActual
from transition.selectors.scorecard import AMBER, GREEN, GREY, RED, Evaluation, kpi_evaluation

from .common import ServiceModelSerializer

KPI_RAGS = [(GREEN, "green"), (AMBER, "amber"), (RED, "red"), (GREY, "grey")]


class LatestActualSerializer(serializers.Serializer):
    period_start = serializers.DateField(source="start")
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    met = serializers.BooleanField()
    counted = serializers.BooleanField(help_text="False while its period is still in progress.")


class KpiSerializer(ServiceModelSerializer):
    """A KPI of a process's scorecard. `rag` judges the latest actual (green met; amber not
    met but better than the baseline or within 5 % of the target; red; grey: no actual);
    `streak` counts the consecutive completed periods met, back from the latest one."""

    rag = serializers.SerializerMethodField()
    streak = serializers.SerializerMethodField()
    latest = serializers.SerializerMethodField()

    class Meta:
        model = Kpi
        fields = ["id", *Kpi.INPUT_FIELDS, "rag", "streak", "latest"]
        validators = []  # (process, name) uniqueness is checked by the service's full_clean

    def evaluation(self, kpi: Kpi) -> Evaluation:
        cached = getattr(kpi, "_evaluation", None)
        if cached is None:
            if not hasattr(kpi, "actual_rows"):
                kpi.actual_rows = list(kpi.actuals.order_by("period_start"))
            cached = kpi._evaluation = kpi_evaluation(kpi, local_today())
        return cached

    @extend_schema_field(serializers.ChoiceField(choices=KPI_RAGS))
    def get_rag(self, kpi: Kpi) -> str:
        return self.evaluation(kpi).rag

    def get_streak(self, kpi: Kpi) -> int:
        return self.evaluation(kpi).streak

    @extend_schema_field(LatestActualSerializer(allow_null=True))
    def get_latest(self, kpi: Kpi) -> dict[str, Any] | None:
        latest = self.evaluation(kpi).latest
        return None if latest is None else LatestActualSerializer(latest).data

    def validate(self, attrs):
        moved = "process" in attrs and attrs["process"] != getattr(self.instance, "process", None)
        if self.instance is not None and moved:
            raise serializers.ValidationError(
                {"process": "A KPI stays on the scorecard of its process."}
            )
        return attrs

    def create(self, validated_data):
        return transition_services.kpi_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.kpi_update(kpi=instance, actor=self.actor, **validated_data)


class KpiActualSerializer(ServiceModelSerializer):
    """The value of a KPI for one period (a week from Monday, a month from the 1st), inside
    the transition's window. Posting a period already recorded replaces its value."""

    class Meta:
        model = KpiActual
        fields = ["id", *KpiActual.INPUT_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # once per KPI and period: a second post updates (the service)

    def validate(self, attrs):
        if self.instance is not None and "kpi" in attrs and attrs["kpi"] != self.instance.kpi:
            raise serializers.ValidationError({"kpi": "An actual stays on its KPI."})
        return attrs

    def create(self, validated_data):
        return transition_services.kpi_actual_record(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.kpi_actual_save(
            actor=self.actor, actual=instance, **validated_data
        )
