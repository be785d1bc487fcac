"""Import/export columns of the RAID log (docs/import-export.md).

A row names its log as people see it: `programme` (by name) and, for an item of a process,
`process` (its name in that programme); an empty `process` puts the item in the programme's
own log. The natural key is programme + process + kind + title. `score` is exported for
reading and ignored on import (it is probability × impact).
"""

from __future__ import annotations

from import_export import fields

from accounts.widgets import PlanOwnerWidget
from core.resources import NaturalKeyResource
from core.widgets import NaturalKeyWidget, choice_or_text, text, user_widget
from transition.models import Programme
from transition.resources import ProcessWidget

from .models import RaidItem


class OptionalProcessWidget(ProcessWidget):
    """The row's process, or none when the column is empty (a programme's own item)."""

    def clean(self, value, row=None, **kwargs):
        if not text(value):
            return None
        return super().clean(value, row, **kwargs)


class RaidItemResource(NaturalKeyResource):
    """RAID items, identified by programme + process (empty for the programme's own) +
    kind + title."""

    key_columns = ("programme", "process", "kind", "title")
    computed_columns = ("score",)
    select_related = ("process__programme", "programme", "owner", "made_by")

    programme = fields.Field(
        attribute="programme",
        column_name="programme",
        widget=NaturalKeyWidget(Programme, field="name"),
    )
    process = fields.Field(
        attribute="process", column_name="process", widget=OptionalProcessWidget()
    )
    owner = fields.Field(attribute="owner", column_name="owner", widget=PlanOwnerWidget(RaidItem))
    made_by = fields.Field(attribute="made_by", column_name="made_by", widget=user_widget())
    score = fields.Field(column_name="score", readonly=True)

    class Meta:
        model = RaidItem
        fields = (*RaidItem.INPUT_FIELDS, "score")
        export_order = (
            "programme",
            "process",
            "kind",
            "title",
            "description",
            "owner",
            "status",
            "due_date",
            "probability",
            "impact",
            "score",
            "mitigation",
            "severity",
            "decision_date",
            "made_by",
            "rationale",
        )
        import_id_fields = ("programme", "process", "kind", "title")

    def get_queryset(self):
        # In the order the rows were written, so an export imported again reads the same.
        return super().get_queryset().order_by("pk")

    def instance_key(self, instance):
        programme = instance.process.programme if instance.process_id else instance.programme
        return (
            programme.name,
            instance.process.name if instance.process_id else "",
            instance.kind,
            instance.title,
        )

    def row_key(self, row):
        return (
            text(row.get("programme")),
            text(row.get("process")),
            choice_or_text(row.get("kind"), RaidItem.Kind.choices),
            text(row.get("title")),
        )

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # The programme column locates the process; the item then belongs to the process.
        if instance.process_id:
            instance.programme = None

    def dehydrate_programme(self, item):
        programme = item.process.programme if item.process_id else item.programme
        return programme.name if programme else ""

    def dehydrate_score(self, item):
        return item.rating if item.rating is not None else ""
