"""Serializers of the REST API: model fields as in docs/domain.md, plus computed values.

Serializers validate shapes only; `create`/`update` call the same services the pages use,
so permissions and business rules are identical.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import models
from django.db.models.manager import BaseManager
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from contracts import dates
from contracts import services as contract_services
from contracts.models import Contract, ExitNotice, ServiceProvider
from reminders.models import Notification
from transition import services as transition_services
from transition.models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    StaffMember,
)
from transition.selectors import TransitionOption, available_transitions, transition_options

# The date engine works on real calendar dates; far-off years only ever come from typos
# (and year 1 or 9999 would overflow date arithmetic), so the API accepts a wide but sane span.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class PlausibleDateField(serializers.DateField):
    """An ISO date between 1900 and 2199."""

    default_error_messages = {
        "out_of_range": "Enter a date between {earliest} and {latest}.",
    }

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not EARLIEST <= result <= LATEST:
            self.fail("out_of_range", earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())
        return result


class ServiceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose writes go through a service with the request's user as actor."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: PlausibleDateField,
    }

    @property
    def actor(self):
        return self.context["request"].user


# Register


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
        return _iso(contract.next_notice_deadline())

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_decision_date(self, contract) -> str | None:
        return _iso(contract.decision_date())

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


class ProgrammeSerializer(ServiceModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "sponsor",
            "start_date",
            "target_date",
            "budget",
        ]

    def create(self, validated_data):
        return transition_services.programme_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.programme_update(
            programme=instance, actor=self.actor, **validated_data
        )


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    params = serializers.ListField(child=serializers.CharField())


class OutsourcedProcessListSerializer(serializers.ListSerializer):
    """A page of processes, whose workflow options are worked out for the whole page at once
    (the guards' inputs in one query per kind), so a page costs the same for any length."""

    def to_representation(
        self, data: Iterable[OutsourcedProcess] | BaseManager[OutsourcedProcess]
    ) -> list[dict[str, Any]]:
        processes = list(data.all() if isinstance(data, BaseManager) else data)
        self.child.preloaded_options = transition_options(processes, self.child.actor)
        return super().to_representation(processes)


class OutsourcedProcessSerializer(ServiceModelSerializer):
    """A process with its business case, RAG and options; read it from
    `transition.selectors.process_list()`, which carries what the RAG needs."""

    annual_saving = serializers.SerializerMethodField()
    payback_months = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    # Set by OutsourcedProcessListSerializer: the options of every process on the page.
    preloaded_options: dict[int, list[TransitionOption]] | None = None

    class Meta:
        model = OutsourcedProcess
        fields = [
            "id",
            *OutsourcedProcess.INPUT_FIELDS,
            "state",
            "exit_notice",
            "notice_served_on",
            "exit_date",
            "in_house_on",
            "annual_saving",
            "payback_months",
            "rag",
            "available_transitions",
            "created_at",
            "updated_at",
        ]
        # The workflow records these through apply_transition(); they are never inputs.
        read_only_fields = ["state", "exit_notice", "notice_served_on", "exit_date", "in_house_on"]
        validators = []  # (programme, name) uniqueness is checked by the service's full_clean
        list_serializer_class = OutsourcedProcessListSerializer

    @extend_schema_field(serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True))
    def get_annual_saving(self, process):
        saving = process.annual_saving
        return None if saving is None else f"{saving:.2f}"

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True))
    def get_payback_months(self, process):
        months = process.payback_months
        return None if months is None else f"{months:.1f}"

    @extend_schema_field(serializers.ChoiceField(choices=OutsourcedProcess.Rag.choices))
    def get_rag(self, process) -> str:
        return process.rag

    @extend_schema_field(AvailableTransitionSerializer(many=True))
    def get_available_transitions(self, process: OutsourcedProcess) -> list[dict[str, Any]]:
        if self.preloaded_options is not None:
            options = self.preloaded_options[process.pk]
        else:
            options = available_transitions(process, self.actor)
        return AvailableTransitionSerializer(options, many=True).data

    def create(self, validated_data):
        return transition_services.process_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.process_update(
            process=instance, actor=self.actor, **validated_data
        )


