"""Baselines of a process's or a programme's plan, with the variance against each."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from transition.models import Baseline, OutsourcedProcess, Programme
from transition.selectors import baselines as baseline_selectors
from transition.services import baselines as baseline_services

from ..permissions import RulePermission
from ..serializers.baselines import BaselineDetailSerializer, BaselineSerializer
from .common import ServiceViewSet


class BaselineFilter(django_filters.FilterSet):
    process = django_filters.ModelChoiceFilter(queryset=OutsourcedProcess.objects.all())
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all())

    class Meta:
        model = Baseline
        fields = ["process", "programme"]


class BaselinePermission(RulePermission):
    """Saving is checked by the service on the process or programme named in the body;
    deleting is for operations managers and whoever saved the baseline."""

    def has_object_permission(self, request, view, obj):
        if request.method == "DELETE":
            return baseline_services.may_delete_baseline(request.user, obj)
        return super().has_object_permission(request, view, obj)


@extend_schema_view(
    list=extend_schema(summary="Baselines, newest first"),
    create=extend_schema(
        summary="Save the current plan of a process or a programme as a named baseline"
    ),
    retrieve=extend_schema(summary="A baseline with the variance of the current plan"),
    destroy=extend_schema(summary="Delete a baseline (the plan is untouched)"),
)
class BaselineViewSet(ServiceViewSet):
    """Baselines: saved, read (with the variance) and deleted, never edited."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    permission_classes = [BaselinePermission]
    filterset_class = BaselineFilter
    search_fields = ["name"]
    ordering_fields = ["created_at", "name"]
    ordering = ["-created_at", "-pk"]
    # Project leads save baselines of the processes they lead: the service checks which.
    write_permission = "transition.edit_plan"
    object_scoped = True

    def get_queryset(self):
        return baseline_selectors.baselines()

    def get_serializer_class(self):
        return BaselineDetailSerializer if self.action == "retrieve" else BaselineSerializer

    def perform_destroy(self, instance):
        baseline_services.baseline_delete(actor=self.request.user, baseline=instance)
