"""Filters of the transition lists: by programme, process, contract, people, state and due dates."""

from typing import cast

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings
from django_filters.fields import ModelChoiceField

from accounts.fields import PersonFilter, PersonFilterField
from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS
from contracts.models import Contract

from . import selectors
from .models import Asset, Milestone, OutsourcedProcess, Programme, StaffMember

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
YES_NO = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])


def _on_or_after(field: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field, lookup_expr="gte", label=label, widget=DATE_INPUT
    )


def _on_or_before(field: str, label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field, lookup_expr="lte", label=label, widget=DATE_INPUT
    )


# A person, named as the tables name them (accounts/fields.py).
UserChoiceField = PersonFilterField


class ContractChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        # As the suggestions label it (contracts.views.ContractSuggestView).
        return f"{obj} ({obj.provider.name})"


class ProcessChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        # As the suggestions label it (transition.views.processes.ProcessSuggestView).
        return f"{obj.programme.name} – {obj.name}"


class ContractChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ContractChoiceField


class ProcessChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ProcessChoiceField


UserFilter = PersonFilter


class SuggestSelect(forms.Select):
    """A model choice that lists only its chosen option; static/js/suggest.js turns it into
    a search-as-you-type box over the JSON endpoint `url_name` (Tom Select).

    A select box over a big table rendered every row of it (20,000 contracts made most of
    the process list's 1.5 MB); this one costs one query, and only when a value is chosen
    (docs/performance.md). The query string still takes the plain id.
    """

    def __init__(self, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-suggest": reverse(self.url_name)}
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        # `choices` is the field's ModelChoiceIterator: read its queryset for the chosen ids
        # only, never iterate it (that would list the whole table).
        iterator = cast(ModelChoiceIterator, self.choices)
        field = iterator.field
        ids = [v for v in value if v and v.isascii() and v.isdigit() and len(v) <= 9]
        chosen = list(iterator.queryset.filter(pk__in=ids)) if ids else []
        options = [self.create_option(name, "", field.empty_label or "", not chosen, 0)]
        for index, obj in enumerate(chosen, start=1):
            label = field.label_from_instance(obj)
            options.append(self.create_option(name, str(obj.pk), label, True, index))
        return [(None, options, 0)]


class ListFilterSet(django_filters.FilterSet):
    """A list's filters; an unset choice reads "Any programme", "Any status"… not dashes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            choice = django_filters.ChoiceFilter | django_filters.ModelChoiceFilter
            unset = filter_.extra.get("empty_label", filter_settings.EMPTY_CHOICE_LABEL)
            if isinstance(filter_, choice) and unset == filter_settings.EMPTY_CHOICE_LABEL:
                label = str(filter_.label).lower()
                filter_.extra["empty_label"] = _("Any %(label)s") % {"label": label}


def _processes(request):
    return OutsourcedProcess.objects.select_related("programme").order_by("programme__name", "name")


def _contracts(request):
    return Contract.objects.select_related("provider").order_by("reference")


class ProgrammeFilter(ListFilterSet):
    sponsor = UserFilter(queryset=lambda request: selectors.active_users(), label=_("Sponsor"))
    target_after = _on_or_after("target_date", _("Target from"))
    target_before = _on_or_before("target_date", _("Target until"))

    class Meta:
        model = Programme
        fields = ["sponsor"]


class ProcessFilter(ListFilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all())
    contract = ContractChoiceFilter(
        queryset=_contracts,
        widget=SuggestSelect("contracts:contract_suggest"),
    )
    state = django_filters.ChoiceFilter(choices=OutsourcedProcess.State.choices)
    category = django_filters.ChoiceFilter(choices=OutsourcedProcess.Category.choices)
    criticality = django_filters.ChoiceFilter(choices=OutsourcedProcess.Criticality.choices)
    owner = django_filters.ChoiceFilter(label=_("Owner"))
    lead = django_filters.ChoiceFilter(label=_("Lead"))
    exit_after = _on_or_after("exit_date", _("Exit from"))
    exit_before = _on_or_before("exit_date", _("Exit until"))

    class Meta:
        model = OutsourcedProcess
        fields = ["programme", "contract", "state", "category", "criticality", "owner", "lead"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Owners are operations managers and leads project leads: one query serves both lists.
        people = selectors.role_member_choices()
        self.filters["owner"].extra["choices"] = people.get(OPERATIONS_MANAGERS, [])
        self.filters["lead"].extra["choices"] = people.get(PROJECT_LEADS, [])


class PlanItemFilter(ListFilterSet):
    """The programme and process filters every plan list shares."""

    programme = django_filters.ModelChoiceFilter(
        field_name="process__programme", queryset=Programme.objects.all(), label=_("Programme")
    )
    process = ProcessChoiceFilter(
        queryset=_processes,
        label=_("Process"),
        widget=SuggestSelect("transition:process_suggest"),
    )


class MilestoneFilter(PlanItemFilter):
    status = django_filters.ChoiceFilter(choices=Milestone.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Milestone.Kind.choices)
    owner = UserFilter(queryset=lambda request: selectors.active_users(), label=_("Owner"))
    open = django_filters.BooleanFilter(
        method="filter_open",
        label=_("Open"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Not done")), ("false", _("Done"))]
        ),
    )
    due_after = _on_or_after("due_date", _("Due from"))
    due_before = _on_or_before("due_date", _("Due until"))

    class Meta:
        model = Milestone
        fields = ["programme", "process", "status", "kind", "owner"]

    def filter_open(self, queryset, name, value):
        # The list's queryset is a MilestoneQuerySet (selectors.milestone_list()).
        return queryset.open() if value else queryset.done()


class AssetFilter(PlanItemFilter):
    status = django_filters.ChoiceFilter(choices=Asset.Status.choices)
    category = django_filters.ChoiceFilter(choices=Asset.Category.choices)
    transfer_method = django_filters.ChoiceFilter(choices=Asset.TransferMethod.choices)
    # The transfers still owed, as the reminders and the dashboard count them.
    open = django_filters.BooleanFilter(
        method="filter_open",
        label=_("Open"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Still to transfer")), ("false", _("Settled"))]
        ),
    )
    due_after = _on_or_after("transfer_due", _("Due from"))
    due_before = _on_or_before("transfer_due", _("Due until"))

    class Meta:
        model = Asset
        fields = ["programme", "process", "status", "category", "transfer_method"]

    def filter_open(self, queryset, name, value):
        # The list's queryset is an AssetQuerySet (selectors.asset_list()).
        still_owed = queryset.open()
        return still_owed if value else queryset.exclude(pk__in=still_owed.values("pk"))


class StaffFilter(PlanItemFilter):
    status = django_filters.ChoiceFilter(choices=StaffMember.Status.choices)
    route = django_filters.ChoiceFilter(choices=StaffMember.Route.choices)
    key_person = django_filters.BooleanFilter(label=_("Key person"), widget=YES_NO)
    start_after = _on_or_after("planned_start", _("Starts from"))
    start_before = _on_or_before("planned_start", _("Starts until"))

    class Meta:
        model = StaffMember
        fields = ["programme", "process", "status", "route", "key_person"]
