"""Baselines of a process's or a programme's plan, and the variance of the plan against one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.clock import local_today
from transition.models import Baseline, Milestone, OutsourcedProcess, Programme
from transition.selectors import baselines as baseline_selectors
from transition.services import baselines as baseline_services

from .common import ServiceModelSerializer


class VarianceRowSerializer(serializers.Serializer):
    """One milestone: in both (with its variance), added since, or removed since."""

    status = serializers.ChoiceField(
        choices=list(baseline_selectors.STATUS_LABELS.items()),
        help_text="later, earlier or unchanged (by due date); added or removed since.",
    )
    milestone = serializers.IntegerField(
        source="milestone_id", allow_null=True, help_text="Null once the milestone is deleted."
    )
    process = serializers.IntegerField(source="process_id", allow_null=True)
    process_name = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Milestone.Kind.choices)
    baseline_start = serializers.DateField(allow_null=True)
    baseline_due = serializers.DateField(allow_null=True)
    current_start = serializers.DateField(allow_null=True)
    current_due = serializers.DateField(allow_null=True)
    variance_days = serializers.IntegerField(
        allow_null=True,
        help_text="Current due date minus the baseline's, in days (positive: later).",
    )
    start_variance_days = serializers.IntegerField(allow_null=True)
    done = serializers.BooleanField()
    overdue = serializers.BooleanField(help_text="Not done and due before today.")
    removed_because = serializers.ChoiceField(
        choices=[
            ("", "not removed"),
            (baseline_selectors.DELETED, "deleted"),
            (baseline_selectors.MOVED, "moved to another process"),
        ],
        allow_blank=True,
    )
    moved_to = serializers.CharField(allow_blank=True)


class VarianceSummarySerializer(serializers.Serializer):
    later = serializers.IntegerField()
    earlier = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    max_slip_days = serializers.IntegerField(help_text="The most days a milestone slipped.")
    max_slip_title = serializers.CharField(allow_blank=True)
    total = serializers.IntegerField(help_text="Milestones compared, added and removed.")
    baseline_finish = serializers.DateField(allow_null=True)
    current_finish = serializers.DateField(allow_null=True)
    finish_variance_days = serializers.IntegerField(allow_null=True)


class VarianceSerializer(serializers.Serializer):
    summary = VarianceSummarySerializer()
    rows = VarianceRowSerializer(many=True, help_text="Milestones in both, by baseline due date.")
    added = VarianceRowSerializer(many=True)
    removed = VarianceRowSerializer(many=True)


class BaselineSerializer(ServiceModelSerializer):
    """A baseline of exactly one of `process` and `programme`; saved, read and deleted, never
    edited. Creating one copies every milestone's dates (transition.services.baselines)."""

    process = serializers.PrimaryKeyRelatedField(
        queryset=OutsourcedProcess.objects.all(), required=False, allow_null=True
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    created_by_name = serializers.SerializerMethodField()
    milestone_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "name",
            "note",
            "process",
            "programme",
            "created_by",
            "created_by_name",
            "created_at",
            "milestone_count",
        ]
        read_only_fields = ["created_by", "created_at"]
        # Names unique within the process or programme: the service checks, with a message
        # naming the name, rather than DRF's generic unique-together validator.
        validators: list = []

    @extend_schema_field(serializers.CharField())
    def get_created_by_name(self, baseline: Baseline) -> str:
        user = baseline.created_by
        return (user.get_full_name() or user.get_username()) if user is not None else ""

    def create(self, validated_data):
        baseline = baseline_services.baseline_save(
            actor=self.actor,
            process=validated_data.get("process"),
            programme=validated_data.get("programme"),
            name=validated_data["name"],
            note=validated_data.get("note", ""),
        )
        baseline.milestone_count = baseline.entries.count()
        return baseline


class BaselineDetailSerializer(BaselineSerializer):
    """A baseline with the variance of the current plan against it."""

    variance = serializers.SerializerMethodField()

    class Meta(BaselineSerializer.Meta):
        fields = [*BaselineSerializer.Meta.fields, "variance"]

    @extend_schema_field(VarianceSerializer())
    def get_variance(self, baseline: Baseline) -> dict:
        variance = baseline_selectors.baseline_variance(baseline, on=local_today())
        return VarianceSerializer(variance).data
