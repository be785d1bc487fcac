"""The business case in the browser: every role reads it and its charts draw; an operations
manager changes an input and the NPV moves; others are offered no edit."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import WIDTHS
from tests.factories import UserFactory
from transition.business_case.selectors import MissingCostFigures, process_case, with_case_inputs
from transition.models import OutsourcedProcess

pytestmark = pytest.mark.browser

# Whether a canvas has any non-transparent pixel.
PAINTED = "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v !== 0)"
CHARTS = ("cumulative", "savings", "scenarios", "tornado")
# Not the demo's own logins, whose passwords it generates.
ROLES = {
    "oscar": "Operations managers",
    "lars": "Project leads",
    "vera": "Viewers",
}


def priced_process() -> OutsourcedProcess:
    """A demo process whose case can be built (all three cost figures entered)."""
    for process in with_case_inputs(OutsourcedProcess.objects.order_by("pk")):
        try:
            process_case(process)
        except MissingCostFigures:
            continue
        return process
    raise AssertionError("the demo has no process with its cost figures")


def assert_charts_drawn(page: Page, names) -> None:
    for name in names:
        chart = page.locator(f"#case-{name}-chart")
        expect(chart).to_be_visible()
        assert chart.evaluate(PAINTED), f"the {name} chart drew nothing"


@pytest.mark.parametrize("username", list(ROLES))
def test_every_role_reads_the_case_and_its_charts_draw_at_both_widths(
    page: Page, page_log, live_server, sign_in, screenshot_dir, demo, username
):
    UserFactory(username=username, role=ROLES[username])
    process = priced_process()
    sign_in(page, username)

    page.goto(f"{live_server.url}{process.get_absolute_url()}")
    page.get_by_role("navigation", name="Process pages").get_by_role(
        "link", name="Business case"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(process.name)
    expect(page.get_by_test_id("case-npv")).to_contain_text(process_case(process).currency)
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.reload()
        assert_charts_drawn(page, CHARTS)
        # Nothing sticks out sideways on a phone: wide tables scroll inside their card.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"the page scrolls sideways at {width} px"
        page.screenshot(
            path=screenshot_dir / f"business-case-{username}-{width}.png", full_page=True
        )
    edit = page.locator("#main").get_by_role("link", name="Edit inputs")
    if username == "oscar":
        expect(edit.first).to_be_visible()
    else:
        expect(edit).to_have_count(0)

    page.goto(f"{live_server.url}/programmes/{demo.programme.pk}/")
    page.locator("#main").get_by_role("link", name="Business case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Business case of")
    assert_charts_drawn(page, ("cumulative", "savings", "scenarios"))
    expect(page.get_by_test_id("process-cases").locator("tbody tr").first).to_be_visible()
    assert not page_log.errors, page_log.errors
    assert not page_log.offsite(live_server.url)


def test_an_operations_manager_edits_an_input_and_the_npv_changes(
    page: Page, page_log, live_server, sign_in, shoot, demo
):
    UserFactory(username="oscar", role="Operations managers")
    process = priced_process()
    sign_in(page, "oscar")
    page.goto(f"{live_server.url}/processes/{process.pk}/business-case/")
    npv = page.get_by_test_id("case-npv")
    before = npv.text_content()

    page.locator("#main").get_by_role("link", name="Edit inputs").first.click()
    page.get_by_label("Termination fee").fill("-5")
    page.get_by_role("button", name="Save inputs").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text(
        "Termination fee (" + process_case(process).currency + ") cannot be negative."
    )
    shoot(page, "business-case-form-error")

    page.get_by_label("Termination fee").fill("250000")
    page.get_by_label("Labour-cost growth").fill("6")
    page.get_by_role("button", name="Save inputs").click()

    expect(page.get_by_role("alert")).to_contain_text("Business case inputs saved.")
    expect(page.get_by_test_id("input-labour_cost_growth")).to_contain_text("6%")
    expect(npv).not_to_have_text(before)
    assert_charts_drawn(page, CHARTS)
    # The refused form answered 400, which the browser logs; nothing else went wrong.
    errors = [error for error in page_log.errors if "status of 400" not in error]
    assert not errors, errors


def test_a_viewer_forcing_the_edit_page_gets_403(page: Page, live_server, sign_in, demo):
    UserFactory(username="vera", role="Viewers")
    process = priced_process()
    sign_in(page, "vera")

    response = page.goto(f"{live_server.url}/processes/{process.pk}/business-case/edit/")

    assert response is not None
    assert response.status == 403
