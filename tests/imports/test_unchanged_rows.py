"""Re-importing an exported file changes nothing and writes no history; a changed cell is
the one update, shown field by field in the preview (core/resources.py, issue 16 item 9)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Contract, ServiceProvider
from imports.models import ImportBatch
from raid.models import RaidItem
from transition.models import Milestone, OutsourcedProcess, Programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portfolio")]

# Each list and the kind of import its export is.
LISTS = {
    "contracts:provider_list": "providers",
    "contracts:contract_list": "contracts",
    "transition:programme_list": "programmes",
    "transition:process_list": "processes",
    "transition:milestone_list": "milestones",
    "transition:asset_list": "assets",
    "transition:staff_list": "staff",
    "raid:item_list": "raid",
}
HISTORIES = (ServiceProvider, Contract, Programme, OutsourcedProcess, RaidItem)


def history_counts() -> dict[str, int]:
    return {
        model.__name__: model.history.count() for model in HISTORIES if hasattr(model, "history")
    }


def exported_xlsx(client, url_name) -> bytes:
    response = client.get(reverse(url_name), {"export": "xlsx"})
    return b"".join(response) if response.streaming else response.content


def upload(client, content, kind):
    return client.post(
        reverse("imports:start"),
        {"kind": kind, "file": SimpleUploadedFile(f"{kind}.xlsx", content)},
    )


def with_cell(content: bytes, column: str, value, row: int = 2) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=row, column=headers.index(column) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def ops(client, operations_manager):
    client.force_login(operations_manager)
    return client


@pytest.mark.parametrize(("url_name", "kind"), LISTS.items())
def test_an_unchanged_export_previews_as_unchanged_and_writes_nothing(ops, url_name, kind):
    content = exported_xlsx(ops, url_name)
    rows = load_workbook(io.BytesIO(content)).active.max_row - 1
    histories = history_counts()

    preview = upload(ops, content, kind).content.decode()

    assert f"0 to create, 0 to update, {rows} unchanged" in preview
    assert 'aria-label="Changes"' not in preview
    batch = ImportBatch.objects.get()
    confirmed = ops.post(reverse("imports:confirm", args=[batch.pk]), follow=True)

    assert f"0 created, 0 updated, {rows} unchanged" in confirmed.content.decode()
    assert history_counts() == histories


def test_one_changed_cell_is_the_one_update_shown_old_to_new(ops):
    content = exported_xlsx(ops, "contracts:contract_list")
    sheet = load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in sheet[1]]
    reference = sheet.cell(row=2, column=headers.index("reference") + 1).value
    contract = Contract.objects.get(reference=reference)
    contract.annual_value, contract.currency = 2_750_000, "GBP"
    contract.save()
    content = exported_xlsx(ops, "contracts:contract_list")
    histories = history_counts()

    preview = upload(ops, with_cell(content, "annual_value", 2_800_000), "contracts")
    html = preview.content.decode()

    assert "0 to create, 1 to update, 1 unchanged" in html
    assert (
        "<td><code>annual_value</code></td><td>GBP 2,750,000.00</td><td>GBP 2,800,000.00</td>"
        in html
    )
    assert html.count("<code>annual_value</code>") == 1
    batch = ImportBatch.objects.get()
    ops.post(reverse("imports:confirm", args=[batch.pk]))

    contract.refresh_from_db()
    assert contract.annual_value == 2_800_000
    assert history_counts()["Contract"] == histories["Contract"] + 1
    assert contract.history.first().history_user.username == "olivia"


def test_a_changed_owner_and_date_are_shown_as_pages_show_them(
    ops, operations_manager, project_lead
):
    for user, first, last in (
        (operations_manager, "Olivia", "Quinn"),
        (project_lead, "Liam", "Roe"),
    ):
        user.first_name, user.last_name = first, last
        user.save()
    content = exported_xlsx(ops, "transition:milestone_list")
    sheet = load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in sheet[1]]
    titles = [row[headers.index("title")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    row = titles.index("Move stock") + 2
    move = Milestone.objects.get(title="Move stock")
    changed = with_cell(content, "owner", operations_manager.username, row=row)
    changed = with_cell(changed, "due_date", "2027-12-16", row=row)

    html = upload(ops, changed, "milestones").content.decode()

    assert "0 to create, 1 to update" in html
    assert move.owner == project_lead
    assert "<td><code>owner</code></td><td>Liam Roe</td><td>Olivia Quinn</td>" in html
    assert "<td>16 Dec 2027</td>" in html


def test_a_changed_predecessor_list_alone_is_an_update(ops):
    content = exported_xlsx(ops, "transition:milestone_list")
    sheet = load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in sheet[1]]
    titles = [row[headers.index("title")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    row = titles.index("Go-live") + 2

    html = upload(ops, with_cell(content, "depends_on", "Plan", row=row), "milestones")

    text = html.content.decode()
    assert "1 to update" in text
    assert "<td><code>depends_on</code></td><td>Move stock; Plan</td><td>Plan</td>" in text
