"""Notifications and API sign-in."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import services as account_services
from api.throttling import TokenRateThrottle, WriteRateThrottle
from reminders import services as reminder_services
from reminders.models import Notification
from reminders.selectors import notifications_for

from .. import filters
from .. import serializers as api
from ..pagination import StandardPagination


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
    throttle_classes = [TokenRateThrottle, WriteRateThrottle]

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
