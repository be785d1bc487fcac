"""The dashboard at phone width (390 px) never scrolls sideways, for every role (issue 16,
item 9): wide tables scroll inside their own box, long words wrap."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from core.clock import local_today
from tests.browser.conftest import PASSWORD, PHONE
from tests.contracts.factories import ContractFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

pytestmark = pytest.mark.browser

# The elements wider than the page, to name the culprit when the check fails.
WIDER_THAN_PAGE = """() => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(el => !el.closest(".table-responsive, .overflow-auto, .visually-hidden"))
  .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
             + (el.className && typeof el.className === "string"
                ? "." + el.className.trim().split(/\\s+/).join(".") : ""))
  .slice(0, 10)"""


# The demo's operations manager, project lead and viewer (transition/demo): their
# dashboards list the demo programme's deadlines, notices and totals.
@pytest.mark.parametrize("username", ["olivia", "liam", "victor"])
def test_the_dashboard_does_not_scroll_sideways_at_390_px(
    page: Page, page_log, live_server, sign_in, demo, username
):
    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    # Long unbroken words, as references and system names often are, due soon and overdue.
    process = OutsourcedProcessFactory(
        name="WarehouseManagementSystemDecommissioningAndDataMigration",
        owner=user,
        lead=user,
        contract=ContractFactory(
            owner=user,
            reference="CTR2024LOGISTICSEMEA000123RENEWAL",
            title="WarehousingFulfilmentAndReturnsProcessingFrameworkAgreement",
            provider__name="NorthwindTranscontinentalLogisticsHoldingsGmbH",
        ),
    )
    for days in (-3, 5):
        MilestoneFactory(
            process=process,
            owner=user,
            title="CutoverOfTheInboundEDIInterfacesToTheInhousePlatform",
            due_date=local_today() + timedelta(days=days),
        )
    page.set_viewport_size(PHONE)
    sign_in(page, username)

    page.goto(f"{live_server.url}/")
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("CutoverOfTheInboundEDI").first).to_be_visible()

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], page.evaluate(WIDER_THAN_PAGE)
    assert page_log.errors == []
