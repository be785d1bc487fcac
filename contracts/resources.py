"""Import/export columns of the register: providers and contracts (docs/import-export.md).

Rows name others by what people see: a provider by name, a user by username.
"""

from __future__ import annotations

from import_export import fields

from core.clock import local_today
from core.resources import NaturalKeyResource
from core.widgets import NaturalKeyWidget, user_widget

from .models import Contract, ServiceProvider
from .models.stored_dates import NOTICE_DATE_FIELDS


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

    def before_save_instance(self, instance, row, **kwargs):
        # Bulk writes skip Contract.save(): store the engine's dates as it would.
        super().before_save_instance(instance, row, **kwargs)
        instance.store_notice_dates(local_today())

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), *NOTICE_DATE_FIELDS]

    def dehydrate_current_term_end(self, contract):
        return contract.current_term_end().isoformat()

    def dehydrate_next_notice_deadline(self, contract):
        deadline = contract.next_notice_deadline()
        return deadline.isoformat() if deadline else ""

    def dehydrate_status(self, contract):
        return contract.status()
