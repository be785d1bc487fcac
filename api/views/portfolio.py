"""The portfolio's money in the reporting currency (docs/money.md, "Honest totals")."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.clock import local_today
from transition import selectors as transition_selectors
from transition.models import OutsourcedProcess

from ..permissions import RulePermission
from ..serializers.portfolio import PortfolioQuerySerializer, PortfolioSerializer


class PortfolioView(APIView):
    """Read-only for every role: totals over the processes, never across currencies unconverted."""

    permission_classes = [RulePermission]
    write_permission = None

    @extend_schema(
        summary="Portfolio totals in the reporting currency",
        description=(
            "The processes' costs summed per currency and converted once into the reporting "
            "currency with the ECB rates of `on` (each currency's latest rate on or before it). "
            "A currency without a rate is not added: it is listed in `unconverted` and "
            "`complete` is false."
        ),
        parameters=[PortfolioQuerySerializer],
        responses=PortfolioSerializer,
    )
    def get(self, request):
        query = PortfolioQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        programme = query.validated_data.get("programme")
        processes = (
            None if programme is None else OutsourcedProcess.objects.filter(programme=programme)
        )
        figures = transition_selectors.money_figures(
            processes, on=query.validated_data.get("on") or local_today()
        )
        return Response(PortfolioSerializer(figures).data)
