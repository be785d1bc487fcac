"""Providers and contracts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework.decorators import action
from rest_framework.response import Response

from contracts import selectors as contract_selectors
from contracts import services as contract_services
from contracts.models import Contract, ServiceProvider
from core.clock import local_today

from .. import filters
from .. import serializers as api
from .common import ServiceViewSet


class ServiceProviderViewSet(ServiceViewSet):
    """Service providers."""

    queryset = ServiceProvider.objects.all()
    serializer_class = api.ServiceProviderSerializer
    filterset_class = filters.ProviderFilter
    search_fields = ["name", "legal_name"]
    ordering_fields = ["name", "country", "created_at"]
    ordering = ["name"]
    write_permission = "contracts.edit_register"

    def perform_destroy(self, instance):
        contract_services.provider_delete(provider=instance, actor=self.request.user)


class ContractViewSet(ServiceViewSet):
    """Contracts, with the date engine's dates for today."""

    serializer_class = api.ContractSerializer
    filterset_class = filters.ContractFilter
    search_fields = ["reference", "title", "provider__name"]
    ordering_fields = ["reference", "end_date", "start_date", "annual_value"]
    ordering = ["reference"]
    write_permission = "contracts.edit_register"

    def get_queryset(self):
        return contract_selectors.contract_list()

    def filter_queryset(self, queryset):
        # Prefetched after the filters: the status filter reads the rows once more, and
        # would load every matching contract's notices for nothing.
        return super().filter_queryset(queryset).prefetch_related("exit_notices")

    def perform_destroy(self, instance):
        contract_services.contract_delete(contract=instance, actor=self.request.user)

    @extend_schema(
        summary="Exit date if notice is served on a day",
        parameters=[api.ExitDateQuerySerializer],
        responses=api.ExitDateSerializer,
    )
    @action(detail=True, methods=["get"], url_path="exit-date", filter_backends=[])
    def exit_date(self, request, pk=None):
        contract = get_object_or_404(Contract, pk=pk)
        query = api.ExitDateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        served_on = query.validated_data.get("served_on") or local_today()
        exit_date = contract.exit_date_if_served(served_on)
        data = {
            "served_on": served_on,
            "exit_date": exit_date,
            "assistance_end": contract.assistance_end(exit_date),
        }
        return Response(api.ExitDateSerializer(data).data)
