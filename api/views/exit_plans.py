"""Exit plans, rehearsals and remediation actions: operations managers write plans;
operations managers and the process's project lead write rehearsals and actions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from transition.models import ExitPlan, RemediationAction
from transition.selectors import exit_plans as selectors
from transition.services import exit_plans as services

from ..permissions import RulePermission
from ..serializers.exit_plans import (
    ExitPlanApproveSerializer,
    ExitPlanReviewSerializer,
    ExitPlanSerializer,
    RehearsalSerializer,
    RemediationActionSerializer,
)
from .common import ServiceViewSet


class ProcessScopedPermission(RulePermission):
    """Writes checked on the process the object belongs to (a lead: only processes they
    lead); a create names its rehearsal or plan in the body, and the service checks it."""

    def has_object_permission(self, request, view, obj):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        process = obj.rehearsal.process if isinstance(obj, RemediationAction) else obj.process
        return request.user.has_perm(view.write_permission, process)


@extend_schema_view(
    list=extend_schema(summary="Exit-plan versions, newest first; ?process=, ?status="),
    create=extend_schema(
        summary="Start a draft (the next version), copying the approved version's content"
    ),
    partial_update=extend_schema(summary="Edit a draft (approved versions are records)"),
    destroy=extend_schema(summary="Discard a draft"),
)
class ExitPlanViewSet(ServiceViewSet):
    serializer_class = ExitPlanSerializer
    filterset_fields = ["process", "status"]
    ordering_fields = ["version", "approved_on", "next_review_due"]
    ordering = ["process", "-version"]
    write_permission = services.EDIT_EXIT_PLAN

    def get_queryset(self):
        return ExitPlan.objects.all()

    def perform_destroy(self, instance):
        services.exit_plan_draft_delete(plan=instance, actor=self.request.user)

    @extend_schema(
        summary="Approve a draft: it comes into force, the version before is superseded",
        request=ExitPlanApproveSerializer,
        responses={200: ExitPlanSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        plan = get_object_or_404(ExitPlan, pk=pk)
        self.check_object_permissions(request, plan)
        body = ExitPlanApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.exit_plan_approve(plan=plan, actor=request.user, **body.validated_data)
        return Response(ExitPlanSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Record a review of the approved version (no new version)",
        request=ExitPlanReviewSerializer,
        responses={200: ExitPlanSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def review(self, request, pk=None):
        plan = get_object_or_404(ExitPlan, pk=pk)
        self.check_object_permissions(request, plan)
        body = ExitPlanReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.exit_plan_review(plan=plan, actor=request.user, **body.validated_data)
        return Response(
            ExitPlanSerializer(plan, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )


@extend_schema_view(
    list=extend_schema(summary="Rehearsals of exit plans, latest first; ?process=, ?exit_plan="),
    create=extend_schema(summary="Record a rehearsal (never dated in the future)"),
    partial_update=extend_schema(summary="Correct a rehearsal"),
)
class RehearsalViewSet(ServiceViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = RehearsalSerializer
    permission_classes = [ProcessScopedPermission]
    filterset_fields = ["process", "exit_plan", "outcome"]
    ordering_fields = ["held_on", "next_test_due"]
    ordering = ["-held_on", "-pk"]
    write_permission = services.RECORD_REHEARSAL
    object_scoped = True

    def get_queryset(self):
        return selectors.rehearsals_with_actions()


@extend_schema_view(
    list=extend_schema(summary="Remediation actions; ?rehearsal=, ?status="),
    create=extend_schema(summary="Add a remediation action under a rehearsal"),
    partial_update=extend_schema(
        summary="Edit, close (status closed with closed_on) or reopen an action"
    ),
)
class RemediationActionViewSet(ServiceViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = RemediationActionSerializer
    permission_classes = [ProcessScopedPermission]
    filterset_fields = ["rehearsal", "status"]
    ordering_fields = ["due_date"]
    ordering = ["due_date", "pk"]
    write_permission = services.RECORD_REHEARSAL
    object_scoped = True

    def get_queryset(self):
        return RemediationAction.objects.select_related("rehearsal__process")
