"""The transition plan: milestones, assets, staff, readiness assessments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from transition import services as transition_services
from transition.models import (
    Asset,
    Milestone,
    ReadinessAssessment,
    StaffMember,
)
from transition.services import reschedule as reschedule_service

from .. import filters
from .. import serializers as api
from ..serializers.reschedule import RescheduleInputSerializer, RescheduleSerializer
from .common import ServiceViewSet


class PlanItemViewSet(ServiceViewSet):
    """A process's plan items: project leads write only those of processes they lead."""

    write_permission = "transition.edit_plan"
    object_scoped = True

    def perform_destroy(self, instance):
        transition_services.plan_item_delete(item=instance, actor=self.request.user)


class MilestoneViewSet(PlanItemViewSet):
    """Milestones with finish-to-start dependencies."""

    serializer_class = api.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    search_fields = ["title"]
    ordering_fields = ["due_date", "start_date", "title", "status"]
    ordering = ["due_date", "pk"]

    def get_queryset(self):
        return Milestone.objects.select_related("process", "owner").prefetch_related("depends_on")

    @extend_schema(
        summary="Move a milestone and the successors that must follow",
        description="A dry run (the default) says what would move; `dry_run: false` moves "
        "them all in one transaction. Refused (400, naming the dates, nothing written) when "
        "the result would put a go-live, cut-over or parallel run inside a change freeze.",
        request=RescheduleInputSerializer,
        responses={200: RescheduleSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reschedule(self, request, pk=None):
        milestone = self.get_object()  # 403 unless the user may edit this plan
        payload = RescheduleInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        options = {
            "actor": request.user,
            "milestone": milestone,
            "new_due": data["due_date"],
            "with_successors": data["move_successors"],
        }
        if data["dry_run"]:
            result = reschedule_service.milestone_reschedule_preview(**options)
            if result.refused:
                raise ValidationError({"due_date": [f.message for f in result.refused]})
        else:
            result = reschedule_service.milestone_reschedule(**options)
        body = {
            "applied": not data["dry_run"],
            "moves": result.moves,
            "stays": result.stays,
            "findings": result.findings,
        }
        return Response(RescheduleSerializer(body).data)


class AssetViewSet(PlanItemViewSet):
    """Assets to bring back, buy or let go."""

    serializer_class = api.AssetSerializer
    filterset_class = filters.AssetFilter
    search_fields = ["name", "tag"]
    ordering_fields = ["name", "transfer_due", "book_value", "status"]
    ordering = ["process", "name"]

    def get_queryset(self):
        return Asset.objects.select_related("process")


class StaffMemberViewSet(PlanItemViewSet):
    """People joining the in-house team."""

    serializer_class = api.StaffMemberSerializer
    filterset_class = filters.StaffMemberFilter
    search_fields = ["name", "role"]
    ordering_fields = ["name", "planned_start", "status"]
    ordering = ["process", "name"]

    def get_queryset(self):
        return StaffMember.objects.select_related("process")


class ReadinessAssessmentViewSet(PlanItemViewSet):
    """Readiness assessments: recorded, read and deleted, never edited (the latest counts)."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    serializer_class = api.ReadinessAssessmentSerializer
    filterset_class = filters.ReadinessAssessmentFilter
    ordering_fields = ["assessed_on"]
    ordering = ["-assessed_on", "-pk"]

    def get_queryset(self):
        return ReadinessAssessment.objects.select_related("process", "assessed_by")
