"""Pages that stay true: an inline change updates the whole workspace without a reload, and a
refused dialog stays open with its error and what was typed (docs/workspace.md)."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core.clock import local_today
from tests.factories import UserFactory
from tests.transition.factories import AssetFactory, MilestoneFactory, OutsourcedProcessFactory
from transition.models import OutsourcedProcess

pytestmark = pytest.mark.browser

# Set on the page before the change; a reload would lose it.
MARK_PAGE = "window.__notReloaded = true"
NOT_RELOADED = "window.__notReloaded === true"


@pytest.fixture
def process_in_transition():
    """A process in transition led by Liam, with one milestone done and one still open."""
    today = local_today()
    liam = UserFactory(username="liam", first_name="Liam", last_name="Byrne", role="Project leads")
    process = OutsourcedProcessFactory(name="Warehouse operations", lead=liam, state="transition")
    MilestoneFactory(
        process=process,
        title="Lease novated",
        status="done",
        completed_on=today - timedelta(days=3),
        due_date=today,
    )
    MilestoneFactory(process=process, title="Cut over the phone lines", due_date=today)
    return process


def test_the_last_milestone_done_updates_counter_and_guard_without_reload(
    page: Page, live_server, sign_in, process_in_transition, page_log
):
    sign_in(page, "liam")
    page.goto(f"{live_server.url}{process_in_transition.get_absolute_url()}")
    counter = page.get_by_test_id("milestones-count")
    reasons = page.locator("#reasons-complete")
    expect(counter).to_have_text("1/2 done")
    expect(reasons).to_contain_text("1 milestone is not done: Cut over the phone lines.")
    expect(page.get_by_role("button", name="Complete", exact=True)).to_be_disabled()
    page.evaluate(MARK_PAGE)

    open_row = page.get_by_role("row").filter(has_text="Cut over the phone lines")
    open_row.get_by_role("button", name="Done").click()

    expect(counter).to_have_text("2/2 done")
    expect(reasons).to_have_count(0)
    expect(page.locator('[data-transition="complete"] button[disabled]')).to_have_count(0)
    expect(open_row.get_by_role("button", name="Done")).to_have_count(0)
    expect(page.get_by_test_id("schedule-panel")).to_contain_text("Plan finished")
    assert page.evaluate(NOT_RELOADED)
    # The guard's button now opens its dialog.
    page.locator('[data-transition="complete"]').get_by_role("button", name="Complete").click()
    expect(page.get_by_role("dialog", name="Complete")).to_be_visible()
    assert not page_log.errors


def test_a_refused_dialog_stays_open_with_the_error_and_the_typed_text(
    page: Page, live_server, sign_in, page_log
):
    UserFactory(username="olivia", role="Operations managers")
    process = OutsourcedProcessFactory(
        name="Payroll", state="exit_notice", notice_served_on=local_today()
    )
    sign_in(page, "olivia")
    page.goto(f"{live_server.url}{process.get_absolute_url()}")
    page.evaluate(MARK_PAGE)

    page.get_by_role("button", name="Withdraw notice").click()
    dialog = page.get_by_role("dialog", name="Withdraw notice")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Note").fill("Spoke to the provider on Friday")
    dialog.get_by_role("button", name="Withdraw notice").click()

    expect(dialog.locator(".invalid-feedback")).to_contain_text("required")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Note")).to_have_value("Spoke to the provider on Friday")
    expect(dialog.get_by_label("Reason for withdrawing")).to_be_focused()
    assert page.evaluate(NOT_RELOADED)
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE

    # Corrected in the same dialog, it goes through and the workspace reloads.
    dialog.get_by_label("Reason for withdrawing").fill("The provider improved")
    dialog.get_by_role("button", name="Withdraw notice").click()
    expect(page.get_by_text("is now outsourced")).to_be_visible()
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.OUTSOURCED
    assert not page_log.errors


def test_an_asset_set_transferred_inline_updates_counter_and_guard(
    page: Page, live_server, sign_in, process_in_transition, page_log
):
    AssetFactory(process=process_in_transition, name="Forklift fleet")
    sign_in(page, "liam")
    page.goto(f"{live_server.url}{process_in_transition.get_absolute_url()}")
    counter = page.get_by_test_id("assets-count")
    reasons = page.locator("#reasons-complete")
    expect(counter).to_have_text("0/1 settled")
    expect(reasons).to_contain_text("Forklift fleet")
    page.evaluate(MARK_PAGE)

    page.get_by_label("Status of Forklift fleet").select_option("transferred")

    expect(counter).to_have_text("1/1 settled")
    expect(reasons).not_to_contain_text("Forklift fleet")
    expect(page.locator("#assets .badge").filter(has_text="Transferred")).to_be_visible()
    assert page.evaluate(NOT_RELOADED)
    assert not page_log.errors
