"""An operations manager exports a list, adds a row in the file and imports it back."""

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from contracts.models import ServiceProvider
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def download_export(page: Page, fmt: str, tmp_path) -> list[dict]:
    with page.expect_download() as download:
        page.get_by_role("group", name="Export the filtered list").get_by_role(
            "link", name=fmt, exact=True
        ).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_csv(path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def upload(page: Page, live_server, kind: str, path) -> None:
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("What the file holds").select_option(label=kind)
    page.get_by_label("CSV or XLSX file").set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()


def test_an_exported_list_with_a_new_row_imports_back(
    page: Page, page_log, live_server, sign_in, shoot, demo, tmp_path
):
    UserFactory(username="oscar", first_name="Oscar", last_name="Reid", role="Operations managers")
    sign_in(page, "oscar")
    before = ServiceProvider.objects.count()

    page.goto(f"{live_server.url}/providers/")
    rows = download_export(page, "CSV", tmp_path)
    assert len(rows) == before

    bad = tmp_path / "providers-bad.csv"
    write_csv(bad, [*rows, {**rows[0], "name": "Harbour Freight", "country": "XX"}])
    upload(page, live_server, "Service providers", bad)
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    errors = page.get_by_role("table", name="Errors")
    expect(errors).to_contain_text("country")
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    expect(errors.locator("tbody tr").first).to_contain_text(str(len(rows) + 2))
    shoot(page, "import-errors")
    assert ServiceProvider.objects.count() == before

    good = tmp_path / "providers.csv"
    write_csv(good, [*rows, {**rows[0], "name": "Harbour Freight", "legal_name": ""}])
    upload(page, live_server, "Service providers", good)
    expect(page.get_by_role("status")).to_contain_text(f"{len(rows) + 1} rows checked")
    expect(page.get_by_role("status")).to_contain_text("1 to create")
    shoot(page, "import-preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("alert")).to_contain_text("1 created")

    page.goto(f"{live_server.url}/providers/")
    expect(page.get_by_role("link", name="Harbour Freight")).to_be_visible()
    assert ServiceProvider.objects.count() == before + 1
    assert page_log.errors == []
    assert page_log.offsite(live_server.url) == []
