"""Filters of the provider and contract lists (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import PersonFilter
from core.clock import local_today

from . import dates
from .codes import country_choices
from .models import Contract, ServiceProvider
from .selectors import contract_owners, contracts_with_deadline_within, contracts_with_status

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProviderFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, empty_label=_("Any country")
    )

    class Meta:
        model = ServiceProvider
        fields = ["country"]


class ContractFilter(django_filters.FilterSet):
    """Stored fields filter in SQL; status and notice deadline are computed by the date engine."""

    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"),
        queryset=ServiceProvider.objects.only("pk", "name"),
        empty_label=_("Any provider"),
    )
    renewal = django_filters.ChoiceFilter(
        label=_("Renewal"), choices=Contract.Renewal.choices, empty_label=_("Any renewal")
    )
    owner = PersonFilter(
        label=_("Owner"), queryset=lambda request: contract_owners(), empty_label=_("Anyone")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=list(dates.STATUS_LABELS.items()),
        empty_label=_("Any status"),
        method="filter_status",
    )
    notice_after = django_filters.DateFilter(
        label=_("Notice deadline from"),
        method="filter_notice_after",
        widget=DATE_INPUT,
        help_text=_("Contracts whose next notice deadline falls on or after this day."),
    )
    notice_before = django_filters.DateFilter(
        label=_("Notice deadline by"),
        method="filter_notice_before",
        widget=DATE_INPUT,
        help_text=_("Contracts whose next notice deadline falls on or before this day."),
    )

    class Meta:
        model = Contract
        fields = ["provider", "renewal", "owner"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(contracts_with_status(queryset, value, local_today()))

    def filter_notice_after(self, queryset, name, value):
        return queryset.filter(contracts_with_deadline_within(local_today(), after=value))

    def filter_notice_before(self, queryset, name, value):
        return queryset.filter(contracts_with_deadline_within(local_today(), before=value))
