"""Termination-assistance deliverables at /api/v1/deliverables/: filter by contract, by
process (the deliverables of the notice it is under), by status and due date."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from contracts.downloads import EVIDENCE_MESSAGES
from contracts.models import Contract, Deliverable
from contracts.rules import EDIT_DELIVERABLE
from contracts.selectors.deliverables import deliverable_list
from core.files import stored_file_response
from transition.models import OutsourcedProcess

from ..downloads import download_schema
from ..pagination import StandardPagination
from ..permissions import RulePermission
from ..serializers.deliverables import DeliverableSerializer


@extend_schema_field(OpenApiTypes.INT)
class ProcessFilter(django_filters.ModelChoiceFilter):
    """A process id (the filter's method finds the notice it is under)."""


class DeliverableFilter(django_filters.FilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=Contract.objects.all())
    process = ProcessFilter(
        queryset=OutsourcedProcess.objects.all(),
        method="filter_process",
        label="Process (the deliverables of the exit notice it is under)",
    )
    status = django_filters.MultipleChoiceFilter(choices=Deliverable.Status.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="Still owed")
    due_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Deliverable
        fields = ["contract", "process", "exit_notice", "status", "owner", "category"]

    def filter_process(self, queryset, name, value):
        # Through the notice's processes: a process not under notice has none.
        return queryset.filter(exit_notice__processes=value)

    def filter_open(self, queryset, name, value):
        if value:
            return queryset.open()
        return queryset.exclude(status__in=Deliverable.OPEN_STATUSES)


@extend_schema_view(
    create=extend_schema(
        description=(
            "Add a deliverable to an exit notice's checklist (the default checklist is "
            "added when notice is served). Send `multipart/form-data` to attach `evidence`."
        ),
        # An upload: documented as the one content type that carries the file (JSON also
        # works without it), docs/api.md "Generated clients".
        request={"multipart/form-data": DeliverableSerializer},
    ),
    partial_update=extend_schema(
        description=(
            "Edit it, or record it received (`status`, `received_on`, `evidence`), "
            "accepted, rejected or waived (`acceptance_note`)."
        ),
        request={"multipart/form-data": DeliverableSerializer},
    ),
)
class DeliverableViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deliverables: project leads write those of notices naming a process they lead; the
    record is kept (no delete: waive what is no longer owed)."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    permission_classes = [RulePermission]
    pagination_class = StandardPagination
    lookup_value_regex = r"\d+"
    write_permission = EDIT_DELIVERABLE
    object_scoped = True
    search_fields = ["title", "description", "contract__reference"]
    ordering_fields = ["due_date", "title", "status", "created_at", "updated_at"]
    ordering = ["due_date", "pk"]

    def get_queryset(self):
        return deliverable_list()

    @download_schema("evidence")
    @action(detail=True, methods=["get"], filter_backends=[])
    def evidence(self, request, pk=None):
        return stored_file_response(self.get_object().evidence, **EVIDENCE_MESSAGES)
