"""Providers and contracts, with the dates the engine computes."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts import dates
from contracts import services as contract_services
from contracts.models import Contract, ExitNotice, ServiceProvider

# The date engine works on real calendar dates; far-off years only ever come from typos
# (and year 1 or 9999 would overflow date arithmetic), so the API accepts a wide but sane span.
from .common import PlausibleDateField, ServiceModelSerializer, iso_date


class ServiceProviderSerializer(ServiceModelSerializer):
    class Meta:
        model = ServiceProvider
        fields = [
            "id",
            *ServiceProvider.INPUT_FIELDS,
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        return contract_services.provider_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return contract_services.provider_update(
            provider=instance, actor=self.actor, **validated_data
        )


class ContractNoticeSerializer(serializers.ModelSerializer):
    """A notice as its contract lists it; the notice itself is at /api/v1/notices/{id}/."""

    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ExitNotice
        fields = ["id", "scope", "served_on", "exit_date", "withdrawn_on", "is_active"]
        read_only_fields = fields


class ContractSerializer(ServiceModelSerializer):
    # Read from `contracts.selectors.contract_list()`, whose notice state makes `status` cost
    # no query per row, with the notices prefetched (ContractViewSet.filter_queryset).
    current_term_end = serializers.SerializerMethodField()
    next_notice_deadline = serializers.SerializerMethodField()
    decision_date = serializers.SerializerMethodField()
    exit_date_if_served_today = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    notices = ContractNoticeSerializer(source="exit_notices", many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            *Contract.INPUT_FIELDS,
            "current_term_end",
            "next_notice_deadline",
            "decision_date",
            "exit_date_if_served_today",
            "status",
            "notices",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_current_term_end(self, contract) -> str:
        return contract.current_term_end().isoformat()

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_notice_deadline(self, contract) -> str | None:
        return iso_date(contract.next_notice_deadline())

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_decision_date(self, contract) -> str | None:
        return iso_date(contract.decision_date())

    @extend_schema_field(OpenApiTypes.DATE)
    def get_exit_date_if_served_today(self, contract) -> str:
        return contract.exit_date_if_served().isoformat()

    @extend_schema_field(serializers.ChoiceField(choices=list(dates.STATUS_LABELS.items())))
    def get_status(self, contract) -> str:
        return contract.status()

    def create(self, validated_data):
        return contract_services.contract_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return contract_services.contract_update(
            contract=instance, actor=self.actor, **validated_data
        )


class ExitDateQuerySerializer(serializers.Serializer):
    served_on = PlausibleDateField(required=False, help_text="Defaults to today.")


class ExitDateSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    exit_date = serializers.DateField()
    assistance_end = serializers.DateField()


# Transition
