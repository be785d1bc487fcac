"""Choosing a time zone on the profile page in the browser: the long list is searchable
(Tom Select, static/js/searchable-select.js) and the choice is saved (docs/user-guide.md,
"Your profile: time zone")."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Preferences
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_time_zone_is_found_by_typing_a_city_and_saved(
    page: Page, page_log, live_server, sign_in, shoot
):
    vera = UserFactory(username="vera", role="Viewers")
    sign_in(page, "vera")
    page.goto(f"{live_server.url}/accounts/profile/")

    # Tom Select's own input; the select it replaces stays hidden for the form.
    page.locator(".ts-control").click()
    page.locator(".ts-control input").fill("New York")
    listbox = page.get_by_role("listbox", name="Time zone")
    option = listbox.get_by_role("option", name="America/New York")
    expect(option).to_be_visible()
    expect(listbox.get_by_role("option", name="Asia/Tokyo")).to_have_count(0)  # filtered out
    option.click()
    shoot(page, "profile-time-zone")
    page.get_by_role("button", name="Save time zone").click()

    expect(page.get_by_role("alert")).to_contain_text("Times are now shown in America/New_York.")
    expect(page.get_by_test_id("time-zone-now")).to_contain_text("in America/New_York.")
    assert Preferences.objects.get(user=vera).time_zone == "America/New_York"
