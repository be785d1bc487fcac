"""An operations manager sets up the register and a process, then serves exit notice."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core.clock import local_today
from tests.factories import UserFactory
from transition.models import OutsourcedProcess

pytestmark = pytest.mark.browser


def test_operations_manager_records_a_process_and_serves_exit_notice(
    page: Page, page_log, live_server, sign_in, shoot
):
    UserFactory(
        username="olivia", first_name="Olivia", last_name="Hart", role="Operations managers"
    )
    today = local_today()
    sign_in(page, "olivia")

    page.goto(f"{live_server.url}/providers/")
    page.get_by_role("link", name="New provider").click()
    page.locator("#id_name").fill("Northwind Logistics")
    page.locator("#id_country").select_option("GB")
    page.locator("#id_contact_email").fill("account@northwind.example")
    shoot(page, "provider-form")
    page.get_by_role("button", name="Save provider").click()
    expect(page.get_by_role("alert")).to_contain_text("Northwind Logistics")

    page.goto(f"{live_server.url}/contracts/")
    page.get_by_role("link", name="New contract").click()
    page.locator("#id_reference").fill("NW-2024-01")
    page.locator("#id_title").fill("Warehousing and distribution")
    page.locator("#id_provider").select_option(label="Northwind Logistics")
    page.locator("#id_start_date").fill(f"{today - timedelta(days=730):%Y-%m-%d}")
    page.locator("#id_end_date").fill(f"{today + timedelta(days=1095):%Y-%m-%d}")
    page.get_by_label("Automatic renewal").check()
    page.locator("#id_renewal_term_months").fill("12")
    page.locator("#id_notice_period").fill("3")
    page.locator("#id_notice_unit").select_option("months")
    page.locator("#id_annual_value").fill("480000")
    shoot(page, "contract-form")
    page.get_by_role("button", name="Save contract").click()
    expect(page.get_by_role("alert")).to_contain_text("NW-2024-01")

    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="New programme").click()
    page.locator("#id_name").fill("Logistics insourcing")
    page.locator("#id_start_date").fill(f"{today:%Y-%m-%d}")
    page.locator("#id_target_date").fill(f"{today + timedelta(days=365):%Y-%m-%d}")
    page.locator("#id_budget").fill("750000")
    page.get_by_role("button", name="Save programme").click()
    expect(page.get_by_role("alert")).to_contain_text("Logistics insourcing")

    page.goto(f"{live_server.url}/processes/")
    page.get_by_role("link", name="New process").click()
    page.locator("#id_name").fill("Warehouse operations")
    page.locator("#id_programme").select_option(label="Logistics insourcing")
    page.locator("#id_contract").select_option(label="NW-2024-01 · Northwind Logistics")
    page.locator("#id_category").select_option(label="Fulfilment & logistics")
    page.locator("#id_owner").select_option(label="Olivia Hart")
    page.locator("#id_annual_outsourced_cost").fill("520000")
    page.locator("#id_projected_inhouse_annual_cost").fill("390000")
    page.locator("#id_one_off_transition_cost").fill("260000")
    shoot(page, "process-form")
    page.get_by_role("button", name="Save process").click()
    expect(page.get_by_role("alert")).to_contain_text("Warehouse operations")

    page.goto(f"{live_server.url}/processes/")
    page.get_by_role("link", name="Warehouse operations").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Outsourced")
    blocked = page.locator('[data-transition="serve_exit_notice"]')
    expect(blocked.get_by_role("button", name="Serve exit notice")).to_be_disabled()
    expect(blocked).to_contain_text("Record a readiness assessment before serving exit notice.")
    business_case = page.locator(".business-case")
    expect(business_case).to_contain_text("130,000")
    expect(business_case).to_contain_text("24.0 months")

    readiness = page.locator("#readiness form")
    for score in readiness.locator("fieldset.readiness-score").all():
        score.get_by_text("4", exact=True).click()
    readiness.get_by_label("Notes").fill("Warehouse team ready; WMS licences still to buy.")
    readiness.get_by_role("button", name="Record assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("Readiness assessment recorded.")
    expect(page.locator("#readiness")).to_contain_text("overall 4/5")

    page.get_by_role("button", name="Serve exit notice").click()
    dialog = page.get_by_role("dialog", name="Serve exit notice")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Notice served on")).to_have_value(f"{today:%Y-%m-%d}")
    dialog.get_by_label("Note").fill("Board approved insourcing on the March business case.")
    shoot(page, "process-serve-notice-dialog")
    dialog.get_by_role("button", name="Serve exit notice").click()

    expect(heading).to_contain_text("Exit notice")
    timeline = page.locator("#events")
    expect(timeline).to_contain_text("Serve exit notice")
    expect(timeline).to_contain_text("by Olivia Hart")
    expect(timeline).to_contain_text("Board approved insourcing on the March business case.")
    expect(page.locator(".workflow-step.current")).to_have_text(re.compile("Exit notice"))
    shoot(page, "process-workspace-exit-notice")

    process = OutsourcedProcess.objects.get(name="Warehouse operations")
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE
    assert process.notice_served_on == today
    assert page_log.errors == []
    assert page_log.offsite(live_server.url) == []
