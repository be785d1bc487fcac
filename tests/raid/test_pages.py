"""The heat map, the process summary, the dashboard section, the list's query count,
import and export of the RAID log."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from core.spreadsheets import write_csv
from imports.services import import_rows, read_sheet
from raid.models import RaidItem
from raid.selectors import DASHBOARD_LIMIT, dashboard_raid, programme_heat_map
from tests.clock import TODAY
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_the_heat_map_counts_open_risks_by_probability_and_impact_in_one_query(
    django_assert_num_queries,
):
    programme = ProgrammeFactory()
    process = OutsourcedProcessFactory(programme=programme)
    RaidItemFactory(process=process, probability=5, impact=4)
    RaidItemFactory(process=process, probability=5, impact=4, status="in_progress")
    RaidItemFactory(process=None, programme=programme, probability=1, impact=2)
    RaidItemFactory(process=process, probability=2, impact=2, status="closed")
    RaidItemFactory(probability=3, impact=3)  # another programme's

    with django_assert_num_queries(1):
        heat = programme_heat_map(programme)

    cells = {(c.probability, c.impact): c for _impact, row in heat.rows for c in row}
    assert len(cells) == 25
    assert [impact for impact, _row in heat.rows] == [5, 4, 3, 2, 1]
    assert (cells[5, 4].count, cells[5, 4].band) == (2, "high")
    assert (cells[1, 2].count, cells[1, 2].band) == (1, "low")
    assert cells[2, 2].count == 0
    assert cells[3, 3].band == "medium"
    assert (heat.total, heat.high) == (3, 2)


def test_the_programme_page_shows_the_heat_map_with_links_to_the_cells(client, viewer):
    programme = ProgrammeFactory()
    RaidItemFactory(process=None, programme=programme, probability=4, impact=5)
    client.force_login(viewer)

    page = client.get(programme.get_absolute_url()).content.decode()

    assert 'data-testid="raid-heat-map"' in page
    assert "<caption>Open risks of" in page
    cell = page[page.index('data-testid="heat-4-5"') :][:600]
    assert (
        "table-danger" in page[page.rindex("<td", 0, page.index('data-testid="heat-4-5"')) :][:80]
    )
    assert (
        f"programme={programme.pk}&amp;kind=risk&amp;open=true&amp;probability=4&amp;impact=5"
        in cell
    )
    listing = client.get(
        reverse("raid:item_list"),
        {"programme": programme.pk, "kind": "risk", "open": "true", "probability": 4, "impact": 5},
    )
    assert len(listing.context["object_list"]) == 1


def test_the_process_page_summarises_its_log(client, project_lead, frozen_today):
    process = OutsourcedProcessFactory(lead=project_lead)
    RaidItemFactory(process=process, probability=5, impact=3, due_date=date(2026, 11, 1))
    RaidItemFactory(process=process, kind="issue", probability=None, impact=None, severity="low")
    client.force_login(project_lead)

    page = client.get(process.get_absolute_url()).content.decode()

    assert 'data-testid="raid-summary"' in page
    assert "1 high risk" in page
    assert (
        '<span class="text-danger fw-semibold" data-testid="raid-overdue">1 overdue</span>' in page
    )
    assert f"{reverse('raid:item_create')}?process={process.pk}" in page


def test_the_dashboard_section_lists_high_risks_and_overdue_actions_capped(client, viewer):
    process = OutsourcedProcessFactory()
    for n in range(DASHBOARD_LIMIT + 2):
        RaidItemFactory(process=process, probability=5, impact=3 + n % 3, due_date=None)
    RaidItemFactory(process=process, probability=4, impact=3, due_date=None)  # 12: not high
    late = RaidItemFactory(
        process=process,
        kind="assumption",
        probability=None,
        impact=None,
        title="Licences are transferable",
        due_date=date(2026, 11, 1),
    )
    RaidItemFactory(process=process, due_date=date(2026, 11, 2), status="closed")

    raid = dashboard_raid(TODAY)

    assert raid.high_risks.total == DASHBOARD_LIMIT + 2
    assert len(raid.high_risks) == DASHBOARD_LIMIT
    assert raid.high_risks[0].score == 25
    assert list(raid.overdue) == [late]
    assert raid.overdue.total == 1


def test_the_dashboard_page_shows_the_section(client, viewer, frozen_today):
    RaidItemFactory(title="Provider insolvency", probability=5, impact=5)
    client.force_login(viewer)

    page = client.get(reverse("dashboard")).content.decode()

    assert "Risks and actions" in page
    assert "Provider insolvency" in page
    assert "See all 1 open high risk" in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_list_costs_the_same_queries_at_any_size(
    client, viewer, django_assert_num_queries, rows
):
    programme = ProgrammeFactory()
    for n in range(rows):
        process = OutsourcedProcessFactory(programme=programme)
        RaidItemFactory(process=process, owner=viewer)
        RaidItemFactory(
            process=None,
            programme=programme,
            kind="decision",
            probability=None,
            impact=None,
            status="closed",
            decision_date=date(2026, 1, 1),
            made_by=viewer,
            title=f"D{n}",
        )
    client.force_login(viewer)

    # session, user, the programme filtered on, the count, groups and the processes the user
    # leads (for "New"), unread notifications, the filter's choices (programmes, processes,
    # owners) and the page of rows; the list's saved views (docs/saved-views.md).
    with django_assert_num_queries(12):
        response = client.get(reverse("raid:item_list"), {"programme": programme.pk})

    assert response.context["paginator"].count == 2 * rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_api_list_costs_the_same_queries_at_any_size(
    client, viewer, django_assert_num_queries, rows
):
    for _ in range(rows):
        RaidItemFactory(owner=viewer)
    client.force_login(viewer)

    # session, user, count, page of rows.
    with django_assert_num_queries(4):
        response = client.get("/api/v1/raid-items/")

    assert response.json()["count"] == rows


def test_export_neutralises_formulas_and_names_the_log(client, viewer):
    process = OutsourcedProcessFactory(name="Payroll")
    RaidItemFactory(process=process, title='=HYPERLINK("http://x")', probability=4, impact=4)
    client.force_login(viewer)

    response = client.get(reverse("raid:item_list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(content)))[:2]
    cells = dict(zip(header, row, strict=True))

    assert header[:4] == ["programme", "process", "kind", "title"]
    assert (cells["process"], cells["kind"], cells["score"]) == ("Payroll", "risk", "16")
    assert cells["title"].startswith("'=HYPERLINK")


def import_csv(actor, headers, rows, dry_run=False):
    return import_rows(
        actor=actor,
        kind="raid",
        sheet=read_sheet(write_csv(headers, rows).encode(), "raid.csv"),
        dry_run=dry_run,
    )


HEADERS = [
    "programme",
    "process",
    "kind",
    "title",
    "status",
    "probability",
    "impact",
    "severity",
    "owner",
]


def test_an_import_creates_items_of_processes_and_programmes_then_updates_them(
    operations_manager,
):
    process = OutsourcedProcessFactory(name="Payroll", programme=ProgrammeFactory(name="Back"))
    rows = [
        ["Back", "Payroll", "Risk", "Key staff leave", "open", "4", "4", "", "olivia"],
        ["Back", "", "issue", "Budget cut", "open", "", "", "high", ""],
    ]

    report = import_csv(operations_manager, HEADERS, rows)

    assert (report.ok, report.created) == (True, 2)
    risk = RaidItem.objects.get(kind="risk")
    assert (risk.process, risk.programme, risk.owner, risk.rating) == (
        process,
        None,
        operations_manager,
        16,
    )
    issue = RaidItem.objects.get(kind="issue")
    assert (issue.process, issue.programme.name) == (None, "Back")
    assert risk.history.get().history_change_reason == "import"

    rows[0][5] = "2"
    again = import_csv(operations_manager, HEADERS, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)  # the issue is as stored
    assert RaidItem.objects.get(kind="risk").probability == 2


def test_an_import_with_a_probability_out_of_range_writes_nothing_and_says_where(
    operations_manager,
):
    OutsourcedProcessFactory(name="Payroll", programme=ProgrammeFactory(name="Back"))
    rows = [
        ["Back", "Payroll", "risk", "Fine", "open", "2", "2", "", ""],
        ["Back", "Payroll", "risk", "Bad", "open", "6", "2", "", ""],
    ]

    report = import_csv(operations_manager, HEADERS, rows)

    assert not report.ok
    assert not RaidItem.objects.exists()
    [error] = report.errors
    assert (error.row, error.column) == (3, "probability")
    assert error.message == "Probability is rated from 1 to 5; 6 is out of range."


def test_each_section_adds_one_query_to_the_transition_pages(rf, viewer, django_assert_num_queries):
    from django.template.loader import render_to_string

    programme = ProgrammeFactory()
    process = OutsourcedProcessFactory(programme=programme)
    RaidItemFactory.create_batch(3, process=process)
    viewer.has_perm("raid.edit_item", process)  # the role is read once per request
    context = {"user": viewer, "process": process, "programme": programme}

    with django_assert_num_queries(1):
        summary = render_to_string("raid/partials/process_raid_summary.html", context)
    with django_assert_num_queries(1):
        heat = render_to_string("raid/partials/heat_map.html", context)

    assert "3 risks" in summary
    assert 'data-testid="heat-3-3"' in heat
