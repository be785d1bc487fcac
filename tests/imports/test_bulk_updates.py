"""Rows an import changes are written in one UPDATE per batch, each with its history row."""

from decimal import Decimal

import pytest

from contracts.models import Contract
from contracts.resources import ContractResource
from core.resources import values_bulk_update
from core.spreadsheets import write_csv
from imports.services import import_rows, read_sheet
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_an_import_of_updates_writes_every_change_and_a_history_row_each(operations_manager):
    contracts = [
        ContractFactory(reference=f"C-{n}", title=f"Old {n}", owner=operations_manager)
        for n in range(3)
    ]
    before = Contract.history.count()
    headers, rows = ContractResource().export_headers_and_rows(Contract.objects.order_by("pk"))
    rows = [list(row) for row in rows]
    for n, row in enumerate(rows):
        row[headers.index("title")] = f"New {n}"
        row[headers.index("annual_value")] = f"{1000 + n}.50"

    report = import_rows(
        actor=operations_manager,
        kind="contracts",
        sheet=read_sheet(write_csv(headers, rows).encode(), "contracts.csv"),
        dry_run=False,
    )

    assert (report.ok, report.created, report.updated) == (True, 0, 3)
    stored = Contract.objects.order_by("pk")
    assert [(c.title, c.annual_value) for c in stored] == [
        (f"New {n}", Decimal(f"{1000 + n}.50")) for n in range(3)
    ]
    added = Contract.history.filter(history_type="~").order_by("id")
    assert Contract.history.count() == before + 3
    assert [(h.id, h.title, h.history_user, h.history_change_reason) for h in added] == [
        (c.pk, f"New {n}", operations_manager, "import") for n, c in enumerate(contracts)
    ]


def test_values_bulk_update_writes_the_named_fields_of_every_batch(operations_manager):
    contracts = [ContractFactory(owner=operations_manager) for _n in range(5)]
    for n, contract in enumerate(contracts):
        contract.title = f"title {n}"
        contract.annual_value = Decimal(n)
        contract.reference = f"not written {n}"

    values_bulk_update(Contract, contracts, ["title", "annual_value"], batch_size=2)

    assert list(Contract.objects.order_by("pk").values_list("title", "annual_value")) == [
        (f"title {n}", Decimal(n)) for n in range(5)
    ]
    assert not Contract.objects.filter(reference__startswith="not written").exists()
