"""List exports stream: CSV row by row, XLSX from a write-only workbook, a fixed number of
queries whatever the rows, the same cells as django-import-export would write."""

import csv
import io

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from contracts.resources import ContractResource
from core.spreadsheets import stream_csv, write_csv
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.models import Milestone
from transition.resources import MilestoneResource, OutsourcedProcessResource

pytestmark = pytest.mark.django_db


def plan(count: int) -> list[Milestone]:
    """`count` milestones of one process, each after the one before it."""
    process = OutsourcedProcessFactory(name="Fulfilment")
    milestones = [MilestoneFactory(process=process, title=f"=Step {n}") for n in range(count)]
    for before, after in zip(milestones, milestones[1:], strict=False):
        after.depends_on.add(before)
    return milestones


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode(), newline="")))


def test_the_csv_export_is_streamed_with_every_row_and_no_formula(client, operations_manager):
    plan(3)
    client.force_login(operations_manager)

    response = client.get(reverse("transition:milestone_list"), {"export": "csv"})

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="milestones-')
    header, *rows = csv_rows(response)
    assert header[:3] == ["programme", "process", "title"]
    by_title = {row[2]: row for row in rows}
    assert set(by_title) == {"'=Step 0", "'=Step 1", "'=Step 2"}
    assert by_title["'=Step 2"][header.index("depends_on")] == "'=Step 1"
    assert by_title["'=Step 0"][header.index("depends_on")] == ""


def test_the_xlsx_export_is_a_file_response_of_text_cells(client, operations_manager):
    plan(2)
    client.force_login(operations_manager)

    response = client.get(reverse("transition:milestone_list"), {"export": "xlsx"})

    assert isinstance(response, FileResponse)
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    titles = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(titles) == ["'=Step 0", "'=Step 1"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("count", [1, 12])
def test_an_export_costs_the_same_queries_for_1_and_12_rows(
    client, operations_manager, django_assert_num_queries, count
):
    plan(count)
    client.force_login(operations_manager)
    url = reverse("transition:milestone_list")
    # Session, user, the bounded count against EXPORT_BACKGROUND_ROWS, the rows as values,
    # and the predecessors of the (one) chunk of rows.
    with django_assert_num_queries(5):
        response = client.get(url, {"export": "csv"})
        rows = csv_rows(response)
    assert len(rows) == count + 1


@pytest.mark.parametrize("count", [1, 12])
def test_a_resource_export_reads_one_query_per_chunk_not_per_row(django_assert_num_queries, count):
    plan(count)
    # The milestones with their joins, then the predecessors of the chunk.
    with django_assert_num_queries(2):
        dataset = MilestoneResource().export(Milestone.objects.all())
    assert len(dataset) == count


@pytest.mark.parametrize(
    ("resource_class", "queryset"),
    [
        (MilestoneResource, lambda: Milestone.objects.all()),
        (OutsourcedProcessResource, lambda: OutsourcedProcessResource().get_queryset()),
        (ContractResource, lambda: ContractResource().get_queryset()),
    ],
)
def test_streamed_rows_hold_the_cells_import_export_writes(resource_class, queryset):
    plan(3)
    resource = resource_class()
    expected = resource.export(queryset().order_by("pk"))

    headers, rows = resource.export_headers_and_rows(queryset().order_by("pk"))

    assert headers == list(expected.headers)
    assert [list(row) for row in rows] == [list(row) for row in expected]


def test_streamed_csv_is_the_same_text_in_pieces():
    rows = [[f"=row {n}", n, None] for n in range(1234)]
    pieces = list(stream_csv(["a", "b", "c"], rows, rows_per_chunk=500))
    assert len(pieces) == 3
    assert "".join(pieces) == write_csv(["a", "b", "c"], rows)
    assert '"\'=row 0","0",""' in pieces[0]
