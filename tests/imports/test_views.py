"""The browser import (upload → preview → confirm) and the outsourcing register export."""

import csv
import datetime
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from contracts.models import ServiceProvider
from imports.models import ImportBatch
from imports.register import register_rows
from tests.transition.exit_plan_factories import ExitPlanFactory, RehearsalFactory
from tests.transition.factories import MilestoneFactory, ReadinessAssessmentFactory
from transition.models import OutsourcedProcess


def upload(client, content: bytes, name="providers.csv", kind="providers"):
    return client.post(
        "/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True
    )


@pytest.fixture
def ops(client, operations_manager):
    client.force_login(operations_manager)
    return client


def test_upload_previews_without_writing_then_confirm_imports(ops):
    response = upload(ops, b"name,country\nAcme,DE\nBeta,GB\n")

    assert response.status_code == 200
    assert b"2 to create" in response.content
    assert not ServiceProvider.objects.exists()

    batch = ImportBatch.objects.get()
    confirmed = ops.post(f"/import/{batch.pk}/confirm/", follow=True)

    assert b"2 created" in confirmed.content
    assert set(ServiceProvider.objects.values_list("name", flat=True)) == {"Acme", "Beta"}
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("imported", 2)


def test_the_preview_lists_each_bad_row_with_its_column(ops):
    response = upload(ops, b"name,country\nAcme,DE\nBeta,XX\n")

    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "<td>3</td><td><code>country</code></td>" in html
    assert "Confirm import" not in html


def test_a_refused_file_shows_the_reason_on_the_form(ops):
    response = upload(ops, "name,country\nMüller,DE\n".encode("latin-1"))

    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused_without_a_500(ops, settings):
    response = upload(ops, b"name,country\n" + b"x" * (5 * 1024 * 1024 + 1))

    assert response.status_code == 200
    assert "at most 5 MB" in response.content.decode()


def test_a_confirmed_batch_cannot_be_imported_twice(ops):
    upload(ops, b"name,country\nAcme,DE\n")
    batch = ImportBatch.objects.get()
    ops.post(f"/import/{batch.pk}/confirm/")

    again = ops.post(f"/import/{batch.pk}/confirm/", follow=True)

    assert "already been imported" in again.content.decode()
    assert ServiceProvider.objects.count() == 1


def test_a_batch_that_fails_at_confirmation_writes_nothing(ops):
    upload(ops, b"name,country\nAcme,DE\n")
    batch = ImportBatch.objects.get()
    batch.content = b"name,country\nAcme,DE\nAcme,GB\n"  # now with a duplicate
    batch.save()

    response = ops.post(f"/import/{batch.pk}/confirm/")

    assert response.status_code == 422
    assert not ServiceProvider.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_only_operations_managers_reach_the_import(db, client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get("/import/").status_code == 403
    assert client.post("/import/", {"kind": "providers"}).status_code == 403


def test_someone_elses_batch_is_not_found(ops, client, operations_manager):
    from tests.factories import UserFactory

    other = UserFactory(username="otto", role="Operations managers")
    batch = ImportBatch.objects.create(
        kind="providers", filename="x.csv", content=b"name,country\nA,GB\n", uploaded_by=other
    )

    assert ops.get(f"/import/{batch.pk}/").status_code == 404


def test_the_start_page_lists_the_columns_of_each_kind(ops):
    html = ops.get("/import/").content.decode()

    assert "next_notice_deadline" in html
    assert "exported only" in html


def test_register_rows_carry_the_eba_dora_fields(portfolio, operations_manager):
    fulfilment = OutsourcedProcess.objects.get(name="Fulfilment")
    # A readiness assessment no longer stands in for an exit plan: the register reads the
    # approved exit plan and the process's latest rehearsal.
    ReadinessAssessmentFactory(process=fulfilment, assessed_by=operations_manager)
    plan = ExitPlanFactory(process=fulfilment, approved=True)
    RehearsalFactory(exit_plan=plan, held_on=date(2026, 9, 12))
    ReadinessAssessmentFactory(
        process=OutsourcedProcess.objects.get(name="Service desk"), assessed_by=operations_manager
    )

    rows = {row["function"]: row for row in register_rows(date(2026, 11, 24))}

    row = rows["Fulfilment"]
    assert (row["reference"], row["provider"], row["provider_country"]) == (
        "C-ACME-1",
        "Acme, Logistics",
        "DE",
    )
    assert (row["criticality"], row["notice_period"]) == ("High", "90 days")
    assert (
        row["exit_plan_exists"],
        row["exit_plan_tested"],
        row["substitutability"],
        row["reintegration"],
    ) == ("Yes", "2026-09-12", "Difficult", "Easy")
    assert row["next_renewal"] == ""  # no automatic renewal
    desk = rows["Service desk"]
    assert (
        desk["exit_plan_exists"],
        desk["exit_plan_tested"],
        desk["substitutability"],
        desk["reintegration"],
    ) == ("No", "", "", "")
    assert desk["next_renewal"] == "2027-12-31"


def test_register_lists_contracts_without_processes(portfolio):
    from tests.contracts.factories import ContractFactory

    ContractFactory(reference="C-LONE")

    rows = register_rows(date(2026, 11, 24))

    assert [r["function"] for r in rows if r["reference"] == "C-LONE"] == [""]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_register_downloads_as_csv_and_xlsx(client, viewer, portfolio, fmt):
    MilestoneFactory(process=OutsourcedProcess.objects.get(name="Service desk"))
    client.force_login(viewer)

    response = client.get(f"/export/register.{fmt}")

    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode())))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet.title == "Outsourcing register"
        rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
        # Typed as every list's export is: dates as dates, the cost as a number.
        header = rows[0]
        first = rows[1]
        assert isinstance(first[header.index("Start date")], datetime.datetime)
        assert isinstance(first[header.index("Annual cost")], int | float)
    assert rows[0][:4] == [
        "Contract reference",
        "Service provider",
        "Provider country",
        "Function (process)",
    ]
    assert len(rows) == 3


def test_register_export_needs_login(client, db):
    assert client.get("/export/register.csv").status_code == 302
