"""Import/export columns of termination-assistance deliverables (docs/import-export.md).

A row names its notice as people see it: the contract's `reference` and the day the notice
was received (`notice_served_on`); with its `title` that is the natural key. An import is
all or nothing, and each row passes the same rules as the pages and the API
(`contracts.services_deliverables.deliverable_errors`): a due date before notice is refused.
Evidence files are not imported; export says whether one is attached (`evidence`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.clock import local_today
from core.formats import short_date
from core.resources import NaturalKeyResource
from core.widgets import IsoDateWidget, NaturalKeyWidget, iso_key, text, user_widget

from .models import Contract, Deliverable, ExitNotice
from .services_deliverables import DECIDED, deliverable_errors


class NoticeWidget(NaturalKeyWidget):
    """A notice named by the row's `contract` column plus the day it was received here.

    Should a contract have several notices received the same day (on different processes),
    the one in force is meant; one query for the whole file.
    """

    def __init__(self, **kwargs):
        super().__init__(ExitNotice, field="served_on", **kwargs)

    def load(self) -> dict:
        # Withdrawn notices first, those in force last: on a shared key, they win.
        notices = ExitNotice.objects.select_related("contract")
        rows = sorted(notices, key=lambda n: (n.withdrawn_on is None, n.pk))
        return {(n.contract.reference, n.served_on.isoformat()): n for n in rows}

    def key(self, value, row):
        return (text(row.get("contract")), iso_key(value))

    def missing_message(self, key) -> str:
        reference, served_on = key
        if not reference:
            return _("Give the contract's reference in the contract column.")
        return _("Contract %(ref)s has no notice received on %(date)s.") % {
            "ref": reference,
            "date": served_on,
        }

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.served_on.isoformat()


class DeliverableResource(NaturalKeyResource):
    """Deliverables, identified by contract + notice received on + title."""

    key_columns = ("contract", "notice_served_on", "title")
    computed_columns = ("evidence", "decided_by", "decided_on")
    select_related = ("contract", "exit_notice", "owner", "decided_by")

    contract = fields.Field(
        attribute="contract",
        column_name="contract",
        widget=NaturalKeyWidget(Contract, field="reference"),
    )
    notice_served_on = fields.Field(
        attribute="exit_notice", column_name="notice_served_on", widget=NoticeWidget()
    )
    owner = fields.Field(attribute="owner", column_name="owner", widget=user_widget())
    evidence = fields.Field(column_name="evidence", readonly=True)
    decided_by = fields.Field(
        attribute="decided_by", column_name="decided_by", readonly=True, widget=user_widget()
    )
    decided_on = fields.Field(
        attribute="decided_on", column_name="decided_on", readonly=True, widget=IsoDateWidget()
    )

    class Meta:
        model = Deliverable
        fields = (
            "contract",
            "notice_served_on",
            "title",
            "category",
            "due_date",
            "owner",
            "status",
            "received_on",
            "acceptance_note",
            "description",
            "evidence",
            "decided_by",
            "decided_on",
        )
        export_order = fields
        import_id_fields = ("contract", "notice_served_on", "title")

    def get_queryset(self):
        return super().get_queryset().order_by("pk")

    def instance_key(self, instance):
        return (
            instance.contract.reference,
            instance.exit_notice.served_on.isoformat(),
            instance.title,
        )

    def row_key(self, row):
        return (
            text(row.get("contract")),
            iso_key(row.get("notice_served_on")),
            text(row.get("title")),
        )

    def dehydrate_evidence(self, deliverable):
        return _("yes") if deliverable.evidence else ""

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Who decided is the person importing, as on the pages; today, unless known already.
        if instance.status in DECIDED and not instance.decided_by_id:
            instance.decided_by = self.actor
            instance.decided_on = local_today()
        elif instance.status not in DECIDED:
            instance.decided_by, instance.decided_on = None, None

    def get_bulk_update_fields(self):
        # Read-only columns, but written by the import when it records a decision.
        return [*super().get_bulk_update_fields(), "decided_by", "decided_on"]

    def clean_instance(self, instance, exclude):
        errors: dict[str, list[str]] = {}
        notice = instance.exit_notice if instance.exit_notice_id else None
        if notice is not None and instance.contract_id != notice.contract_id:
            errors["contract"] = [
                _("The notice received %(date)s is on another contract.")
                % {"date": short_date(notice.served_on)}
            ]
        errors.update(deliverable_errors(instance, today=local_today()))
        try:
            super().clean_instance(instance, exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
