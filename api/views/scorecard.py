"""The parallel-run scorecard at /api/v1/kpis/ and /api/v1/kpi-actuals/."""

from __future__ import annotations

import django_filters

from transition import services as transition_services
from transition.models import Kpi, KpiActual, OutsourcedProcess
from transition.selectors.scorecard import actual_rows_prefetch
from transition.services.scorecard import EDIT_SCORECARD

from ..permissions import RulePermission
from ..serializers.scorecard import KpiActualSerializer, KpiSerializer
from .common import ServiceViewSet


class KpiFilter(django_filters.FilterSet):
    process = django_filters.ModelChoiceFilter(queryset=OutsourcedProcess.objects.all())

    class Meta:
        model = Kpi
        fields = ["process", "direction", "period"]


class KpiActualFilter(django_filters.FilterSet):
    kpi = django_filters.ModelChoiceFilter(queryset=Kpi.objects.all())
    process = django_filters.ModelChoiceFilter(
        field_name="kpi__process", queryset=OutsourcedProcess.objects.all()
    )
    period_start = django_filters.DateFromToRangeFilter()

    class Meta:
        model = KpiActual
        fields = ["kpi", "process"]


class ScorecardPermission(RulePermission):
    """As every plan item: the object's process decides (an actual's is its KPI's)."""

    def has_object_permission(self, request, view, obj):
        process = obj.kpi.process if isinstance(obj, KpiActual) else obj.process
        return super().has_object_permission(request, view, process)


class KpiViewSet(ServiceViewSet):
    """KPIs of processes' scorecards: project leads write those of processes they lead."""

    serializer_class = KpiSerializer
    filterset_class = KpiFilter
    permission_classes = [ScorecardPermission]
    write_permission = EDIT_SCORECARD
    object_scoped = True
    search_fields = ["name"]
    ordering_fields = ["name", "target"]
    ordering = ["process", "name", "pk"]

    def get_queryset(self):
        # The RAG, streak and latest read the actuals: one query for the page's KPIs.
        return Kpi.objects.select_related("process").prefetch_related(actual_rows_prefetch())

    def perform_destroy(self, instance):
        transition_services.kpi_delete(kpi=instance, actor=self.request.user)


class KpiActualViewSet(ServiceViewSet):
    """Actuals of KPIs, one per KPI and period; posting a recorded period updates it."""

    serializer_class = KpiActualSerializer
    filterset_class = KpiActualFilter
    permission_classes = [ScorecardPermission]
    write_permission = EDIT_SCORECARD
    object_scoped = True
    ordering_fields = ["period_start", "value"]
    ordering = ["kpi", "period_start", "pk"]

    def get_queryset(self):
        return KpiActual.objects.select_related("kpi__process__contract")

    def perform_destroy(self, instance):
        transition_services.kpi_actual_delete(actual=instance, actor=self.request.user)
