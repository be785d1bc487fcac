"""Import/export columns of KPI actuals (docs/exit-management.md, "Parallel-run scorecard").

A row is one KPI's value for one period: `programme` + `process` name the process (as the
plan resources do), `kpi` the KPI by its name within it, `period_start` the period (a
Monday for a weekly KPI, the 1st for a monthly one) inside the transition's window. A row
for a period already recorded replaces its value (the history keeps the old one). A bad
row is an error naming its row and column, and nothing of the file is written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.clock import local_today
from core.resources import NaturalKeyResource
from core.widgets import NaturalKeyWidget, iso_key, text

from ..models import Kpi, KpiActual
from ..selectors.scorecard import actual_problems


class KpiWidget(NaturalKeyWidget):
    """A KPI named by the row's `programme` and `process` columns plus its name here."""

    def __init__(self, **kwargs):
        super().__init__(Kpi, field="name", **kwargs)

    def load(self) -> dict:
        kpis = Kpi.objects.select_related("process__programme", "process__contract")
        return {(kpi.process.programme.name, kpi.process.name, kpi.name): kpi for kpi in kpis}

    def key(self, value, row):
        return (text(row.get("programme")), text(row.get("process")), text(value))

    def clean(self, value, row=None, **kwargs):
        if not text(value):
            return None
        return super().clean(value, row=row, **kwargs)

    def missing_message(self, key) -> str:
        programme, process, name = key
        return _("Process “%(process)s” of programme “%(programme)s” has no KPI “%(kpi)s”.") % {
            "process": process,
            "programme": programme,
            "kpi": name,
        }


class KpiActualResource(NaturalKeyResource):
    """KPI actuals, identified by programme + process + KPI + period_start."""

    key_columns = ("programme", "process", "kpi", "period_start")
    select_related = ("kpi__process__programme",)

    programme = fields.Field(
        attribute="kpi__process__programme__name", column_name="programme", readonly=True
    )
    process = fields.Field(attribute="kpi__process__name", column_name="process", readonly=True)
    kpi = fields.Field(attribute="kpi", column_name="kpi", widget=KpiWidget())

    class Meta:
        model = KpiActual
        fields = ("programme", "process", "kpi", "period_start", "value", "note")
        export_order = fields
        import_id_fields = ("programme", "process", "kpi", "period_start")

    def required_columns(self) -> list[str]:
        return [*self.key_columns, "value"]

    def instance_key(self, instance):
        process = instance.kpi.process
        return (
            process.programme.name,
            process.name,
            instance.kpi.name,
            iso_key(instance.period_start),
        )

    def row_key(self, row) -> tuple:
        # A spreadsheet's date cell and the text 2026-11-16 name the same period.
        programme, process, kpi, start = super().row_key(row)
        return (programme, process, kpi, iso_key(row.get("period_start")))

    def get_bulk_update_fields(self):
        return ["value", "note"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.today = local_today()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        # Only a row otherwise valid is judged: the period rules and the window, as the
        # scorecard page judges them (transition.selectors.scorecard).
        if instance.kpi_id is None:
            return
        problems = actual_problems(
            kpi=instance.kpi, period_start=instance.period_start, today=self.today
        )
        if problems:
            raise ValidationError(problems)
