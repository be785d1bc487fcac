"""Programmes and processes, with their workflow options and events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.manager import BaseManager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.clock import local_today
from transition import services as transition_services
from transition.models import (
    ExitPlan,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
)
from transition.selectors import TransitionOption, available_transitions, transition_options
from transition.selectors.exit_plans import register_exit_fields
from transition.selectors.schedule import ProcessSchedule, process_schedule, schedule_summaries

# The date engine works on real calendar dates; far-off years only ever come from typos
# (and year 1 or 9999 would overflow date arithmetic), so the API accepts a wide but sane span.
from .common import PlausibleDateField, ProcessPeopleMixin, ServiceModelSerializer


class ProgrammeSerializer(ServiceModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", *Programme.INPUT_FIELDS]

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


# A schedule finding's severity (transition.schedule.model.Severity): one choice set, so the
# schema has one enum for it.
SCHEDULE_SEVERITIES = (("error", "error"), ("warning", "warning"))


class ScheduleIssueSerializer(serializers.Serializer):
    """One schedule finding of a process's plan (docs/plan.md, "Schedule checks")."""

    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=SCHEDULE_SEVERITIES)
    message = serializers.CharField()
    subject = serializers.ChoiceField(
        choices=[(name, name) for name in ("milestone", "asset", "staff", "process")]
    )
    key = serializers.IntegerField(
        allow_null=True, help_text="The id of the milestone, asset or staff record concerned."
    )


class OutsourcedProcessListSerializer(serializers.ListSerializer):
    """A page of processes, whose workflow options and schedules are worked out for the
    whole page at once (one query per kind), so a page costs the same for any length."""

    def to_representation(
        self, data: Iterable[OutsourcedProcess] | BaseManager[OutsourcedProcess]
    ) -> list[dict[str, Any]]:
        processes = list(data.all() if isinstance(data, BaseManager) else data)
        self.child.preloaded_options = transition_options(processes, self.child.actor)
        self.child.preloaded_schedules = schedule_summaries(processes, local_today())
        return super().to_representation(processes)


class OutsourcedProcessSerializer(ProcessPeopleMixin, ServiceModelSerializer):
    """A process with its business case, RAG and options; read it from
    `transition.selectors.process_list()`, which carries what the RAG needs."""

    annual_saving = serializers.SerializerMethodField()
    payback_months = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField()
    rag_reason = serializers.SerializerMethodField()
    schedule_issues = serializers.SerializerMethodField()
    forecast_ready_date = serializers.SerializerMethodField()
    ready_margin_days = serializers.SerializerMethodField()
    assistance_margin_days = serializers.SerializerMethodField()
    critical_path = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    # The outsourcing register's exit-plan fields, from the approved exit plan and the latest
    # rehearsal (transition.selectors.exit_plans, read as the register export reads them).
    exit_plan_exists = serializers.SerializerMethodField()
    exit_plan_tested = serializers.SerializerMethodField()
    substitutability = serializers.SerializerMethodField()
    reintegration = serializers.SerializerMethodField()

    # Set by OutsourcedProcessListSerializer: the options and schedules of the page's rows.
    preloaded_options: dict[int, list[TransitionOption]] | None = None
    preloaded_schedules: dict[int, ProcessSchedule] | None = None

    class Meta:
        model = OutsourcedProcess
        fields = [
            "id",
            *OutsourcedProcess.INPUT_FIELDS,
            "scorecard_gate_periods",
            "state",
            "exit_notice",
            "notice_served_on",
            "exit_date",
            "in_house_on",
            "annual_saving",
            "payback_months",
            "early_completion_reason",
            "rag",
            "rag_reason",
            "schedule_issues",
            "forecast_ready_date",
            "ready_margin_days",
            "assistance_margin_days",
            "critical_path",
            "available_transitions",
            "exit_plan_exists",
            "exit_plan_tested",
            "substitutability",
            "reintegration",
            "created_at",
            "updated_at",
        ]
        # The workflow records these through apply_transition(); they are never inputs.
        read_only_fields = [
            "state",
            "exit_notice",
            "notice_served_on",
            "exit_date",
            "in_house_on",
            "early_completion_reason",
        ]
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

    @extend_schema_field(serializers.CharField())
    def get_rag_reason(self, process) -> str:
        return process.rag_reason

    def schedule_of(self, process: OutsourcedProcess) -> ProcessSchedule:
        """The page's preloaded schedule of the process, else its own (a few queries)."""
        if self.preloaded_schedules is not None and process.pk in self.preloaded_schedules:
            return self.preloaded_schedules[process.pk]
        if getattr(self, "_schedule", None) is None or self._schedule[0] != process.pk:
            self._schedule = (process.pk, process_schedule(process, local_today()))
        return self._schedule[1]

    @extend_schema_field(ScheduleIssueSerializer(many=True))
    def get_schedule_issues(self, process) -> list[dict[str, Any]]:
        findings = self.schedule_of(process).findings
        return ScheduleIssueSerializer(findings, many=True).data

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_forecast_ready_date(self, process):
        ready = self.schedule_of(process).analysis.forecast_ready_date
        return None if ready is None else ready.isoformat()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_ready_margin_days(self, process) -> int | None:
        return self.schedule_of(process).analysis.ready_margin_days

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_assistance_margin_days(self, process) -> int | None:
        return self.schedule_of(process).analysis.assistance_margin_days

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_critical_path(self, process) -> list[int]:
        return list(self.schedule_of(process).analysis.critical_path)

    @extend_schema_field(AvailableTransitionSerializer(many=True))
    def get_available_transitions(self, process: OutsourcedProcess) -> list[dict[str, Any]]:
        if self.preloaded_options is not None:
            options = self.preloaded_options[process.pk]
        else:
            options = available_transitions(process, self.actor)
        return AvailableTransitionSerializer(options, many=True).data

    def get_exit_plan_exists(self, process: OutsourcedProcess) -> bool:
        return register_exit_fields(process).exists

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_exit_plan_tested(self, process: OutsourcedProcess):
        tested_on = register_exit_fields(process).tested_on
        return tested_on.isoformat() if tested_on else None

    @extend_schema_field(
        serializers.ChoiceField(choices=ExitPlan.Substitutability.choices, allow_blank=True)
    )
    def get_substitutability(self, process: OutsourcedProcess) -> str:
        return register_exit_fields(process).substitutability

    @extend_schema_field(
        serializers.ChoiceField(choices=ExitPlan.Reintegration.choices, allow_blank=True)
    )
    def get_reintegration(self, process: OutsourcedProcess) -> str:
        return register_exit_fields(process).reintegration

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
    early_completion_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="complete: why, when in-house before the exit date (else flagged).",
    )


class TransitionBlockedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class ProcessEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessEvent
        fields = ["id", "process", "transition", "source", "target", "actor", "at", "note"]
        read_only_fields = fields
