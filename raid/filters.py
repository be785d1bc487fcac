"""Filters of the RAID list: where (process, programme), what (kind, status), who (owner),
and the heat map's cells (probability, impact, open only)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from transition.filters import ProcessChoiceFilter, UserFilter
from transition.models import OutsourcedProcess, Programme
from transition.selectors import active_users

from .models import SCALE, RaidItem

RATINGS = [(value, str(value)) for value in SCALE]
YES_NO = [("true", _("Yes")), ("false", _("No"))]


class RaidItemFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.order_by("name"),
        method="filter_programme",
    )
    process = ProcessChoiceFilter(
        label=_("Process"),
        queryset=OutsourcedProcess.objects.select_related("programme").order_by(
            "programme__name", "name"
        ),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RaidItem.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RaidItem.Status.choices)
    open = django_filters.ChoiceFilter(label=_("Open"), choices=YES_NO, method="filter_open")
    owner = UserFilter(label=_("Owner"), queryset=active_users())
    probability = django_filters.ChoiceFilter(label=_("Probability"), choices=RATINGS)
    impact = django_filters.ChoiceFilter(label=_("Impact"), choices=RATINGS)

    class Meta:
        model = RaidItem
        fields = ["programme", "process", "kind", "status", "open", "owner"]

    def filter_programme(self, queryset, name, value):
        # A programme's log: its own items and those of its processes.
        return queryset.filter(Q(programme=value) | Q(process__programme=value))

    def filter_open(self, queryset, name, value):
        return (
            queryset.open()
            if value == "true"
            else queryset.exclude(status__in=RaidItem.OPEN_STATUSES)
        )