class TransitionInputSerializer(serializers.Serializer):
    """What a transition may take; each transition uses only the fields it accepts."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    served_on = PlausibleDateField(
        required=False, help_text="serve_exit_notice: the day notice is received (today)."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="withdraw_notice: why (required)."
    )
    in_house_on = PlausibleDateField(
        required=False, help_text="complete: the day the process ran in-house (today)."
    )


class TransitionBlockedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class ProcessEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessEvent
        fields = ["id", "process", "transition", "source", "target", "actor", "at", "note"]
        read_only_fields = fields


class ExitNoticeSerializer(ServiceModelSerializer):
    """Exit notice on a contract. Serving it moves every process in its scope to exit notice,
    or none of them; a withdrawal is written on it, never a deletion."""

    # Read from ExitNoticeViewSet.get_queryset(): the contract joined (assistance end), the
    # processes prefetched. The service checks the proof's type and size (full_clean); the
    # model's validators are left off here so the response's URL carries no file-name pattern.
    proof = serializers.FileField(
        required=False,
        allow_null=True,
        max_length=100,
        help_text=(
            "Proof of service (signed letter, courier receipt, portal screenshot): PDF, PNG, "
            "JPG, DOCX or TXT, sent as multipart/form-data. In a response: its URL, or null."
        ),
    )
    processes = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=OutsourcedProcess.objects.all(),
        help_text=(
            "Processes under the contract that the notice names; empty or omitted: the whole "
            "contract. In a response: the processes in its scope now."
        ),
    )
    assistance_end = serializers.DateField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ExitNotice
        fields = [
            "id",
            "contract",
            "scope",
            "served_on",
            "dispatched_on",
            "method",
            "recipient",
            "signed_by",
            "exit_date",
            "assistance_end",
            "note",
            "proof",
            "served_by",
            "created_at",
            "withdrawn_on",
            "withdrawal_reason",
            "provider_agreed",
            "withdrawn_by",
            "processes",
            "is_active",
        ]
        # Worked out by the service (scope, exit date) or written only by a withdrawal.
        read_only_fields = [
            "scope",
            "exit_date",
            "served_by",
            "created_at",
            "withdrawn_on",
            "withdrawal_reason",
            "provider_agreed",
            "withdrawn_by",
        ]

    def create(self, validated_data):
        processes = [process.pk for process in validated_data.pop("processes", [])]
        return transition_services.notice_serve(
            actor=self.actor, processes=processes, **validated_data
        )


class NoticeWithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the notice is withdrawn.")
    provider_agreed = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Whether the provider agreed to the withdrawal; null when not known.",
    )
    withdrawn_on = PlausibleDateField(
        required=False, help_text="Between the day notice was received and today (today)."
    )


class PlanItemSerializer(ServiceModelSerializer):
    """Milestones, assets and staff: a project lead may write only those of processes they lead."""

    def validate_process(self, process):
        if self.instance is not None and process.pk != self.instance.process_id:
            raise serializers.ValidationError("A plan item cannot move to another process.")
        return process


class MilestoneSerializer(PlanItemSerializer):
    depends_on = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Milestone.objects.all()
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            *Milestone.INPUT_FIELDS,
        ]

    def create(self, validated_data):
        return transition_services.milestone_save(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.milestone_save(
            actor=self.actor, milestone=instance, **validated_data
        )


class AssetSerializer(PlanItemSerializer):
    class Meta:
        model = Asset
        fields = [
            "id",
            *Asset.INPUT_FIELDS,
        ]

    def create(self, validated_data):
        return transition_services.asset_save(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.asset_save(actor=self.actor, asset=instance, **validated_data)


class StaffMemberSerializer(PlanItemSerializer):
    eli_due_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = StaffMember
        fields = [
            "id",
            *StaffMember.INPUT_FIELDS,
            "eli_due_date",
        ]

    def create(self, validated_data):
        return transition_services.staff_save(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.staff_save(actor=self.actor, member=instance, **validated_data)


class ReadinessAssessmentSerializer(ServiceModelSerializer):
    overall = serializers.IntegerField(read_only=True)
    rag = serializers.ChoiceField(choices=OutsourcedProcess.Rag.choices, read_only=True)

    class Meta:
        model = ReadinessAssessment
        fields = [
            "id",
            "process",
            "assessed_on",
            "assessed_by",
            "expertise",
            "workforce",
            "infrastructure",
            "systems_data",
            "processes_controls",
            "notes",
            "overall",
            "rag",
        ]
        read_only_fields = ["assessed_by"]
        extra_kwargs = {"assessed_on": {"required": False, "help_text": "Defaults to today."}}

    def create(self, validated_data):
        return transition_services.readiness_record(actor=self.actor, **validated_data)


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class TokenCredentialsSerializer(AuthTokenSerializer):
    """A username and password (checked through django-axes), and a name for the token."""

    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="What will use the token; shown on the user's profile page.",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expires = serializers.DateTimeField()
