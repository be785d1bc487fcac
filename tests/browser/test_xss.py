"""Hostile text in every field runs nowhere: not on the timeline, not on any page, not in admin."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import UserFactory
from tests.security.corpus import hostile_portfolio
from transition.models import Milestone, OutsourcedProcess

pytestmark = pytest.mark.browser

# Elements and attributes a payload would create if the browser parsed it as markup.
INJECTED = """() => document.querySelectorAll(
  'img[src="x"], [onerror], [onload], [onmouseover], iframe[srcdoc], a[href^="javascript:"]'
).length"""


@pytest.fixture
def portfolio():
    return hostile_portfolio()


def _visit(page: Page, url: str, dialogs: list[str]) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    assert page.evaluate(INJECTED) == 0, f"markup from user text on {url}"
    assert dialogs == [], f"a payload ran on {url}"


def test_the_timeline_draws_hostile_names_as_text(
    page: Page, live_server, sign_in, portfolio, page_log
):
    """The chart is server-rendered SVG: a name that closes its <text> or <title>, or opens
    a <script>, is shown as those characters in the label, the tooltip and the table."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    process_name = "P </text><script>alert('XSS')</script>"
    title = "M </text></title><script>alert('XSS')</script>"
    OutsourcedProcess.objects.filter(pk=portfolio.process.pk).update(name=process_name)
    Milestone.objects.filter(pk=portfolio.objects[5].pk).update(title=title)
    sign_in(page, portfolio.ops.username)
    url = live_server.url + reverse(
        "transition:programme_gantt", args=[portfolio.process.programme_id]
    )
    _visit(page, url, dialogs)

    labels = page.locator(".gantt .gantt-label")
    expect(labels.first).to_be_attached()
    assert title in labels.all_text_contents()
    tooltips = page.locator(".gantt .gantt-bar > title").all_text_contents()
    assert any(text.startswith(f"{title}: ") for text in tooltips), tooltips
    names = page.locator(".gantt .gantt-name a").all_text_contents()
    assert process_name in names, names
    assert title in names, names
    table = page.locator(".gantt-table")
    expect(table.get_by_role("link", name=title, exact=True)).to_have_text(title)
    expect(table.locator('th[scope="rowgroup"]')).to_have_text(process_name)
    assert page.locator(".gantt script, .gantt-table script").count() == 0
    toggle = page.locator(".gantt-toggle").first
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(INJECTED) == 0
    assert dialogs == []
    assert page_log.errors == []


def test_no_page_or_admin_page_runs_hostile_text(page: Page, live_server, sign_in, portfolio):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, portfolio.ops.username)
    paths = ["/", "/processes/board/", "/notifications/", "/calendar/"]
    for obj in portfolio.objects:
        if hasattr(obj, "get_absolute_url"):
            paths.append(obj.get_absolute_url())
    paths += ["/providers/", "/contracts/", "/programmes/", "/processes/", "/milestones/"]
    paths += ["/assets/", "/staff/", f"/processes/{portfolio.process.pk}/edit/"]
    for path in paths:
        _visit(page, live_server.url + path, dialogs)

    UserFactory(username="xss-admin", is_staff=True, is_superuser=True)
    page.context.clear_cookies()
    sign_in(page, "xss-admin")
    for obj in portfolio.objects:
        opts = obj._meta
        for view, args in (("changelist", []), ("change", [obj.pk])):
            path = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
            _visit(page, live_server.url + path, dialogs)


def test_the_search_as_you_type_filter_shows_hostile_labels_as_text(
    page: Page, live_server, sign_in, portfolio, page_log
):
    """Tom Select renders through innerHTML when given markup strings; ours hands it DOM
    nodes built with textContent (static/js/suggest.js), so a label stays text."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, portfolio.ops.username)
    _visit(page, live_server.url + reverse("transition:process_list"), dialogs)

    search = page.locator(".ts-control input").first
    search.fill("XSS")
    options = page.locator(".ts-dropdown .option")
    expect(options.first).to_be_visible()
    texts = options.all_text_contents()
    assert any("<" in text and "XSS" in text for text in texts), texts
    options.first.click()
    assert page.evaluate(INJECTED) == 0
    assert dialogs == []
    assert page_log.errors == []
