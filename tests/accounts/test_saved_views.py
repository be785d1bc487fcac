"""Saved views (docs/saved-views.md): a list's filters, search and sort under a name, private
or shared, one default per user and list, in every list's "Views" menu and the navigation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services_saved_views as services
from accounts.models import SavedView
from accounts.saved_views import list_view_class
from accounts.selectors_saved_views import LIST_LIMIT, MENU_LIMIT
from core.views import RegisterListView
from tests.contracts.factories import ServiceProviderFactory
from tests.factories import UserFactory
from tests.security.site import page_routes

pytestmark = pytest.mark.django_db

MILESTONES = "transition:milestone_list"
XSS = "<img src=x onerror=alert(1)>"


def save(user, name="Done", query="status=done", list_key=MILESTONES, **kwargs):
    return services.saved_view_create(
        user=user, list_key=list_key, name=name, query=query, **kwargs
    )


def menu_html(client) -> str:
    response = client.get(reverse("saved_views:menu"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def bar_html(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="saved-views"')
    return html[start : html.index('role="search" aria-label="Filter the list"', start)]


# Every list


def test_every_register_list_can_have_saved_views():
    lists = {
        name
        for name, _route in page_routes()
        if (view := list_view_class(name)) is not None and issubclass(view, RegisterListView)
    }
    assert {
        "contracts:provider_list",
        "contracts:contract_list",
        "transition:programme_list",
        "transition:process_list",
        "transition:milestone_list",
        "transition:asset_list",
        "transition:staff_list",
        "raid:item_list",
    } <= lists
    assert list_view_class("transition:milestone_detail") is None
    assert list_view_class("admin:index") is None
    assert list_view_class("no such list") is None


@pytest.mark.parametrize(
    ("list_key", "query"),
    [
        ("contracts:provider_list", "q=acme"),
        ("contracts:contract_list", "sort=-end_date"),
        ("transition:programme_list", "q=north"),
        ("transition:process_list", "state=transition"),
        ("transition:milestone_list", "status=done"),
        ("transition:asset_list", "status=transferred"),
        ("transition:staff_list", "q=smith"),
        ("raid:item_list", "kind=risk"),
    ],
)
def test_each_list_shows_its_views_menu_and_opens_a_saved_view(client, viewer, list_key, query):
    client.force_login(viewer)
    view = save(viewer, name="Mine", query=query, list_key=list_key)
    response = client.get(view.url)
    assert response.status_code == 200
    bar = bar_html(response)
    assert 'aria-current="true"' in bar
    assert "Mine" in bar


# Query strings: only the list's own parameters, normalised, validated


def test_a_view_keeps_only_the_lists_parameters_in_one_order(viewer):
    view = save(viewer, query="page=3&export=csv&zzz=1&status=done&q=+north+&kind=&sort=-due")
    assert view.query == "q=north&sort=-due&status=done"
    assert view.url == reverse(MILESTONES) + "?q=north&sort=-due&status=done"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=bogus", "Status: Select a valid choice"),
        ("due_after=31%2F02%2F2026", "Due from: Enter a valid date"),
        ("sort=password", "Sort: the list cannot be sorted by “password”"),
        ("page=2&export=csv", "Filter, search or sort the list first"),
        ("", "Filter, search or sort the list first"),
        ("q=" + "x" * 2100, "too long"),
    ],
)
def test_a_view_whose_filters_the_list_would_not_accept_is_refused_naming_them(
    viewer, query, message
):
    with pytest.raises(ValidationError) as refused:
        save(viewer, query=query)
    assert any(message in m for m in refused.value.message_dict["query"])
    assert not SavedView.objects.exists()


@pytest.mark.parametrize("list_key", ["transition:milestone_detail", "nope", "admin:index", ""])
def test_a_view_of_something_else_than_a_register_list_is_refused(viewer, list_key):
    with pytest.raises(ValidationError) as refused:
        save(viewer, list_key=list_key)
    assert "list_key" in refused.value.message_dict


def test_a_query_with_quotes_and_angle_brackets_is_data_rendered_escaped(client, viewer):
    view = save(viewer, name="Quoted", query='q="><script>alert(1)</script>&status=done')
    assert QueryDict(view.query)["q"] == '"><script>alert(1)</script>'
    client.force_login(viewer)
    response = client.get(view.url)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert 'value="q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;status=done"' in html
    assert response.context["search"] == '"><script>alert(1)</script>'
    assert "<script>alert(1)" not in menu_html(client)


def test_a_name_is_text_everywhere_it_is_shown(client, viewer):
    view = save(viewer, name=XSS, shared=True)
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    for user in (viewer, UserFactory()):
        client.force_login(user)
        pages = [
            client.get(view.url).content.decode(),
            menu_html(client),
            client.get(reverse("saved_views:list")).content.decode(),
        ]
        for html in pages:
            assert XSS not in html
            assert escaped in html
    client.force_login(viewer)
    for url in (
        reverse("saved_views:change", args=[view.pk]),
        reverse("saved_views:delete", args=[view.pk]),
    ):
        html = client.get(url).content.decode()
        assert XSS not in html
        assert escaped in html


def test_a_control_character_in_a_name_is_refused_naming_the_field(viewer):
    with pytest.raises(ValidationError) as refused:
        save(viewer, name="Bell\x07")
    assert "U+0007" in str(refused.value.message_dict["name"])


# Names


def test_a_name_is_unique_per_owner_and_list_ignoring_case(viewer, project_lead):
    save(viewer, name="Done")
    with pytest.raises(ValidationError) as refused:
        save(viewer, name=" done ", query="kind=planning")
    assert "already have a view of this list named “done”" in refused.value.messages[0]
    assert "name" in refused.value.message_dict
    # Another list, another person: the same name is theirs to use.
    save(viewer, name="Done", list_key="transition:asset_list", query="q=x")
    save(project_lead, name="Done")
    assert SavedView.objects.count() == 3


def test_the_database_refuses_a_repeated_name_whatever_the_path(viewer):
    save(viewer, name="Done")
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedView.objects.create(owner=viewer, list_key=MILESTONES, name="DONE", query="q=a")


def test_a_rename_to_a_taken_name_is_refused(viewer):
    save(viewer, name="Done")
    other = save(viewer, name="Open", query="open=true")
    with pytest.raises(ValidationError) as refused:
        services.saved_view_update(
            user=viewer, view=other, name="DONE", shared=False, is_default=False
        )
    assert "name" in refused.value.message_dict
    other.refresh_from_db()
    assert other.name == "Open"


# Default view


def test_one_default_per_user_and_list(viewer, project_lead):
    first = save(viewer, name="First", is_default=True)
    second = save(viewer, name="Second", query="kind=planning", is_default=True)
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    services.saved_view_set_default(user=viewer, view=first)
    second.refresh_from_db()
    assert second.is_default is False
    # Another list and another user have their own default.
    assets = save(viewer, name="A", list_key="transition:asset_list", query="q=x", is_default=True)
    theirs = save(project_lead, name="Theirs", is_default=True)
    assert assets.is_default
    assert theirs.is_default
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedView.objects.filter(pk=second.pk).update(is_default=True)


def test_opening_a_list_with_no_query_opens_the_default_view(client, viewer):
    view = save(viewer, name="Done", is_default=True)
    client.force_login(viewer)
    url = reverse(MILESTONES)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?status=done"
    # Any query, or ?all=1, shows the list as asked.
    assert client.get(url, {"all": "1"}).status_code == 200
    assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"status": "planned"}).status_code == 200
    assert "All rows, no view" in bar_html(client.get(url, {"all": "1"}))
    # Exports are never redirected.
    assert client.get(url, {"export": "csv"}).status_code == 200
    services.saved_view_set_default(user=viewer, view=view, is_default=False)
    assert client.get(url).status_code == 200


def test_the_default_opens_however_many_views_the_list_has(client, viewer, project_lead):
    SavedView.objects.bulk_create(
        SavedView(owner=owner, list_key=MILESTONES, name=f"A{n:03}", query=f"q={n}", shared=True)
        for n in range(LIST_LIMIT + 5)
        for owner in (viewer, project_lead)
    )
    save(viewer, name="Zulu", query="kind=planning", is_default=True)
    client.force_login(viewer)
    response = client.get(reverse(MILESTONES))
    assert response["Location"] == f"{reverse(MILESTONES)}?kind=planning"
    # An htmx request for the bare list is answered as asked.
    assert client.get(reverse(MILESTONES), HTTP_HX_REQUEST="true").status_code == 200


def test_another_users_default_is_not_mine(client, viewer, project_lead):
    save(project_lead, name="Theirs", is_default=True, shared=True)
    client.force_login(viewer)
    assert client.get(reverse(MILESTONES)).status_code == 200


def test_set_and_clear_default_from_the_lists_menu(client, viewer):
    view = save(viewer, name="Done")
    client.force_login(viewer)
    bar = bar_html(client.get(view.url))
    assert "Set “Done” as default" in bar
    url = reverse("saved_views:default", args=[view.pk])
    response = client.post(url, {"default": "1", "next": view.url})
    assert response["Location"] == view.url
    view.refresh_from_db()
    assert view.is_default
    assert "Stop opening “Done” by default" in bar_html(client.get(view.url))
    response = client.post(url, {"default": "0", "next": "https://evil.example/"})
    assert response["Location"] == reverse("saved_views:list")
    view.refresh_from_db()
    assert not view.is_default


# Who may do what


def test_a_viewer_saves_private_views_from_the_list(client, viewer):
    client.force_login(viewer)
    response = client.post(
        reverse("saved_views:create"),
        {
            "list_key": MILESTONES,
            "query": "status=done&page=2",
            "name": "Done ones",
            "is_default": "on",
        },
    )
    view = SavedView.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(MILESTONES)}?status=done"
    assert (view.owner, view.name, view.shared, view.is_default) == (
        viewer,
        "Done ones",
        False,
        True,
    )


def test_a_refused_save_says_why_and_keeps_what_was_typed(client, viewer):
    save(viewer, name="Done")
    client.force_login(viewer)
    response = client.post(
        reverse("saved_views:create"),
        {"list_key": MILESTONES, "query": "status=done", "name": "DONE", "shared": "on"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already have a view of this list named “DONE”" in html
    assert 'value="DONE"' in html
    assert 'name="shared" class="form-check-input" id="id_shared" checked' in html
    response = client.post(
        reverse("saved_views:create"),
        {"list_key": MILESTONES, "query": "status=bogus", "name": "Bogus"},
    )
    assert response.status_code == 400
    assert "Filters: Status: Select a valid choice" in response.content.decode()
    assert 'value="Bogus"' in response.content.decode()
    assert SavedView.objects.count() == 1


def test_only_the_owner_changes_a_view(client, viewer, project_lead):
    view = save(project_lead, name="Theirs", shared=True)
    with pytest.raises(PermissionDenied):
        services.saved_view_update(
            user=viewer, view=view, name="Mine now", shared=True, is_default=False
        )
    with pytest.raises(PermissionDenied):
        services.saved_view_set_default(user=viewer, view=view)
    with pytest.raises(PermissionDenied):
        services.saved_view_delete(user=viewer, view=view)
    client.force_login(viewer)
    assert client.get(reverse("saved_views:change", args=[view.pk])).status_code == 403
    assert client.post(reverse("saved_views:delete", args=[view.pk])).status_code == 403
    assert client.post(reverse("saved_views:default", args=[view.pk])).status_code == 403
    view.refresh_from_db()
    assert (view.name, view.is_default) == ("Theirs", False)


def test_a_private_view_is_not_found_by_anyone_else(client, viewer, project_lead):
    view = save(project_lead, name="Private")
    client.force_login(viewer)
    for name in ("change", "delete"):
        assert client.get(reverse(f"saved_views:{name}", args=[view.pk])).status_code == 404
    assert client.post(reverse("saved_views:default", args=[view.pk])).status_code == 404
    assert "Private" not in bar_html(client.get(reverse(MILESTONES)))
    assert "Private" not in menu_html(client)


def test_the_owner_edits_and_deletes_and_an_administrator_deletes_any(client, viewer):
    view = save(viewer, name="Done", shared=True)
    client.force_login(viewer)
    response = client.post(
        reverse("saved_views:change", args=[view.pk]), {"name": "Finished", "is_default": "on"}
    )
    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.name, view.shared, view.is_default) == ("Finished", False, True)
    other = save(viewer, name="Open", query="open=true", shared=True)
    admin = UserFactory(is_superuser=True, is_staff=True)
    services.saved_view_delete(user=admin, view=other)
    client.post(reverse("saved_views:delete", args=[view.pk]), {"next": reverse(MILESTONES)})
    assert not SavedView.objects.exists()


def test_the_rules(viewer, project_lead):
    mine = save(viewer, name="Mine")
    shared = save(project_lead, name="Shared", shared=True)
    private = save(project_lead, name="Private", query="kind=planning")
    assert viewer.has_perm("accounts.save_view")
    assert viewer.has_perm("accounts.change_saved_view", mine)
    assert not viewer.has_perm("accounts.change_saved_view", shared)
    assert viewer.has_perm("accounts.open_saved_view", shared)
    assert not viewer.has_perm("accounts.open_saved_view", private)
    assert not viewer.has_perm("accounts.delete_saved_view", shared)
    assert not viewer.has_perm("accounts.change_saved_view")  # never without the view


# Shared views


def test_a_shared_view_is_in_everyones_menus_read_only(client, viewer, project_lead):
    view = save(project_lead, name="Team view", shared=True)
    client.force_login(viewer)
    bar = bar_html(client.get(view.url))
    assert "Team view" in bar
    assert "shared by" in bar
    assert "Set “Team view” as default" not in bar
    assert "Delete “Team view”" not in bar
    assert "Team view" in menu_html(client)
    page = client.get(reverse("saved_views:list")).content.decode()
    assert "Shared with you" in page
    assert reverse("saved_views:change", args=[view.pk]) not in page


# The navigation and the /views/ page


def test_the_navigation_menu_lists_own_then_shared_views_capped(client, viewer, project_lead):
    for n in range(MENU_LIMIT + 2):
        save(viewer, name=f"V{n:02}", query=f"q=v{n}")
    save(project_lead, name="Theirs", shared=True)
    client.force_login(viewer)
    html = menu_html(client)
    assert html.count('class="dropdown-item d-flex') == MENU_LIMIT
    assert "All views and managing them" in html
    assert "Theirs" not in html  # own views first
    page = client.get(reverse("saved_views:list")).content.decode()
    assert all(f"V{n:02}" in page for n in range(MENU_LIMIT + 2))
    assert "Theirs" in page


def test_every_page_links_the_views_menu_without_loading_it(client, viewer):
    save(viewer, name="Done")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("profile"))
    html = response.content.decode()
    assert f'hx-get="{reverse("saved_views:menu")}"' in html
    assert "Done" not in html
    assert not any("accounts_savedview" in q["sql"] for q in captured.captured_queries)


# Query counts


@pytest.mark.parametrize("views", [0, 12])
def test_the_menu_costs_one_query_whatever_the_views(
    client, viewer, project_lead, django_assert_num_queries, views
):
    for n in range(views):
        save(viewer, name=f"Mine {n}", query=f"q={n}")
        save(project_lead, name=f"Shared {n}", query=f"q={n}", shared=True)
    client.force_login(viewer)
    # session, user, the views (with their owners)
    with django_assert_num_queries(3):
        client.get(reverse("saved_views:menu"))


@pytest.mark.parametrize("views", [0, 12])
def test_a_list_costs_one_query_for_its_views_menu_and_default(
    client, viewer, project_lead, django_assert_num_queries, views
):
    for n in range(views):
        save(viewer, name=f"Mine {n}", query=f"q={n}", list_key="contracts:provider_list")
        save(
            project_lead,
            name=f"S {n}",
            query=f"q={n}",
            shared=True,
            list_key="contracts:provider_list",
        )
    ServiceProviderFactory()
    client.force_login(viewer)
    # session, user, the list's saved views (the default looked for in them too), groups
    # (rules), unread notifications, count, page: as tests/contracts/test_views.py pins it.
    with django_assert_num_queries(7):
        response = client.get(reverse("contracts:provider_list"))
    assert response.status_code == 200
    assert bar_html(response).count("dropdown-item d-flex") == 2 * views


def test_the_admin_lists_and_changes_views_through_the_service(client, viewer):
    view = save(viewer, name="Done")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("admin:accounts_savedview_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_savedview_add")).status_code == 403
    url = reverse("admin:accounts_savedview_change", args=[view.pk])
    response = client.post(url, {"name": "Renamed", "shared": "on"})
    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.name, view.shared) == ("Renamed", True)
    taken = save(viewer, name="Taken", query="kind=planning")
    response = client.post(url, {"name": "TAKEN"})
    assert response.status_code == 200
    assert "already have a view of this list named" in response.content.decode()
    view.refresh_from_db()
    assert view.name == "Renamed"
    assert taken.name == "Taken"


@pytest.mark.django_db
def test_the_demo_saves_a_shared_view_and_private_ones_none_a_default():
    from accounts.models import SavedView
    from transition.demo import seed_demo

    seed_demo()
    views = {view.name: view for view in SavedView.objects.select_related("owner")}
    assert set(views) == {"Decisions due", "Open milestones", "My open milestones"}
    assert [name for name, view in views.items() if view.shared] == ["Decisions due"]
    assert not any(view.is_default for view in views.values())
    assert views["Decisions due"].url == "/contracts/?status=decision_due"
