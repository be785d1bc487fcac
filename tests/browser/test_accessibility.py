"""WCAG 2.1 AA: axe-core finds nothing on any main page, per role, at laptop and phone width,
dialogs open included; the keyboard reaches what the mouse does (docs/accessibility.md).

axe-core is vendored under tests/browser/vendor/axe-core/ and evaluated through Playwright,
which is not subject to the page's Content-Security-Policy: the app never serves it.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from contracts.models import Contract
from core.clock import local_today
from raid.models import RaidItem
from tests.browser.conftest import DESKTOP, WIDTHS
from tests.factories import UserFactory
from transition.models import (
    Asset,
    Baseline,
    ExitPlan,
    Milestone,
    OutsourcedProcess,
    StaffMember,
)

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Runs axe on the whole document and keeps what a failure message needs.
AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      why: n.failureSummary.split("\\n").slice(1).join(" ").trim(),
    })),
  }));
}"""
# Bootstrap has finished showing the dialog: fully opaque (contrast is measured on its final
# colours) and holding the focus, which it moves in only once the fade is over.
DIALOG_SHOWN = """() => {
  const dialog = document.querySelector(".modal.show");
  return Boolean(dialog) && getComputedStyle(dialog).opacity === "1"
    && dialog.contains(document.activeElement);
}"""
# The pages that are meant to refuse; every other main page answers 200.
STATUS = {"403": 403, "404": 404}
ROLES = {
    "operations manager": "Operations managers",
    "project lead": "Project leads",
    "viewer": "Viewers",
}


