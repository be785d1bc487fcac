"""Saved views in the browser (docs/saved-views.md): filter the milestones, save them as a view
from the list's "Views" menu, open it from the navigation, make it the default, and find the
list opening filtered."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import SavedView
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_saved_view_is_opened_from_the_navigation_and_becomes_the_default(
    page: Page, page_log, live_server, sign_in, shoot, demo
):
    UserFactory(username="vera", first_name="Vera", last_name="Lind", role="Viewers")
    sign_in(page, "vera")
    milestones = f"{live_server.url}/milestones/"

    # Filter the list, then save it as a view.
    page.goto(milestones)
    filters = page.get_by_role("search", name="Filter the list")
    filters.get_by_label("Status").select_option("done")
    filters.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"status=done"))
    bar = page.get_by_test_id("saved-views")
    bar.get_by_role("button", name="Views").click()
    save_form = bar.get_by_role("form", name="Save this view")
    save_form.get_by_label("Name").fill("Done <milestones>")
    shoot(page, "saved-views-save")
    save_form.get_by_role("button", name="Save view").click()
    expect(page.get_by_role("alert")).to_contain_text("The view “Done <milestones>” was saved.")
    expect(page).to_have_url(re.compile(r"/milestones/\?status=done$"))
    expect(page.get_by_test_id("saved-views").get_by_role("button")).to_contain_text(
        "Done <milestones>"
    )
    view = SavedView.objects.get(name="Done <milestones>")
    assert (view.query, view.is_default, view.shared) == ("status=done", False, False)

    # Open it from the navigation, from another page.
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Views").click()
    item = nav.get_by_role("link", name=re.compile(r"Done <milestones>"))
    expect(item).to_be_visible()
    shoot(page, "saved-views-navigation")
    item.click()
    expect(page).to_have_url(re.compile(r"/milestones/\?status=done$"))
    expect(page.get_by_role("search", name="Filter the list").get_by_label("Status")).to_have_value(
        "done"
    )

    # Make it the default: the bare list now opens filtered; "All rows" still shows them all.
    bar = page.get_by_test_id("saved-views")
    bar.get_by_role("button", name=re.compile("Done <milestones>")).click()
    bar.get_by_role("button", name="Set “Done <milestones>” as default").click()
    expect(page.get_by_role("alert")).to_contain_text("now opens when you open Milestones")
    page.goto(milestones)
    expect(page).to_have_url(re.compile(r"/milestones/\?status=done$"))
    expect(page.get_by_role("search", name="Filter the list").get_by_label("Status")).to_have_value(
        "done"
    )
    bar = page.get_by_test_id("saved-views")
    bar.get_by_role("button", name=re.compile("Done <milestones>")).click()
    bar.get_by_role("link", name="All rows, no view").click()
    expect(page).to_have_url(re.compile(r"/milestones/\?all=1$"))
    expect(page.get_by_role("search", name="Filter the list").get_by_label("Status")).to_have_value(
        ""
    )

    assert not page_log.errors, page_log.errors
    assert not page_log.failed, page_log.failed
    assert not page_log.offsite(live_server.url)


def test_the_navigation_menu_swaps_in_hostile_names_as_text(page: Page, live_server, sign_in, demo):
    """The navigation's Views menu is fetched by htmx and swapped into the page: the names
    of views and of the people sharing them arrive escaped by the server's template, so
    the swap inserts text, never markup that runs."""
    from accounts.services_saved_views import saved_view_create

    payload = '<img src=x onerror="alert(1)">'
    owner = UserFactory(username="mallory", first_name=payload, role="Viewers")
    saved_view_create(
        user=owner,
        list_key="transition:milestone_list",
        name=payload,
        query="status=done",
        shared=True,
    )
    UserFactory(username="vera", role="Viewers")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "vera")
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("nav-saved-views").click()
    menu = page.locator("#saved-views-nav-menu")
    expect(menu.get_by_role("link", name=re.compile(re.escape(payload)))).to_be_visible()
    assert menu.locator("img").count() == 0
    assert dialogs == []
