"""KPI actuals import and export (CSV/XLSX): all rows or none, the period rules and the
window enforced per row with the row and column named, a period re-imported updates."""

from decimal import Decimal as D

import pytest

from imports.services import import_rows, read_sheet
from tests.transition.scorecard_factories import (
    LAST_WEEK,
    KpiActualFactory,
    KpiFactory,
    process_in_transition,
)
from transition.models import KpiActual
from transition.resources.scorecard import KpiActualResource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]  # Tue 24 Nov 2026

HEADER = "programme,process,kpi,period_start,value,note\n"


@pytest.fixture
def kpi():
    return KpiFactory(process=process_in_transition(name="Desk"), name="Orders on time")


def line(kpi, start, value, note="") -> str:
    return f"{kpi.process.programme.name},{kpi.process.name},{kpi.name},{start},{value},{note}\n"


def run(actor, content, dry_run=False):
    sheet = read_sheet(content.encode(), "kpi_actuals.csv")
    return import_rows(actor=actor, kind="kpi_actuals", sheet=sheet, dry_run=dry_run)


def test_a_good_file_imports_and_a_recorded_period_is_updated(operations_manager, kpi):
    KpiActualFactory(kpi=kpi, period_start=LAST_WEEK, value=D("90"))
    content = HEADER + line(kpi, "2026-11-09", "98.5", "first") + line(kpi, "2026-11-16", "99")
    report = run(operations_manager, content)
    assert report.ok, report.errors
    assert (report.to_create, report.to_update) == (1, 1)
    values = dict(KpiActual.objects.values_list("period_start", "value"))
    assert values == {LAST_WEEK.replace(day=9): D("98.5"), LAST_WEEK: D("99")}


def test_a_bad_row_names_its_row_and_column_and_nothing_is_written(operations_manager, kpi):
    content = (
        HEADER
        + line(kpi, "2026-11-09", "98")
        + line(kpi, "2026-11-18", "98")  # a Wednesday
        + line(kpi, "2026-08-24", "98")  # before notice
    )
    report = run(operations_manager, content)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "period_start"),
        (4, "period_start"),
    ]
    assert "18 Nov 2026 is a Wednesday" in report.errors[0].message
    assert "outside the transition of “Desk”" in report.errors[1].message
    assert not KpiActual.objects.exists()  # not even the good row


def test_an_unknown_kpi_is_named(operations_manager, kpi):
    content = HEADER + line(kpi, "2026-11-16", "98").replace("Orders on time", "Nope")
    report = run(operations_manager, content)
    [error] = report.errors
    assert error.column == "kpi"
    assert "has no KPI “Nope”" in error.message
    assert not KpiActual.objects.exists()


def test_the_export_lists_process_kpi_period_value_and_note(kpi):
    KpiActualFactory(kpi=kpi, period_start=LAST_WEEK, value=D("98.5"), note="=cmd")
    headers, rows = KpiActualResource().export_headers_and_rows(KpiActual.objects.all())
    assert headers == ["programme", "process", "kpi", "period_start", "value", "note"]
    [row] = list(rows)
    assert row[1:5] == ["Desk", "Orders on time", "2026-11-16", "98.5000"]
