"""Exit notices: serve, read, withdraw."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contracts.downloads import PROOF_MESSAGES
from contracts.models import ExitNotice
from core.files import stored_file_response
from transition import services as transition_services
from transition.models import (
    OutsourcedProcess,
)

from .. import filters
from .. import serializers as api
from ..downloads import download_schema
from ..exceptions import renamed_fields
from ..pagination import StandardPagination
from ..permissions import RulePermission
from .common import blocked_response


@extend_schema_view(
    create=extend_schema(
        summary="Serve exit notice on a contract",
        description=(
            "On the whole contract (`processes` empty or omitted) or on the named processes "
            "under it. Every process in scope moves to exit notice, or none does: 409 names "
            "each process whose workflow guards are unmet. Send `multipart/form-data` to "
            "attach `proof`."
        ),
        # An upload: documented as the one content type that carries the file (JSON also
        # works without it), docs/api.md "Generated clients".
        request={"multipart/form-data": api.ExitNoticeSerializer},
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
            return blocked_response(blocked, _("The notice cannot be served."))
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
            return blocked_response(blocked, _("The notice cannot be withdrawn."))
        except DjangoValidationError as error:
            raise renamed_fields(error, {"withdrawal_reason": "reason"}) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=notice.pk)).data)

    @download_schema("proof of service")
    @action(detail=True, methods=["get"], filter_backends=[])
    def proof(self, request, pk=None):
        return stored_file_response(self.get_object().proof, **PROOF_MESSAGES)
