"""Search from the keyboard: "/" opens the navigation bar's box on any page, Enter searches,
and Tab walks the results in order, at laptop and phone width."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, WIDTHS
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def records():
    UserFactory(username="vera", role="Viewers", password=PASSWORD)
    provider = ServiceProviderFactory(name="Atlas Logistics", legal_name="Atlas Logistics Ltd")
    contract = ContractFactory(provider=provider, reference="ATL-1", title="Warehousing")
    process = OutsourcedProcessFactory(name="Atlas fulfilment", contract=contract)
    for n in range(12):
        MilestoneFactory(process=process, title=f"Atlas cutover step {n:02d}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_slash_focuses_the_search_box_and_tab_walks_the_results(
    page: Page, live_server, sign_in, shoot, records, width
):
    page.set_viewport_size(WIDTHS[width])
    sign_in(page, "vera")
    box = page.get_by_role("searchbox", name="Search everything")
    expect(box).to_be_visible()

    page.wait_for_load_state()  # the shortcut's script is deferred to the end of parsing
    page.locator("body").press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the "/" opened the box; it was not typed into it
    box.fill("atlas")
    box.press("Enter")

    page.wait_for_url("**/search/?q=atlas")
    expect(page.get_by_test_id("search-summary")).to_contain_text(
        "15 results for “atlas” in 4 registers."
    )
    expect(page.get_by_role("link", name="See all 12 in the milestones list")).to_be_visible()
    # Nothing scrolls sideways, even at 390 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    if width == "1366":
        shoot(page, "search")

    # From the page's search button, Tab reaches the type index, then the results in order.
    page.get_by_role("button", name="Search", exact=True).focus()
    order = []
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert order[:4] == ["Providers 1", "Contracts 1", "Processes 1", "Milestones 12"]
    assert order[4:] == [
        "Atlas Logistics",
        "ATL-1 – Warehousing",
        "Atlas fulfilment",
        "Atlas cutover step 00",
    ]


def test_slash_typed_into_a_field_stays_in_the_field(page: Page, live_server, sign_in, records):
    sign_in(page, "vera")
    page.goto(f"{live_server.url}/search/")
    field = page.get_by_label("Providers, contracts, programmes")
    field.click()
    field.press("/")
    expect(field).to_have_value("/")
    expect(field).to_be_focused()
