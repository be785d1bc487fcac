"""Change-freeze periods of the programmes: operations managers write, everyone reads."""

from __future__ import annotations

from transition import services as transition_services
from transition.models import ChangeFreeze

from ..serializers.freezes import ChangeFreezeSerializer
from .common import ServiceViewSet


class ChangeFreezeViewSet(ServiceViewSet):
    """Days a programme cannot take a go-live, cut-over or parallel run; `?programme=`."""

    serializer_class = ChangeFreezeSerializer
    filterset_fields = ["programme"]
    ordering_fields = ["starts_on", "ends_on", "name"]
    ordering = ["starts_on", "pk"]
    write_permission = "transition.edit_freeze"

    def get_queryset(self):
        return ChangeFreeze.objects.select_related("programme")

    def perform_destroy(self, instance):
        transition_services.freeze_delete(freeze=instance, actor=self.request.user)
