"""Resources of the register: providers, contracts, programmes and processes."""

from __future__ import annotations

from import_export import fields

from contracts.models import Contract, ServiceProvider
from transition.models import OutsourcedProcess, Programme

from .base import NaturalKeyResource
from .widgets import IsoDateWidget, NaturalKeyWidget, user_widget


def process_key(process) -> tuple[str, str]:
    return (process.programme.name, process.name)


class ServiceProviderResource(NaturalKeyResource):
    """Providers, identified by name."""

    key_columns = ("name",)

    class Meta:
        model = ServiceProvider
        fields = ServiceProvider.INPUT_FIELDS
        export_order = fields
        import_id_fields = ("name",)

    def instance_key(self, instance):
        return (instance.name,)


class ContractResource(NaturalKeyResource):
    """Contracts, identified by reference; the provider by name, the owner by username."""

    key_columns = ("reference",)
    computed_columns = ("current_term_end", "next_notice_deadline", "status")
    select_related = ("provider", "owner")

    provider = fields.Field(
        attribute="provider",
        column_name="provider",
        widget=NaturalKeyWidget(ServiceProvider, field="name"),
    )
    owner = fields.Field(attribute="owner", column_name="owner", widget=user_widget())
    current_term_end = fields.Field(column_name="current_term_end", readonly=True)
    next_notice_deadline = fields.Field(column_name="next_notice_deadline", readonly=True)
    status = fields.Field(column_name="status", readonly=True)

    class Meta:
        model = Contract
        fields = (
            *Contract.INPUT_FIELDS,
            "current_term_end",
            "next_notice_deadline",
            "status",
        )
        export_order = fields
        import_id_fields = ("reference",)

    def instance_key(self, instance):
        return (instance.reference,)

    def dehydrate_current_term_end(self, contract):
        return contract.current_term_end().isoformat()

    def dehydrate_next_notice_deadline(self, contract):
        deadline = contract.next_notice_deadline()
        return deadline.isoformat() if deadline else ""

    def dehydrate_status(self, contract):
        return contract.status()


class ProgrammeResource(NaturalKeyResource):
    """Programmes, identified by name; the sponsor by username."""

    key_columns = ("name",)
    select_related = ("sponsor",)

    sponsor = fields.Field(attribute="sponsor", column_name="sponsor", widget=user_widget())

    class Meta:
        model = Programme
        fields = ("name", "description", "sponsor", "start_date", "target_date", "budget")
        export_order = fields
        import_id_fields = ("name",)

    def instance_key(self, instance):
        return (instance.name,)


class OutsourcedProcessResource(NaturalKeyResource):
    """Processes, identified by programme name + process name.

    The state and the dates the workflow records are exported but never imported: the
    state moves only through `apply_transition`.
    """

    key_columns = ("programme", "name")
    computed_columns = ("state", "notice_served_on", "exit_date", "in_house_on")
    select_related = ("programme", "contract", "owner", "lead")

    programme = fields.Field(
        attribute="programme",
        column_name="programme",
        widget=NaturalKeyWidget(Programme, field="name"),
    )
    contract = fields.Field(
        attribute="contract",
        column_name="contract",
        widget=NaturalKeyWidget(Contract, field="reference"),
    )
    owner = fields.Field(attribute="owner", column_name="owner", widget=user_widget())
    lead = fields.Field(attribute="lead", column_name="lead", widget=user_widget())
    state = fields.Field(attribute="state", column_name="state", readonly=True)
    notice_served_on = fields.Field(
        attribute="notice_served_on",
        column_name="notice_served_on",
        readonly=True,
        widget=IsoDateWidget(),
    )
    exit_date = fields.Field(
        attribute="exit_date", column_name="exit_date", readonly=True, widget=IsoDateWidget()
    )
    in_house_on = fields.Field(
        attribute="in_house_on", column_name="in_house_on", readonly=True, widget=IsoDateWidget()
    )

    class Meta:
        model = OutsourcedProcess
        fields = (
            *OutsourcedProcess.INPUT_FIELDS,
            "state",
            "notice_served_on",
            "exit_date",
            "in_house_on",
        )
        export_order = fields
        import_id_fields = ("programme", "name")

    def instance_key(self, instance):
        return process_key(instance)
