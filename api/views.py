"""Viewsets of the REST API at /api/v1/: thin, reading selectors and writing through services."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import services as account_services
from contracts import selectors as contract_selectors
from contracts import services as contract_services
from contracts.models import Contract, ExitNotice, ServiceProvider
from core.clock import local_today
from reminders import services as reminder_services
from reminders.models import Notification
from reminders.selectors import notifications_for
from transition import selectors as transition_selectors
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

from . import filters
from . import serializers as api
from .exceptions import renamed_fields
from .pagination import StandardPagination
from .permissions import RulePermission


class ServiceViewSet(viewsets.ModelViewSet):
    """CRUD whose writes go through services (subclasses' `perform_destroy` too).

    PUT is left out: PATCH edits, so a client never has to resend read-only fields.
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [RulePermission]
    pagination_class = StandardPagination
    lookup_value_regex = r"\d+"  # anything else is a 404, never a failed integer cast
    write_permission: str | None = None
    object_scoped = False


class ServiceProviderViewSet(ServiceViewSet):
    """Service providers."""

    queryset = ServiceProvider.objects.all()
    serializer_class = api.ServiceProviderSerializer
    filterset_class = filters.ProviderFilter
    search_fields = ["name", "legal_name"]
    ordering_fields = ["name", "country", "created_at"]
    ordering = ["name"]
    write_permission = "contracts.edit_register"

    def perform_destroy(self, instance):
        contract_services.provider_delete(provider=instance, actor=self.request.user)


class ContractViewSet(ServiceViewSet):
    """Contracts, with the date engine's dates for today."""

    serializer_class = api.ContractSerializer
    filterset_class = filters.ContractFilter
    search_fields = ["reference", "title", "provider__name"]
    ordering_fields = ["reference", "end_date", "start_date", "annual_value"]
    ordering = ["reference"]
    write_permission = "contracts.edit_register"

    def get_queryset(self):
        return contract_selectors.contract_list()

    def filter_queryset(self, queryset):
        # Prefetched after the filters: the status filter reads the rows once more, and
        # would load every matching contract's notices for nothing.
        return super().filter_queryset(queryset).prefetch_related("exit_notices")

    def perform_destroy(self, instance):
        contract_services.contract_delete(contract=instance, actor=self.request.user)

    @extend_schema(
        summary="Exit date if notice is served on a day",
        parameters=[api.ExitDateQuerySerializer],
        responses=api.ExitDateSerializer,
    )
    @action(detail=True, methods=["get"], url_path="exit-date", filter_backends=[])
    def exit_date(self, request, pk=None):
        contract = get_object_or_404(Contract, pk=pk)
        query = api.ExitDateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        served_on = query.validated_data.get("served_on") or local_today()
        exit_date = contract.exit_date_if_served(served_on)
        data = {
            "served_on": served_on,
            "exit_date": exit_date,
            "assistance_end": contract.assistance_end(exit_date),
        }
        return Response(api.ExitDateSerializer(data).data)


class ProgrammeViewSet(ServiceViewSet):
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
class OutsourcedProcessViewSet(ServiceViewSet):
    """Outsourced processes; `state` changes only through the transition endpoint."""

    serializer_class = api.OutsourcedProcessSerializer
    filterset_class = filters.ProcessFilter
    search_fields = ["name", "contract__reference", "programme__name"]
    ordering_fields = ["name", "state", "target_in_house_date", "exit_date", "criticality"]
    ordering = ["programme__name", "name"]
    write_permission = "transition.edit_process"

    def get_queryset(self):
        return transition_selectors.process_list()

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


def _blocked(blocked: transition_services.TransitionBlocked, detail: str) -> Response:
    return Response({"detail": detail, "reasons": blocked.reasons}, status=status.HTTP_409_CONFLICT)


@extend_schema_view(
    create=extend_schema(
        summary="Serve exit notice on a contract",
        description=(
            "On the whole contract (`processes` empty or omitted) or on the named processes "
            "under it. Every process in scope moves to exit notice, or none does: 409 names "
            "each process whose workflow guards are unmet. Send `multipart/form-data` to "
            "attach `proof`."
        ),
        responses={201: api.ExitNoticeSerializer, 409: api.TransitionBlockedSerializer},
    ),
    withdraw=extend_schema(
        summary="Withdraw a notice in force",
        description=(
            "Its processes go back to outsourced; the notice stays on record, withdrawn. "
            "409 names each process that cannot go back (a transition already started)."
        ),
        request=api.NoticeWithdrawalSerializer,
        responses={200: api.ExitNoticeSerializer, 409: api.TransitionBlockedSerializer},
    ),
)
class ExitNoticeViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Exit notices on contracts: served and withdrawn through the services, never edited
    or deleted (the record is kept)."""

    serializer_class = api.ExitNoticeSerializer
    filterset_class = filters.ExitNoticeFilter
    permission_classes = [RulePermission]
    pagination_class = StandardPagination
    lookup_value_regex = r"\d+"
    search_fields = ["contract__reference", "recipient"]
    ordering_fields = ["served_on", "exit_date", "created_at"]
    ordering = ["-served_on", "-pk"]

    @property
    def write_permission(self) -> str:
        if self.action == "withdraw":
            return "transition.withdraw_notice"
        return "transition.serve_exit_notice"

    def get_queryset(self):
        # The contract's terms give the assistance end; `processes` lists those in scope.
        return ExitNotice.objects.select_related("contract").prefetch_related(
            Prefetch("processes", queryset=OutsourcedProcess.objects.order_by("pk"))
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            notice = serializer.save()
        except transition_services.TransitionBlocked as blocked:
            return _blocked(blocked, _("The notice cannot be served."))
        notice = self.get_queryset().get(pk=notice.pk)
        return Response(self.get_serializer(notice).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request, pk=None):
        notice = self.get_object()
        payload = api.NoticeWithdrawalSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            transition_services.notice_withdraw(
                actor=request.user, notice=notice, **payload.validated_data
            )
        except transition_services.TransitionBlocked as blocked:
            return _blocked(blocked, _("The notice cannot be withdrawn."))
        except DjangoValidationError as error:
            raise renamed_fields(error, {"withdrawal_reason": "reason"}) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=notice.pk)).data)


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


@extend_schema_view(
    read=extend_schema(
        summary="Mark one of your notifications read",
        request=None,
        responses=api.NotificationSerializer,
    ),
    read_all=extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}),
    ),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your own in-app notifications."""

    serializer_class = api.NotificationSerializer
    filterset_class = filters.NotificationFilter
    lookup_value_regex = r"\d+"
    pagination_class = StandardPagination
    search_fields = ["title"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notifications_for(self.request.user)

    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None):
        notification = self.get_object()
        reminder_services.notification_mark_read(notification=notification, user=request.user)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        marked = reminder_services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked})


