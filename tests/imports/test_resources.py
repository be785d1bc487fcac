"""Every list exports to CSV and XLSX and imports back unchanged, by natural keys."""

import pytest

from contracts.models import Contract, ServiceProvider
from imports.resources import RESOURCES
from imports.services import import_rows, read_sheet
from transition.models import Asset, Milestone, OutsourcedProcess, Programme, StaffMember

# Providers, contracts, programmes, processes, plan items. Exit notices are served through
# the workflow, whose guards need readiness assessments, which no list imports: their round
# trip is in test_notice_import.py.
# KPI actuals need their KPIs, which no list imports: theirs is in
# tests/transition/test_scorecard_import.py.
ORDER = [kind for kind in RESOURCES if kind not in ("notices", "deliverables", "kpi_actuals")]


def export_all(fmt):
    return {kind: RESOURCES[kind]().export().export(fmt) for kind in ORDER}


def empty_database():
    for model in (Milestone, Asset, StaffMember, OutsourcedProcess, Programme, Contract):
        model.objects.all().delete()
    ServiceProvider.objects.all().delete()


def as_bytes(content):
    return content.encode("utf-8") if isinstance(content, str) else content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.usefixtures("portfolio")
def test_every_list_exported_imports_into_an_empty_database_unchanged(fmt, operations_manager):
    before = export_all(fmt)
    csv_before = export_all("csv")
    empty_database()

    for kind in ORDER:
        sheet = read_sheet(as_bytes(before[kind]), f"{kind}.{fmt}")
        report = import_rows(actor=operations_manager, kind=kind, sheet=sheet, dry_run=False)
        assert report.ok, [str(e) for e in report.errors]
        assert report.created == report.total_rows > 0

    assert export_all("csv") == csv_before
    assert set(
        Milestone.objects.get(title="Go-live").depends_on.values_list("title", flat=True)
    ) == {
        "Plan",
        "Move stock",
    }


@pytest.mark.usefixtures("portfolio")
def test_importing_an_export_again_matches_the_same_rows_unchanged(operations_manager):
    exported = {kind: RESOURCES[kind]().export().export("csv") for kind in ORDER}
    counts = {kind: RESOURCES[kind]._meta.model.objects.count() for kind in ORDER}

    for kind in ORDER:
        sheet = read_sheet(exported[kind].encode(), f"{kind}.csv")
        report = import_rows(actor=operations_manager, kind=kind, sheet=sheet, dry_run=False)
        assert report.ok, [str(e) for e in report.errors]
        assert (report.created, report.updated, report.unchanged) == (0, 0, report.total_rows)

    assert {kind: RESOURCES[kind]._meta.model.objects.count() for kind in ORDER} == counts


@pytest.mark.usefixtures("portfolio")
def test_contract_export_shows_the_date_engine_dates_but_import_ignores_them():
    dataset = RESOURCES["contracts"]().export()
    row = dict(zip(dataset.headers, dataset[0], strict=True))

    contract = Contract.objects.get(reference=row["reference"])
    assert row["next_notice_deadline"] == contract.next_notice_deadline().isoformat()
    assert row["provider"] == "Acme, Logistics"
    assert "next_notice_deadline" not in RESOURCES["contracts"]().import_columns()


@pytest.mark.usefixtures("portfolio")
def test_process_state_is_exported_but_never_imported(operations_manager):
    OutsourcedProcess.objects.filter(name="Fulfilment").update(state="transition")
    content = RESOURCES["processes"]().export().export("csv")
    OutsourcedProcess.objects.filter(name="Fulfilment").update(state="outsourced")

    sheet = read_sheet(content.encode(), "processes.csv")
    report = import_rows(actor=operations_manager, kind="processes", sheet=sheet, dry_run=False)

    assert report.ok
    assert "transition" in content
    assert OutsourcedProcess.objects.get(name="Fulfilment").state == "outsourced"


def test_export_of_a_list_costs_a_fixed_number_of_queries(portfolio, django_assert_num_queries):
    queryset = Milestone.objects.all()
    # The milestones with their joins, then the dependencies of the (one) chunk of rows.
    with django_assert_num_queries(2):
        RESOURCES["milestones"]().export(queryset)


@pytest.mark.usefixtures("portfolio")
def test_an_unknown_currency_in_an_import_is_named_and_nothing_is_written(operations_manager):
    content = RESOURCES["processes"]().export().export("csv")
    header, *rows = content.splitlines()
    columns = header.split(",")
    first = rows[0].split(",")
    first[columns.index("currency")] = "XYZ"
    sheet = read_sheet("\n".join([header, ",".join(first), *rows[1:]]).encode(), "p.csv")
    before = list(OutsourcedProcess.objects.values_list("pk", "currency"))

    report = import_rows(actor=operations_manager, kind="processes", sheet=sheet, dry_run=False)

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "currency")]
    assert list(OutsourcedProcess.objects.values_list("pk", "currency")) == before


@pytest.mark.usefixtures("portfolio")
def test_a_process_imported_without_a_currency_takes_its_contracts(operations_manager):
    content = RESOURCES["processes"]().export().export("csv")
    header, *rows = content.splitlines()
    column = header.split(",").index("currency")
    blanked = []
    for row in rows:
        cells = row.split(",")
        cells[column] = ""
        blanked.append(",".join(cells))
    OutsourcedProcess.objects.all().delete()

    sheet = read_sheet("\n".join([header, *blanked]).encode(), "p.csv")
    report = import_rows(actor=operations_manager, kind="processes", sheet=sheet, dry_run=False)

    assert report.ok, report.errors
    for process in OutsourcedProcess.objects.select_related("contract"):
        assert process.currency == process.contract.currency
