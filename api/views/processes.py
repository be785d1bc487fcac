"""Programmes and processes, with their workflow transitions and events."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from transition import selectors as transition_selectors
from transition import services as transition_services
from transition.models import (
    OutsourcedProcess,
    ProcessEvent,
    Programme,
)
from transition.selectors.exit_plans import with_exit_plan_status

from .. import filters
from .. import serializers as api
from .business_case import ProcessBusinessCaseMixin, ProgrammeBusinessCaseMixin
from .common import ServiceViewSet


class ProgrammeViewSet(ProgrammeBusinessCaseMixin, ServiceViewSet):
    """Backsourcing programmes."""

    queryset = Programme.objects.select_related("sponsor")
    serializer_class = api.ProgrammeSerializer
    filterset_class = filters.ProgrammeFilter
    search_fields = ["name"]
    ordering_fields = ["name", "start_date", "target_date"]
    ordering = ["name"]
    write_permission = "transition.edit_programme"

    def perform_destroy(self, instance):
        transition_services.programme_delete(programme=instance, actor=self.request.user)


@extend_schema_view(
    transition=extend_schema(
        summary="Fire a workflow transition",
        request=api.TransitionInputSerializer,
        parameters=[
            OpenApiParameter(
                "name",
                str,
                OpenApiParameter.PATH,
                enum=transition_selectors.transition_names(),
                description="The transition to fire.",
            )
        ],
        responses={
            200: api.OutsourcedProcessSerializer,
            409: api.TransitionBlockedSerializer,
        },
    ),
    events=extend_schema(
        summary="The process's workflow events, newest first",
        responses=api.ProcessEventSerializer(many=True),
    ),
)
class OutsourcedProcessViewSet(ProcessBusinessCaseMixin, ServiceViewSet):
    """Outsourced processes; `state` changes only through the transition endpoint."""

    serializer_class = api.OutsourcedProcessSerializer
    filterset_class = filters.ProcessFilter
    search_fields = ["name", "contract__reference", "programme__name"]
    ordering_fields = ["name", "state", "target_in_house_date", "exit_date", "criticality"]
    ordering = ["programme__name", "name"]
    write_permission = "transition.edit_process"

    def get_queryset(self):
        # With the register's exit-plan fields: subqueries of the same query, no more queries.
        return with_exit_plan_status(transition_selectors.process_list())

    def perform_create(self, serializer):
        serializer.save()
        self._reload(serializer)

    def perform_update(self, serializer):
        serializer.save()
        self._reload(serializer)

    def _reload(self, serializer: api.OutsourcedProcessSerializer) -> None:
        # The response shows the RAG and options, which read what the selector loads.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        transition_services.process_delete(process=instance, actor=self.request.user)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"transitions/(?P<name>[^/.]+)",
        filter_backends=[],
    )
    def transition(self, request, pk=None, name=None):
        process = get_object_or_404(OutsourcedProcess, pk=pk)
        if name not in transition_selectors.transition_names():
            return Response(
                {"detail": _("There is no transition “%(name)s”.") % {"name": name}},
                status=status.HTTP_404_NOT_FOUND,
            )
        payload = api.TransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        accepted = transition_selectors.transition_params(name)
        params = {k: v for k, v in payload.validated_data.items() if k in accepted}
        try:
            process = transition_services.apply_transition(
                process, name, request.user, note=payload.validated_data.get("note", ""), **params
            )
        except transition_services.UnknownTransition:
            return Response({"detail": _("Unknown transition.")}, status=404)
        except transition_services.TransitionBlocked as blocked:
            return Response(
                {"detail": _("The transition is blocked."), "reasons": blocked.reasons},
                status=status.HTTP_409_CONFLICT,
            )
        process = self.get_queryset().get(pk=process.pk)
        return Response(self.get_serializer(process).data)

    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, pk=None):
        process = get_object_or_404(OutsourcedProcess, pk=pk)
        events = ProcessEvent.objects.filter(process=process).order_by("-at", "-pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(api.ProcessEventSerializer(page, many=True).data)

    def get_serializer_class(self):
        if self.action == "events":
            return api.ProcessEventSerializer
        return super().get_serializer_class()

    def check_permissions(self, request):
        # The transition's own permission (serve/withdraw vs run) is checked by
        # apply_transition on the locked row; here only login is needed.
        if self.action == "transition":
            if not (request.user and request.user.is_authenticated):
                self.permission_denied(request)
            return
        super().check_permissions(request)
