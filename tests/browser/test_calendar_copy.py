"""The calendar page's Copy link button: to the clipboard, or selected for Ctrl+C where the
browser offers no clipboard (static/js/copy-link.js)."""

import pytest
from playwright.sync_api import Page, expect

from reminders.models import CalendarFeed
from tests.browser.conftest import PASSWORD, PHONE
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

NO_CLIPBOARD = "Object.defineProperty(navigator, 'clipboard', {value: undefined});"


@pytest.fixture
def lead():
    return UserFactory(username="lia", role="Project leads", password=PASSWORD)


def test_copy_link_puts_the_address_on_the_clipboard(page: Page, live_server, sign_in, lead):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, "lia")
    page.goto(f"{live_server.url}/calendar/")

    page.get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("status").filter(has_text="Link copied.")).to_be_visible()
    address = CalendarFeed.objects.get(user=lead).absolute_url()
    assert page.evaluate("navigator.clipboard.readText()") == address


def test_without_a_clipboard_the_address_is_selected(page: Page, live_server, sign_in, lead):
    page.add_init_script(NO_CLIPBOARD)
    sign_in(page, "lia")
    page.goto(f"{live_server.url}/calendar/")

    page.get_by_role("button", name="Copy link").click()

    field = page.get_by_test_id("feed-url")
    expect(field).to_be_focused()
    selected = field.evaluate("el => el.value.slice(el.selectionStart, el.selectionEnd)")
    assert selected == CalendarFeed.objects.get(user=lead).absolute_url()


def test_the_calendar_page_fits_a_phone(page: Page, live_server, sign_in, lead):
    page.set_viewport_size(PHONE)
    sign_in(page, "lia")
    page.goto(f"{live_server.url}/calendar/")

    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