def axe_violations(page: Page) -> list[dict]:
    """Inject axe once per document and run it with the WCAG 2.0/2.1 A and AA rules."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(AXE_RUN, AXE_TAGS)


def describe(where: str, violations: list[dict]) -> list[str]:
    """One entry per rule broken: its id, impact and help, then each element with the reason."""
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']}"
        + "".join(f"\n    {node['target']}: {node['why']}" for node in v["nodes"])
        for v in violations
    ]


def main_pages(role: str, demo) -> dict[str, str]:
    """Every main page a user of this role opens, by name."""
    programme = demo.programme
    process = OutsourcedProcess.objects.filter(
        programme=programme, state=OutsourcedProcess.State.TRANSITION
    ).first()
    contract = process.contract
    baseline = Baseline.objects.first()
    exit_plan = ExitPlan.objects.first()
    raid_item = RaidItem.objects.first()
    pages = {
        "dashboard": "/",
        "search": "/search/?q=a",
        "providers": "/providers/",
        "provider": contract.provider.get_absolute_url(),
        "contracts": "/contracts/",
        "contract": contract.get_absolute_url(),
        "programmes": "/programmes/",
        "programme": programme.get_absolute_url(),
        "gantt": reverse("transition:programme_gantt", args=[programme.pk]),
        "board": "/processes/board/",
        "processes": "/processes/",
        "process": process.get_absolute_url(),
        "milestones": "/milestones/",
        "milestone": Milestone.objects.filter(process=process).first().get_absolute_url(),
        "assets": "/assets/",
        "asset": Asset.objects.first().get_absolute_url(),
        "staff": "/staff/",
        "staff member": StaffMember.objects.first().get_absolute_url(),
        "raid": "/raid/",
        "process baselines": f"/processes/{process.pk}/baselines/",
        "programme baselines": f"/programmes/{programme.pk}/baselines/",
        "exit plans": "/exit-plans/",
        "scorecard": f"/processes/{process.pk}/scorecard/",
        "notifications": "/notifications/",
        "calendar": "/calendar/",
        "profile": "/accounts/profile/",
        "password": "/accounts/password/",
        "404": "/no-such-page/",
    }
    if raid_item:
        pages["raid item"] = raid_item.get_absolute_url()
    if baseline:
        pages["baseline"] = f"/baselines/{baseline.pk}/"
    if exit_plan:
        pages["exit plan"] = f"/exit-plans/{exit_plan.pk}/"
    if role == "viewer":
        pages["403"] = "/contracts/new/"
    else:
        pages["milestone form"] = f"/milestones/new/?process={process.pk}"
    if role == "operations manager":
        pages["process form"] = f"/processes/{process.pk}/edit/"
        pages["contract form"] = "/contracts/new/"
        pages["provider form"] = "/providers/new/"
        pages["import"] = "/import/"
    return pages


@pytest.fixture
def signed_in(page: Page, sign_in, demo):
    """A user of the given role, signed in on the one page reused for all of the role's checks;
    the project lead leads the process the pages show."""

    def signed_in(role: str) -> Page:
        user = UserFactory(username=f"a11y-{role.replace(' ', '-')}", role=ROLES[role])
        if role == "project lead":
            OutsourcedProcess.objects.filter(
                programme=demo.programme, state=OutsourcedProcess.State.TRANSITION
            ).update(lead=user)
        sign_in(page, user.username)
        return page

    return signed_in


@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_nothing_on_any_main_page(role, signed_in, live_server, demo):
    page = signed_in(role)
    failures: list[str] = []
    for name, path in main_pages(role, demo).items():
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == STATUS.get(name, 200), f"{path} answered {response.status}"
            failures += describe(f"{name} {path} at {width}", axe_violations(page))
    page.set_viewport_size(DESKTOP)
    assert not failures, "\n".join(failures)


def test_axe_finds_nothing_on_the_login_page(page: Page, live_server):
    failures: list[str] = []
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/accounts/login/")
        failures += describe(f"login at {width}", axe_violations(page))
        page.get_by_role("button", name="Sign in").click()
        failures += describe(f"refused login at {width}", axe_violations(page))
    assert not failures, "\n".join(failures)


def open_dialog(page: Page, trigger) -> None:
    trigger.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.wait_for_function(DIALOG_SHOWN)


def test_axe_finds_nothing_with_a_dialog_open(signed_in, live_server, demo):
    page = signed_in("operations manager")
    serving = OutsourcedProcess.objects.filter(state=OutsourcedProcess.State.EXIT_NOTICE).first()
    open_contract = next(
        c for c in Contract.objects.with_notice_state() if not c.notice_state.wholly
    )
    dialogs = {
        "transition dialog": (
            serving.get_absolute_url(),
            '[data-transition="withdraw_notice"] button',
        ),
        "serve notice dialog": (
            open_contract.get_absolute_url(),
            '[data-bs-target="#serve-notice"]',
        ),
        "withdraw notice dialog": (
            serving.contract.get_absolute_url(),
            '[data-bs-target^="#withdraw-notice-"]',
        ),
    }
    failures: list[str] = []
    for name, (path, trigger) in dialogs.items():
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}{path}")
            open_dialog(page, page.locator(trigger).first)
            failures += describe(f"{name} at {width}", axe_violations(page))
    page.set_viewport_size(DESKTOP)
    assert not failures, "\n".join(failures)


def relative_luminance(rgb: tuple[int, ...]) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two opaque CSS colours as getComputedStyle gives them."""
    lighter, darker = sorted(
        (
            relative_luminance(
                tuple(int(part) for part in css[css.index("(") + 1 : -1].split(",")[:3])
            )
            for css in (first, second)
        ),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_the_skip_link_shows_above_the_navigation_and_moves_focus_to_main(signed_in, live_server):
    page = signed_in("viewer")
    for size in WIDTHS.values():
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        # Nothing covers it: the element at its centre is the link itself.
        on_top = skip.evaluate(
            """link => { const box = link.getBoundingClientRect();
              return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)
                === link; }"""
        )
        assert on_top, "the skip link is hidden behind another element when focused"
        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()


def test_navigation_focus_rings_reach_three_to_one(signed_in, live_server):
    page = signed_in("operations manager")
    page.goto(f"{live_server.url}/")
    navbar = page.get_by_role("navigation", name="Main")
    background = navbar.evaluate("nav => getComputedStyle(nav).backgroundColor")
    for name in ("Backsourcing", "Dashboard", "Register"):
        link = navbar.get_by_role("link", name=name, exact=True).or_(
            navbar.get_by_role("button", name=name, exact=True)
        )
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        expect(link).to_be_focused()
        ring = link.evaluate(
            "el => { const s = getComputedStyle(el);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
        )
        assert ring[0] != "none", f"{name} shows no focus outline"
        assert ring[1] >= 2, f"{name}'s focus outline is {ring[1]}px wide"
        assert contrast(ring[2], background) >= 3, f"{name}'s focus ring: {ring[2]} on {background}"

    # In an open menu (Space opens it, as on any button), on the menu's own background.
    register = navbar.get_by_role("button", name="Register", exact=True)
    register.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    item = navbar.get_by_role("link", name="Providers", exact=True)
    expect(item).to_be_focused()
    menu = item.evaluate("el => getComputedStyle(el.closest('.dropdown-menu')).backgroundColor")
    ring = item.evaluate(
        "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineColor]"
    )
    assert ring[0] != "none", "a menu item shows no focus outline"
    assert contrast(ring[1], menu) >= 3, f"a menu item's focus ring: {ring[1]} on {menu}"


def test_a_transition_trigger_is_a_button_that_space_opens(signed_in, live_server):
    page = signed_in("operations manager")
    serving = OutsourcedProcess.objects.filter(state=OutsourcedProcess.State.EXIT_NOTICE).first()
    page.goto(f"{live_server.url}{serving.get_absolute_url()}")
    trigger = page.locator('[data-transition="withdraw_notice"]').get_by_role("button")
    assert trigger.evaluate("el => el.tagName") == "BUTTON"
    trigger.focus()
    page.keyboard.press("Space")
    dialog = page.get_by_role("dialog", name="Withdraw notice")
    expect(dialog).to_be_visible()
    # The dialog opened in place: Space did not also follow the page without JavaScript.
    assert page.url.endswith(serving.get_absolute_url())
    page.wait_for_function(DIALOG_SHOWN)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(trigger).to_be_focused()


def test_after_a_refused_form_the_focus_is_on_the_error_summary(signed_in, live_server):
    page = signed_in("operations manager")
    page.goto(f"{live_server.url}/providers/new/")
    page.get_by_role("button", name="Save provider").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert describe("refused provider form", axe_violations(page)) == []


def test_a_refused_dialog_moves_the_focus_to_its_error_summary(signed_in, live_server):
    page = signed_in("operations manager")
    contract = next(c for c in Contract.objects.with_notice_state() if not c.notice_state.wholly)
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    open_dialog(page, page.get_by_role("button", name="Serve notice"))
    dialog = page.get_by_role("dialog")
    tomorrow = local_today() + timedelta(days=1)
    dialog.get_by_label("Received by the provider on").fill(f"{tomorrow:%Y-%m-%d}")
    dialog.get_by_role("button", name="Serve notice").click()
    summary = dialog.get_by_test_id("notice-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert describe("refused serve notice dialog", axe_violations(page)) == []
