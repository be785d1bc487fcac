"""Bulk actions in the browser (docs/bulk-actions.md): tick rows, watch the count, apply an
action and read the summary; select the whole page and download just the selection."""

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.models import Milestone

pytestmark = pytest.mark.browser


@pytest.fixture
def plan():
    UserFactory(username="olivia", role="Operations managers", password=PASSWORD)
    UserFactory(username="vera", role="Viewers", password=PASSWORD)
    process = OutsourcedProcessFactory(name="Fulfilment")
    return [
        MilestoneFactory(process=process, title=title)
        for title in ("Data migration", "Staff briefing", "Go-live rehearsal")
    ]


def toolbar(page: Page):
    return page.get_by_role("form", name="Bulk actions")


def test_two_milestones_marked_done_with_a_summary(
    page: Page, live_server, sign_in, shoot, page_log, plan
):
    sign_in(page, "olivia")
    page.goto(f"{live_server.url}/milestones/?sort=title")
    page.wait_for_load_state()  # the toolbar's script is deferred to the end of parsing
    bar = toolbar(page)
    apply = bar.get_by_role("button", name="Apply to selection")
    expect(apply).to_be_disabled()  # nothing selected yet

    page.get_by_role("checkbox", name="Select Data migration").check()
    page.get_by_role("checkbox", name="Select Staff briefing").check()
    expect(bar.get_by_text("2 selected")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Select every row on this page")).not_to_be_checked()
    bar.get_by_label("Action").select_option(label="Mark done")
    expect(bar.get_by_label("New owner")).to_be_hidden()  # another action's parameter
    shoot(page, "bulk-actions")
    apply.click()

    page.wait_for_url("**/milestones/?sort=title")
    expect(page.get_by_role("alert").first).to_contain_text(
        "2 milestones marked done: “Data migration” and “Staff briefing”."
    )
    done = Milestone.objects.filter(status=Milestone.Status.DONE)
    assert sorted(done.values_list("title", flat=True)) == ["Data migration", "Staff briefing"]
    assert not page_log.errors


def test_select_all_then_export_only_the_selection(page: Page, live_server, sign_in, plan):
    MilestoneFactory(title="Elsewhere")  # not on the filtered page, so never exported
    sign_in(page, "olivia")
    page.goto(f"{live_server.url}/milestones/?process={plan[0].process_id}")
    page.wait_for_load_state()
    bar = toolbar(page)

    page.get_by_role("checkbox", name="Select every row on this page").check()
    expect(bar.get_by_text("3 selected")).to_be_visible()
    page.get_by_role("checkbox", name="Select Staff briefing").uncheck()
    expect(bar.get_by_text("2 selected")).to_be_visible()
    with page.expect_download() as download:
        bar.get_by_role("button", name="Export selection (CSV)").click()

    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115 - a temp file
    rows = list(csv.reader(io.StringIO(text)))
    titles = sorted(row[rows[0].index("title")] for row in rows[1:])
    assert titles == ["Data migration", "Go-live rehearsal"]


def test_a_viewer_gets_no_boxes(page: Page, live_server, sign_in, plan):
    sign_in(page, "vera")
    page.goto(f"{live_server.url}/milestones/")

    expect(page.get_by_role("link", name="Data migration")).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(0)
    expect(toolbar(page)).to_have_count(0)
