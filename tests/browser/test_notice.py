"""An operations manager serves exit notice on a demo contract from its page; the contract is
under notice everywhere afterwards, and a viewer or project lead is never offered it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from contracts.models import Contract, ExitNotice
from core.clock import local_today
from tests.browser.conftest import PASSWORD
from tests.factories import UserFactory
from transition.models import OutsourcedProcess

pytestmark = pytest.mark.browser

DECIDE_NOW = re.compile("decide now", re.IGNORECASE)


def contract_all_outsourced() -> Contract:
    """A demo contract whose processes are all outsourced and ready for notice."""
    for contract in Contract.objects.order_by("reference"):
        processes = list(contract.processes.all())
        if processes and all(
            process.state == OutsourcedProcess.State.OUTSOURCED
            and process.readiness_assessments.exists()
            and process.projected_inhouse_annual_cost is not None
            for process in processes
        ):
            return contract
    raise AssertionError("the demo has no contract whose processes are all outsourced")


@pytest.fixture
def olivia(demo):
    """The demo's operations manager, who owns its contracts, with a known password."""
    user = get_user_model().objects.get(username="olivia")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_operations_manager_serves_notice_on_a_contract_from_its_page(
    page: Page, page_log, live_server, sign_in, shoot, olivia
):
    contract = contract_all_outsourced()
    today = local_today()
    exit_date = contract.exit_date_if_served(today)
    sign_in(page, "olivia")
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    expect(page.locator("#main")).to_contain_text(DECIDE_NOW)  # the demo's urgent contract

    page.get_by_role("button", name="Serve notice").click()
    dialog = page.get_by_role("dialog", name=f"Serve notice on {contract.reference}")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("The whole contract")).to_be_checked()
    for process in contract.processes.all():
        expect(dialog.get_by_label(process.name, exact=True)).to_be_checked()
    expect(dialog.get_by_label("Received by the provider on")).to_have_value(f"{today:%Y-%m-%d}")
    preview = dialog.get_by_test_id("notice-preview")
    expect(preview.get_by_test_id("preview-exit-date")).to_have_text(
        exit_date.strftime("%-d %b %Y")
    )
    letter = preview.get_by_role("link", name="Download notice letter")
    expect(letter).to_have_attribute("href", re.compile(rf"served_on={today:%Y-%m-%d}"))

    # A day in the future: the preview warns, and the server refuses inside the dialog,
    # keeping everything typed.
    tomorrow = today + timedelta(days=1)
    dialog.get_by_label("Received by the provider on").fill(f"{tomorrow:%Y-%m-%d}")
    expect(preview).to_contain_text("Notice cannot be received in the future")
    expect(letter).to_have_attribute("href", re.compile(rf"served_on={tomorrow:%Y-%m-%d}"))
    dialog.get_by_label("Recipient").fill("Meridian contracts desk")
    dialog.get_by_label("Note").fill("Board decision: bring returns in-house.")
    shoot(page, "contract-serve-notice-dialog")
    dialog.get_by_role("button", name="Serve notice").click()
    errors = dialog.get_by_test_id("notice-errors")
    expect(errors).to_be_visible()
    expect(dialog.locator(".invalid-feedback")).to_contain_text(
        "Notice cannot be received in the future"
    )
    expect(dialog.get_by_label("Recipient")).to_have_value("Meridian contracts desk")
    expect(dialog.get_by_label("Note")).to_have_value("Board decision: bring returns in-house.")
    expect(dialog.get_by_label("Received by the provider on")).to_have_value(f"{tomorrow:%Y-%m-%d}")
    shoot(page, "contract-serve-notice-refused")
    assert not ExitNotice.objects.filter(contract=contract).exists()

    dialog.get_by_label("Received by the provider on").fill(f"{today:%Y-%m-%d}")
    expect(preview).not_to_contain_text("refused")
    dialog.get_by_role("button", name="Serve notice").click()

    ends = f"Under notice — ends {exit_date.strftime('%-d %b %Y')}"
    expect(page.get_by_role("alert")).to_contain_text(f"Notice on {contract.reference} recorded")
    main = page.locator("#main")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    expect(main).to_contain_text(ends)
    expect(main).not_to_contain_text(DECIDE_NOW)
    expect(main).not_to_contain_text("Decision due")
    expect(main).not_to_contain_text("Next notice deadline")
    expect(main).not_to_contain_text("Exit date if notice is served")
    notice = ExitNotice.objects.get(contract=contract)
    section = page.locator(f"#notice-{notice.pk}")
    expect(section).to_contain_text("The whole contract")
    expect(section).to_contain_text("Meridian contracts desk")
    expect(section.get_by_role("button", name="Withdraw notice")).to_be_visible()
    expect(page.get_by_role("button", name="Serve notice")).to_have_count(0)
    shoot(page, "contract-under-notice")

    page.goto(f"{live_server.url}/contracts/")
    row = page.get_by_role("row").filter(has_text=contract.reference)
    expect(row).to_contain_text(ends)
    expect(row).not_to_contain_text(DECIDE_NOW)
    shoot(page, "contract-list-under-notice")

    page.goto(f"{live_server.url}/")
    mine = page.get_by_test_id("my-items").get_by_role("link").filter(has_text=contract.reference)
    expect(mine).to_contain_text(ends)
    expect(mine).not_to_contain_text("notice by")
    expect(page.locator("#main")).not_to_contain_text(
        f"Decide before notice on {contract.reference}"
    )
    expect(page.locator("#main")).not_to_contain_text(DECIDE_NOW)
    shoot(page, "dashboard-under-notice")

    assert {p.state for p in contract.processes.all()} == {OutsourcedProcess.State.EXIT_NOTICE}

    # Withdrawn: a missing reason is refused inside the dialog, then the record stays.
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    page.get_by_role("button", name="Withdraw notice").click()
    withdraw = page.get_by_role("dialog", name=re.compile("Withdraw the notice received"))
    withdraw.get_by_role("button", name="Withdraw notice").click()
    expect(withdraw.locator(".invalid-feedback")).to_contain_text("Give a reason")
    withdraw.get_by_label("Reason for withdrawing").fill("Meridian matched our in-house cost.")
    withdraw.get_by_label("Yes").check()
    withdraw.get_by_role("button", name="Withdraw notice").click()
    expect(page.get_by_role("alert")).to_contain_text("was withdrawn")
    expect(page.locator("#notices")).to_contain_text("Withdrawn notices (1)")
    expect(page.get_by_role("button", name="Serve notice")).to_be_visible()
    assert {p.state for p in contract.processes.all()} == {OutsourcedProcess.State.OUTSOURCED}
    assert page_log.errors == []
    assert page_log.offsite(live_server.url) == []


@pytest.mark.parametrize(("username", "role"), [("vince", "Viewers"), ("lena", "Project leads")])
def test_viewers_and_project_leads_are_not_offered_serving_notice(
    page: Page, live_server, sign_in, demo, username, role
):
    UserFactory(username=username, role=role)
    contract = contract_all_outsourced()
    sign_in(page, username)

    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(contract.title)
    expect(page.get_by_role("button", name="Serve notice")).to_have_count(0)
    expect(page.get_by_role("link", name="Serve notice")).to_have_count(0)

    response = page.goto(f"{live_server.url}/contracts/{contract.pk}/notice/")
    assert response is not None
    assert response.status == 403
    assert not ExitNotice.objects.filter(contract=contract).exists()
