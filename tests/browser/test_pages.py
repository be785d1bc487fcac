"""Every main page at laptop and phone width: scripts run cleanly and nothing leaves the host."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from contracts.models import Contract
from core.clock import local_today
from tests.browser.conftest import WIDTHS
from tests.factories import UserFactory
from transition.models import Asset, Milestone, OutsourcedProcess, StaffMember

pytestmark = pytest.mark.browser

# Whether a canvas has any non-transparent pixel.
PAINTED = "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v !== 0)"
# Form controls a screen reader could not name: no <label>, aria-label or aria-labelledby.
UNLABELLED = """() => [...document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea"
  )].filter(el => !el.labels.length && !el.getAttribute("aria-label")
                  && !el.getAttribute("aria-labelledby"))
   .map(el => el.name || el.id || el.outerHTML.slice(0, 80))"""


@pytest.fixture
def ops_manager():
    return UserFactory(
        username="oscar", first_name="Oscar", last_name="Reid", role="Operations managers"
    )


def test_dashboard_board_and_gantt_run_without_script_errors_at_both_widths(
    page: Page, page_log, live_server, sign_in, screenshot_dir, demo, ops_manager
):
    sign_in(page, "oscar")
    gantt_url = f"{live_server.url}/programmes/{demo.programme.pk}/timeline/"

    for width, size in WIDTHS.items():
        page.set_viewport_size(size)

        page.goto(f"{live_server.url}/")
        chart = page.locator("#portfolio-chart")
        expect(chart).to_be_visible()
        assert chart.evaluate(PAINTED), "the portfolio chart drew nothing"
        page.screenshot(path=screenshot_dir / f"dashboard-{width}.png", full_page=True)

        page.goto(f"{live_server.url}/processes/board/")
        columns = page.locator(".board-column")
        expect(columns).to_have_count(len(OutsourcedProcess.State))
        for state in OutsourcedProcess.State:
            count = OutsourcedProcess.objects.filter(state=state).count()
            cards = page.locator(f'.board-column[data-state="{state}"] .board-card')
            expect(cards).to_have_count(count)
        page.screenshot(path=screenshot_dir / f"board-{width}.png", full_page=True)

        page.goto(gantt_url)
        # Drawn on the server: a bar for every milestone row of the table, the dependency
        # arrows, the today line, and a toggle per process that collapses its milestones.
        milestones = page.locator(".gantt-table tr.gantt-table-milestone")
        expect(milestones.first).to_be_attached()
        expect(page.locator(".gantt .gantt-bar")).to_have_count(milestones.count())
        expect(page.locator(".gantt .gantt-link")).not_to_have_count(0)
        expect(page.locator(".gantt .gantt-grid .gantt-today")).to_be_attached()
        toggle = page.locator(".gantt-toggle").first
        expect(toggle).to_be_visible()
        rows = page.locator(f"#{toggle.get_attribute('aria-controls')}")
        expect(rows.locator(".gantt-row").first).to_be_visible()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(rows).to_be_hidden()
        expect(rows.locator(".gantt-row").first).to_be_hidden()
        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(rows.locator(".gantt-row").first).to_be_visible()
        page.get_by_role("button", name="Collapse all").click()
        expect(page.locator('.gantt-toggle[aria-expanded="true"]')).to_have_count(0)
        page.get_by_role("button", name="Expand all").click()
        expect(page.locator('.gantt-toggle[aria-expanded="false"]')).to_have_count(0)
        page.screenshot(path=screenshot_dir / f"gantt-{width}.png", full_page=True)

    assert page_log.errors == []
    assert page_log.failed == []


def test_no_request_leaves_the_live_server(
    page: Page, page_log, live_server, sign_in, shoot, demo, ops_manager
):
    sign_in(page, "oscar")
    process = OutsourcedProcess.objects.filter(state=OutsourcedProcess.State.TRANSITION).first()
    contract = process.contract
    pages = {
        "dashboard": "/",
        "providers": "/providers/",
        "provider-detail": contract.provider.get_absolute_url(),
        "contracts": "/contracts/",
        "contract-detail": contract.get_absolute_url(),
        "programmes": "/programmes/",
        "programme-detail": process.programme.get_absolute_url(),
        "processes": "/processes/",
        "process-workspace": process.get_absolute_url(),
        "milestones": "/milestones/",
        "milestone-detail": Milestone.objects.filter(process=process).first().get_absolute_url(),
        "assets": "/assets/",
        "asset-detail": Asset.objects.first().get_absolute_url(),
        "staff": "/staff/",
        "staff-detail": StaffMember.objects.first().get_absolute_url(),
        "milestone-new": f"/milestones/new/?process={process.pk}",
        "asset-new": f"/assets/new/?process={process.pk}",
        "staff-new": f"/staff/new/?process={process.pk}",
        "provider-new": "/providers/new/",
        "contract-new": "/contracts/new/",
        "programme-new": "/programmes/new/",
        "process-new": "/processes/new/",
        "process-board": "/processes/board/",
        "notifications": "/notifications/",
        "calendar": "/calendar/",
        "import": "/import/",
        "password-change": "/accounts/password/",
    }
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate(UNLABELLED) == [], f"unlabelled form controls on {path}"
        shoot(page, name)

    styled = page.evaluate("getComputedStyle(document.querySelector('.navbar')).display")
    assert styled == "flex", "Bootstrap's CSS did not load"
    assert page.evaluate("typeof bootstrap.Modal === 'function' && typeof htmx === 'object'")

    # The calculator is for a contract with something left to give notice on.
    open_contract = next(
        c for c in Contract.objects.with_notice_state() if not c.notice_state.wholly
    )
    page.goto(f"{live_server.url}{open_contract.get_absolute_url()}")
    served = local_today() + timedelta(days=30)
    exit_date = open_contract.exit_date_if_served(served)
    page.get_by_label("Notice served on").fill(f"{served:%Y-%m-%d}")
    expect(page.get_by_test_id("calculated-exit-date")).to_have_text(
        f"{exit_date.day} {exit_date:%b %Y}"
    )

    serving = OutsourcedProcess.objects.filter(state=OutsourcedProcess.State.EXIT_NOTICE).first()
    page.goto(f"{live_server.url}{serving.get_absolute_url()}")
    # Keyboard only: Tab reaches the transition, Enter opens its dialog and moves the focus
    # into it, Escape closes it.
    withdraw = page.locator('[data-transition="withdraw_notice"]').get_by_role("button")
    for _press in range(100):
        page.keyboard.press("Tab")
        if withdraw.evaluate("el => el === document.activeElement"):
            break
    expect(withdraw).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Withdraw notice")
    expect(dialog).to_be_visible()
    # Polled from here, not with wait_for_function: Playwright runs that predicate with eval,
    # which the Content-Security-Policy rightly refuses.
    focus_in_dialog = "() => document.activeElement.closest('[role=dialog]') !== null"
    for _poll in range(50):
        if page.evaluate(focus_in_dialog):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(focus_in_dialog), "the dialog did not take the focus"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    static = [url for url in page_log.requests if "/static/" in url]
    assert any(url.endswith(".css") for url in static)
    assert any(url.endswith(".js") for url in static)
    assert page_log.failed == []
    assert page_log.offsite(live_server.url) == []
