"""Exit plans (versioned), their rehearsals and remediation actions (docs/exit-management.md).

Every write goes through transition.services.exit_plans, which holds the rules: drafts only
are edited, approval needs an owner and the plan's minimum content, a rehearsal is never
dated in the future, an action is closed on a day.
"""

from __future__ import annotations

from rest_framework import serializers

from transition.models import ExitPlan, OutsourcedProcess, Rehearsal, RemediationAction
from transition.services import exit_plans as services

from .common import PlausibleDateField, ServiceModelSerializer


class ExitPlanSerializer(ServiceModelSerializer):
    """One version. `process` is set when the draft is created; the status, version, review
    dates and approval change only through the `approve` and `review` actions."""

    triggers = serializers.ListField(
        child=serializers.ChoiceField(choices=ExitPlan.Trigger.choices),
        required=False,
        help_text="Any of: termination, provider_failure, service_degradation, regulatory.",
    )

    class Meta:
        model = ExitPlan
        fields = [
            "id",
            "process",
            "version",
            "status",
            *services.CONTENT_FIELDS,
            "last_review_on",
            "next_review_due",
            "approved_by",
            "approved_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "version",
            "status",
            "last_review_on",
            "next_review_due",
            "approved_by",
            "approved_on",
            "created_at",
            "updated_at",
        ]

    def validate_process(self, process):
        if self.instance is not None and process.pk != self.instance.process_id:
            raise serializers.ValidationError("An exit plan cannot move to another process.")
        return process

    def create(self, validated_data):
        return services.exit_plan_draft_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("process", None)
        return services.exit_plan_update(plan=instance, actor=self.actor, **validated_data)


class ExitPlanApproveSerializer(serializers.Serializer):
    """Every date optional: approved today, reviewed on the approval day, due for review
    EXIT_PLAN_REVIEW_MONTHS later."""

    on = PlausibleDateField(required=False, help_text="The approval day; today if empty.")
    last_review_on = PlausibleDateField(required=False)
    next_review_due = PlausibleDateField(required=False)


class ExitPlanReviewSerializer(serializers.Serializer):
    reviewed_on = PlausibleDateField(required=False, help_text="Today if empty.")
    next_review_due = PlausibleDateField(required=False)


class RemediationActionSerializer(ServiceModelSerializer):
    """An action a rehearsal found; `closed_on` is required when `status` is closed."""

    class Meta:
        model = RemediationAction
        fields = [
            "id",
            "rehearsal",
            "title",
            "owner",
            "due_date",
            "status",
            "closed_on",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate_rehearsal(self, rehearsal):
        if self.instance is not None and rehearsal.pk != self.instance.rehearsal_id:
            raise serializers.ValidationError("An action stays under its rehearsal.")
        return rehearsal

    def create(self, validated_data):
        return services.remediation_action_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("rehearsal", None)
        return services.remediation_action_update(
            action=instance, actor=self.actor, **validated_data
        )


class NestedActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RemediationAction
        fields = ["id", "title", "owner", "due_date", "status", "closed_on"]
        read_only_fields = fields


class RehearsalSerializer(ServiceModelSerializer):
    """A test of an exit plan. On create give `exit_plan`, or `process` to test its approved
    version; `next_test_due` defaults to a year after `held_on`. Its actions are listed
    (read-only) here and written at /api/v1/remediation-actions/."""

    actions = NestedActionSerializer(many=True, read_only=True)

    class Meta:
        model = Rehearsal
        fields = [
            "id",
            "exit_plan",
            "process",
            "held_on",
            "scenario",
            "participants",
            "outcome",
            "findings",
            "next_test_due",
            "recorded_by",
            "actions",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        extra_kwargs = {"exit_plan": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        # The model's process is not editable (the service sets it from the plan); on create
        # it may name the process whose approved version was tested.
        fields["process"] = serializers.PrimaryKeyRelatedField(
            queryset=OutsourcedProcess.objects.all(),
            required=False,
            help_text="On create: test this process's approved exit plan (if no exit_plan).",
        )
        return fields

    def validate(self, attrs):
        if self.instance is None and not attrs.get("exit_plan") and not attrs.get("process"):
            raise serializers.ValidationError(
                {"exit_plan": "Give the exit plan tested, or the process whose approved plan was."}
            )
        return attrs

    def create(self, validated_data):
        return services.rehearsal_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        process = validated_data.pop("process", None)
        if process is not None and process.pk != instance.process_id:
            raise serializers.ValidationError(
                {"process": "A rehearsal stays with the process it tested."}
            )
        return services.rehearsal_update(rehearsal=instance, actor=self.actor, **validated_data)
