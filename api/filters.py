"""Filters of the API lists: foreign keys, state/status and date ranges (django-filter)."""

import django_filters
from django.contrib.auth import get_user_model

from contracts import dates
from contracts.models import Contract, ExitNotice, ServiceProvider
from contracts.selectors import contracts_with_deadline_within, contracts_with_status
from core.clock import local_today
from reminders.models import Notification
from transition.models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    Programme,
    ReadinessAssessment,
    StaffMember,
)

User = get_user_model()


def _users():
    return User.objects.all()


class ProviderFilter(django_filters.FilterSet):
    class Meta:
        model = ServiceProvider
        fields = {"country": ["exact"]}


class ContractFilter(django_filters.FilterSet):
    """`status` and the notice-deadline bounds come from the date engine, not stored columns.

    They are computed in Python over the rows the other filters leave (one query).
    """

    provider = django_filters.ModelChoiceFilter(queryset=ServiceProvider.objects.all())
    owner = django_filters.ModelChoiceFilter(queryset=_users())
    status = django_filters.ChoiceFilter(
        choices=list(dates.STATUS_LABELS.items()), method="filter_status"
    )
    next_notice_deadline_before = django_filters.DateFilter(
        method="filter_deadline_before",
        label="Next notice deadline on or before this date",
    )
    end_date = django_filters.DateFromToRangeFilter()
    start_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Contract
        fields = ["provider", "owner", "renewal", "governing_country", "currency"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(contracts_with_status(queryset, value, local_today()))

    def filter_deadline_before(self, queryset, name, value):
        return queryset.filter(contracts_with_deadline_within(local_today(), before=value))


class ExitNoticeFilter(django_filters.FilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=Contract.objects.all())
    active = django_filters.BooleanFilter(
        field_name="withdrawn_on", lookup_expr="isnull", label="In force (not withdrawn)"
    )

    class Meta:
        model = ExitNotice
        fields = ["contract", "active", "scope"]


class ProgrammeFilter(django_filters.FilterSet):
    sponsor = django_filters.ModelChoiceFilter(queryset=_users())
    start_date = django_filters.DateFromToRangeFilter()
    target_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Programme
        fields = ["sponsor"]


class ProcessFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all())
    contract = django_filters.ModelChoiceFilter(queryset=Contract.objects.all())
    provider = django_filters.ModelChoiceFilter(
        field_name="contract__provider", queryset=ServiceProvider.objects.all()
    )
    owner = django_filters.ModelChoiceFilter(queryset=_users())
    lead = django_filters.ModelChoiceFilter(queryset=_users())
    state = django_filters.MultipleChoiceFilter(choices=OutsourcedProcess.State.choices)
    target_in_house_date = django_filters.DateFromToRangeFilter()
    exit_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = OutsourcedProcess
        fields = ["programme", "contract", "owner", "lead", "state", "category", "criticality"]


class PlanItemFilter(django_filters.FilterSet):
    process = django_filters.ModelChoiceFilter(queryset=OutsourcedProcess.objects.all())
    programme = django_filters.ModelChoiceFilter(
        field_name="process__programme", queryset=Programme.objects.all()
    )


class MilestoneFilter(PlanItemFilter):
    owner = django_filters.ModelChoiceFilter(queryset=_users())
    status = django_filters.MultipleChoiceFilter(choices=Milestone.Status.choices)
    due_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Milestone
        fields = ["process", "programme", "owner", "status", "kind"]


class AssetFilter(PlanItemFilter):
    status = django_filters.MultipleChoiceFilter(choices=Asset.Status.choices)
    transfer_due = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Asset
        fields = ["process", "programme", "status", "category", "transfer_method"]


class StaffMemberFilter(PlanItemFilter):
    status = django_filters.MultipleChoiceFilter(choices=StaffMember.Status.choices)
    planned_start = django_filters.DateFromToRangeFilter()

    class Meta:
        model = StaffMember
        fields = ["process", "programme", "status", "route", "key_person"]


class ReadinessAssessmentFilter(PlanItemFilter):
    assessed_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ReadinessAssessment
        fields = ["process", "programme"]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread"]
