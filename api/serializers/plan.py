"""The transition plan: milestones, assets, staff, readiness assessments."""

from __future__ import annotations

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
from .common import ServiceModelSerializer


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
