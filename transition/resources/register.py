"""Import/export columns of programmes and processes (docs/import-export.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from import_export import fields

from accounts.widgets import ProcessLeadWidget, ProcessOwnerWidget
from contracts.models import Contract
from core.resources import NaturalKeyResource
from core.widgets import (
    IsoDateWidget,
    NaturalKeyWidget,
    text,
    user_widget,
)

from ..models import OutsourcedProcess, Programme


def process_key(process) -> tuple[str, str]:
    return (process.programme.name, process.name)


class ProcessWidget(NaturalKeyWidget):
    """A process named by the row's `programme` column plus its own name in this column."""

    def __init__(self, **kwargs):
        super().__init__(OutsourcedProcess, field="name", **kwargs)

    def load(self) -> dict:
        return {
            (process.programme.name, process.name): process
            for process in OutsourcedProcess.objects.select_related("programme")
        }

    def key(self, value, row):
        return (text(row.get("programme")), text(value))

    def missing_message(self, key) -> str:
        programme, name = key
        if not programme:
            return _("Give the programme of process “%(name)s” in the programme column.") % {
                "name": name
            }
        return _("Programme “%(programme)s” has no process “%(name)s”.") % {
            "programme": programme,
            "name": name,
        }


class ProgrammeResource(NaturalKeyResource):
    """Programmes, identified by name; the sponsor by username."""

    key_columns = ("name",)
    select_related = ("sponsor",)

    sponsor = fields.Field(attribute="sponsor", column_name="sponsor", widget=user_widget())

    class Meta:
        model = Programme
        fields = Programme.INPUT_FIELDS
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
    # Owners are operations managers, leads project leads, as in the form and the API.
    owner = fields.Field(
        attribute="owner", column_name="owner", widget=ProcessOwnerWidget(OutsourcedProcess)
    )
    lead = fields.Field(
        attribute="lead", column_name="lead", widget=ProcessLeadWidget(OutsourcedProcess)
    )
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
