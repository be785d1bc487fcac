"""The contract list, deadline first (docs/contracts-list.md): soonest notice deadline on
top with what missing it commits, re-sorted by a click, and cards on a phone that never
scroll sideways."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core.clock import local_today
from tests.browser.conftest import PASSWORD, WIDTHS
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def contracts():
    UserFactory(username="olga", role="Operations managers", password=PASSWORD)
    today = local_today()
    for reference, days in (("LATE-300", 300), ("SOON-40", 40), ("MID-150", 150)):
        OutsourcedProcessFactory(
            contract=ContractFactory(
                reference=reference,
                end_date=today + timedelta(days=days + 95),
                renewal="automatic",
                renewal_term_months=12,
                notice_period=3,
                annual_value="120000.00",
                currency="GBP",
            )
        )


def references(page: Page) -> list[str]:
    return page.locator("tbody tr td.card-title-cell a").all_inner_texts()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_soonest_deadline_leads_and_each_row_says_what_missing_it_commits(
    page: Page, live_server, sign_in, shoot, contracts, width
):
    page.set_viewport_size(WIDTHS[width])
    sign_in(page, "olga")
    page.goto(f"{live_server.url}/contracts/")
    assert references(page) == ["SOON-40", "MID-150", "LATE-300"]
    first = page.locator("tbody tr").first
    expect(first.locator('td[data-label="If missed"]')).to_contain_text("Runs to")
    expect(first.locator('td[data-label="If missed"]')).to_contain_text("GBP 120,000")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= WIDTHS[width]["width"], f"the page scrolls sideways: {scroll}px"
    shoot(page, f"contract-list-{width}")

    if width == "1366":
        page.get_by_role("link", name="Next notice deadline").click()
        expect(page).to_have_url(f"{live_server.url}/contracts/?sort=-notice_deadline")
        assert references(page) == ["LATE-300", "MID-150", "SOON-40"]
