"""The RAID log at /api/v1/raid-items/: filters by process, programme, kind, status, owner."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from raid import services as raid_services
from raid.models import RaidItem
from raid.rules import EDIT_RAID
from raid.selectors import raid_list
from transition.models import OutsourcedProcess, Programme

from ..serializers.raid import RaidItemSerializer
from .common import ServiceViewSet


class RaidItemFilter(django_filters.FilterSet):
    process = django_filters.ModelChoiceFilter(queryset=OutsourcedProcess.objects.all())
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(),
        method="filter_programme",
        label="Programme (its own items and those of its processes)",
    )
    status = django_filters.MultipleChoiceFilter(choices=RaidItem.Status.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="Open or in progress")
    due_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = RaidItem
        fields = ["process", "programme", "kind", "status", "owner", "severity"]

    def filter_programme(self, queryset, name, value):
        return queryset.filter(Q(programme=value) | Q(process__programme=value))

    def filter_open(self, queryset, name, value):
        if value:
            return queryset.open()
        return queryset.exclude(status__in=RaidItem.OPEN_STATUSES)


class RaidItemViewSet(ServiceViewSet):
    """RAID items: project leads write only those of processes they lead; a programme's own
    items only operations managers."""

    serializer_class = RaidItemSerializer
    filterset_class = RaidItemFilter
    write_permission = EDIT_RAID
    object_scoped = True
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "title", "status", "created_at", "updated_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return raid_list()

    def perform_destroy(self, instance):
        raid_services.raid_item_delete(item=instance, actor=self.request.user)
