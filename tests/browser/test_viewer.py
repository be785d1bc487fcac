"""A viewer reads every register and workspace but is offered no change, and forcing one is 403."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import UserFactory
from transition.models import Milestone, OutsourcedProcess

pytestmark = pytest.mark.browser

LIST_PAGES = {
    "providers": ("/providers/", "Service providers"),
    "contracts": ("/contracts/", "Contracts"),
    "programmes": ("/programmes/", "Programmes"),
    "processes": ("/processes/", "Processes"),
    "board": ("/processes/board/", "Board"),
    "milestones": ("/milestones/", "Milestones"),
    "assets": ("/assets/", "Assets"),
    "staff": ("/staff/", "Staff"),
}
CHANGES = re.compile(
    r"^(New|Add|Edit|Delete|Import|Record assessment|Done|Serve exit notice|Withdraw notice"
    r"|Start transition|Complete)\b"
)
FORCED_URLS = [
    "/providers/new/",
    "/contracts/new/",
    "/programmes/new/",
    "/processes/new/",
    "/milestones/new/",
    "/assets/new/",
    "/staff/new/",
    "/import/",
]


def assert_offers_no_change(page: Page) -> None:
    main = page.locator("#main")
    expect(main.get_by_role("link", name=CHANGES)).to_have_count(0)
    expect(main.get_by_role("button", name=CHANGES)).to_have_count(0)


def forced_post(page: Page, path: str) -> int:
    """POST as the page's own scripts would, with the CSRF token htmx sends."""
    return page.evaluate(
        """async (path) => {
            const headers = JSON.parse(document.body.getAttribute("hx-headers"));
            const response = await fetch(path, {method: "POST", headers});
            return response.status;
        }""",
        path,
    )


def test_viewer_sees_every_page_and_is_offered_no_change(
    page: Page, page_log, live_server, sign_in, shoot, demo
):
    UserFactory(username="vera", first_name="Vera", last_name="Lind", role="Viewers")
    sign_in(page, "vera")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Import")).to_have_count(0)

    for name, (path, heading) in LIST_PAGES.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator("#main a[href]:not(.dropdown-item)").first).to_be_visible()
        assert_offers_no_change(page)
        shoot(page, f"viewer-{name}")

    process = OutsourcedProcess.objects.filter(state=OutsourcedProcess.State.TRANSITION).first()
    page.goto(f"{live_server.url}{process.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(process.name)
    expect(page.locator("#milestones tbody tr").first).to_be_visible()
    expect(page.locator("#events .timeline-item").first).to_be_visible()
    expect(page.locator("#main")).to_contain_text("You can follow this process")
    expect(page.locator("#readiness form")).to_have_count(0)
    assert_offers_no_change(page)
    shoot(page, "viewer-process-workspace")

    for detail in (process.contract, process.contract.provider, process.programme):
        page.goto(f"{live_server.url}{detail.get_absolute_url()}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_offers_no_change(page)

    for path in [*FORCED_URLS, f"/processes/{process.pk}/edit/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403, path
    shoot(page, "viewer-forbidden")

    page.goto(f"{live_server.url}{process.get_absolute_url()}")
    milestone = process.milestones.exclude(status=Milestone.Status.DONE).first()
    assert forced_post(page, f"/milestones/{milestone.pk}/complete/") == 403
    assert forced_post(page, f"/processes/{process.pk}/transitions/complete/") == 403
    milestone.refresh_from_db()
    process.refresh_from_db()
    assert milestone.status != Milestone.Status.DONE
    assert process.state == OutsourcedProcess.State.TRANSITION
    assert page_log.offsite(live_server.url) == []