@extend_schema(
    summary="Exchange a username and password for an API token",
    description=(
        "Each call issues a new token, valid for API_TOKEN_TTL_DAYS days (see `expires`) and "
        "revoked when the user's password changes. After repeated wrong passwords the "
        "username is locked out from the caller's address: 429 even with the right password."
    ),
    responses={
        200: api.IssuedTokenSerializer,
        429: OpenApiResponse(
            response=inline_serializer("LockedOut", {"detail": serializers.CharField()}),
            description="Locked out after repeated failed sign-ins; Retry-After says how long.",
        ),
    },
)
class TokenView(ObtainAuthToken):
    """POST username and password; use the token as `Authorization: Token <token>`."""

    permission_classes = [AllowAny]  # as ObtainAuthToken's empty list, but the schema says so
    serializer_class = api.TokenCredentialsSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # authenticate() got this request, so django-axes counted the failure and flags
            # the request once the username is locked out from this address. The DRF request
            # carries the flag, which AxesMiddleware (reading the Django request) never sees.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(request) from None
            raise
        token, key = account_services.token_create(
            user=serializer.validated_data["user"],
            name=serializer.validated_data.get("name") or _("API sign-in"),
        )
        return Response(api.IssuedTokenSerializer({"token": key, "expires": token.expires}).data)


class LockedOut(Throttled):
    """429 with Retry-After: the lockout lasts AXES_COOLOFF_TIME from the latest failure,
    and this request was one (axes restarts the cool-off on failures during a lockout)."""

    default_detail = _lazy("Too many failed sign-in attempts for this username.")

    def __init__(self, request):
        cool_off = get_cool_off(request)
        super().__init__(wait=cool_off.total_seconds() if cool_off else None)
