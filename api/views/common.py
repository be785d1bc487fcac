"""The base of the resource viewsets: writes through services, reads through selectors."""

from __future__ import annotations

from rest_framework import status, viewsets
from rest_framework.response import Response

from transition import services as transition_services

from ..pagination import StandardPagination
from ..permissions import RulePermission


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


def blocked_response(blocked: transition_services.TransitionBlocked, detail: str) -> Response:
    return Response({"detail": detail, "reasons": blocked.reasons}, status=status.HTTP_409_CONFLICT)
