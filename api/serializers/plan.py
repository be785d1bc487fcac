"""The transition plan: milestones, assets, staff, readiness assessments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from transition import services as transition_services
from transition.models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ReadinessAssessment,
    StaffMember,
)

# The date engine works on real calendar dates; far-off years only ever come from typos
# (and year 1 or 9999 would overflow date arithmetic), so the API accepts a wide but sane span.
from .common import PlanOwnerMixin, ServiceModelSerializer
from .processes import SCHEDULE_SEVERITIES


class PlanItemSerializer(ServiceModelSerializer):
    """Milestones, assets and staff: a project lead may write only those of processes they lead."""

    def validate_process(self, process):
        if self.instance is not None and process.pk != self.instance.process_id:
            raise serializers.ValidationError("A plan item cannot move to another process.")
        return process


class SavedScheduleIssueSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=SCHEDULE_SEVERITIES)
    message = serializers.CharField()


class PlanItemWarningsMixin(serializers.Serializer):
    """The schedule findings a save let through (saved and flagged), in the write response."""

    schedule_warnings = serializers.SerializerMethodField(
        help_text="Findings of this save, saved and flagged (write responses only); the "
        "process's schedule_issues lists the standing ones."
    )

    @extend_schema_field(SavedScheduleIssueSerializer(many=True))
    def get_schedule_warnings(self, item) -> list[dict]:
        warnings = getattr(item, "schedule_warnings", None) or []
        return SavedScheduleIssueSerializer(warnings, many=True).data


class MilestoneSerializer(PlanOwnerMixin, PlanItemWarningsMixin, PlanItemSerializer):
    depends_on = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Milestone.objects.all()
    )
    freeze_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Operations managers only: why this go-live, cut-over or parallel run may "
        "fall inside a change freeze (who and when are recorded).",
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            *Milestone.INPUT_FIELDS,
            "freeze_override_reason",
            "freeze_override_by",
            "freeze_overridden_at",
            "schedule_warnings",
        ]
        read_only_fields = ["freeze_override_by", "freeze_overridden_at"]

    def create(self, validated_data):
        return transition_services.milestone_save(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.milestone_save(
            actor=self.actor, milestone=instance, **validated_data
        )


class AssetSerializer(PlanItemWarningsMixin, PlanItemSerializer):
    class Meta:
        model = Asset
        fields = [
            "id",
            *Asset.INPUT_FIELDS,
            "schedule_warnings",
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
