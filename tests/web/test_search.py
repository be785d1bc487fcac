"""Search everything (`/search/?q=` and the navigation bar's box): every register found by its
fields, grouped and capped per type with totals, one query per type, safe with any input."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from search.selectors import KINDS, LIMIT_PER_TYPE, MAX_TERM_LENGTH, clean_term, search
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.raid.factories import RaidItemFactory
from tests.reminders.factories import deliverable
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

URL = "/search/"


def found(user, term: str) -> dict[str, list[str]]:
    """The titles found for `term`, by type."""
    return {group.type: [hit.title for hit in group.hits] for group in search(user, term)}


# (type, how to make one record whose `field` alone holds the word "Zanzibar", its title)
RECORDS = [
    ("provider", "name", lambda: ServiceProviderFactory(name="Zanzibar Logistics"), None),
    ("provider", "notes", lambda: ServiceProviderFactory(name="Acme", notes="Zanzibar"), "Acme"),
    (
        "contract",
        "reference",
        lambda: ContractFactory(reference="ZANZIBAR-7", title="Hosting"),
        "ZANZIBAR-7 – Hosting",
    ),
    (
        "contract",
        "title",
        lambda: ContractFactory(reference="C-1", title="Zanzibar hosting"),
        "C-1 – Zanzibar hosting",
    ),
    (
        "programme",
        "description",
        lambda: ProgrammeFactory(name="Home", description="Zanzibar"),
        "Home",
    ),
    ("programme", "name", lambda: ProgrammeFactory(name="Zanzibar"), None),
    ("process", "name", lambda: OutsourcedProcessFactory(name="Zanzibar desk"), None),
    (
        "process",
        "description",
        lambda: OutsourcedProcessFactory(name="Payroll", description="Zanzibar"),
        "Payroll",
    ),
    ("milestone", "title", lambda: MilestoneFactory(title="Zanzibar cutover"), None),
    ("asset", "name", lambda: AssetFactory(name="Zanzibar forklift"), None),
    ("asset", "tag", lambda: AssetFactory(name="Forklift", tag="ZNZ-ZANZIBAR"), "Forklift"),
    ("staff", "name", lambda: StaffMemberFactory(name="Zanzibar Jones"), None),
    ("staff", "role", lambda: StaffMemberFactory(name="Ann", role="Zanzibar lead"), "Ann"),
    ("raid_item", "title", lambda: RaidItemFactory(title="Zanzibar risk"), None),
    (
        "raid_item",
        "description",
        lambda: RaidItemFactory(title="Key person", description="Zanzibar"),
        "Key person",
    ),
    ("deliverable", "title", lambda: deliverable(title="Zanzibar data return"), None),
    (
        "deliverable",
        "description",
        lambda: deliverable(title="Runbooks", description="Zanzibar"),
        "Runbooks",
    ),
]


@pytest.mark.parametrize(
    ("kind", "field", "make", "title"), RECORDS, ids=[f"{r[0]}-{r[1]}" for r in RECORDS]
)
def test_each_type_is_found_by_its_fields(viewer, kind, field, make, title):
    record = make()
    groups = search(viewer, "zanzibar")
    assert [group.type for group in groups] == [kind]
    (hit,) = groups[0].hits
    assert hit.id == record.pk
    assert hit.title == (title or getattr(record, "name", None) or record.title)
    assert hit.url == record.get_absolute_url()


def test_every_type_of_record_is_searched():
    assert {kind.type for kind in KINDS} == {r[0] for r in RECORDS}


def test_a_record_not_matching_is_not_found(viewer):
    ServiceProviderFactory(name="Acme", notes="Nothing to see")
    MilestoneFactory(title="Cutover")
    assert found(viewer, "zanzibar") == {}


def test_a_term_finds_records_of_several_types_grouped_in_a_fixed_order(viewer):
    process = OutsourcedProcessFactory(name="Atlas fulfilment")
    MilestoneFactory(process=process, title="Atlas go-live")
    ServiceProviderFactory(name="Atlas Ltd")
    AssetFactory(process=process, name="Server", tag="ATLAS-01")
    groups = search(viewer, "atlas")
    assert [group.type for group in groups] == ["provider", "process", "milestone", "asset"]
    assert [group.label for group in groups] == ["Providers", "Processes", "Milestones", "Assets"]


def test_each_type_is_capped_and_counted_with_a_link_to_its_list(viewer):
    for n in range(LIMIT_PER_TYPE + 3):
        MilestoneFactory(title=f"Cutover {n:02d}")
    AssetFactory(name="Cutover rig")
    milestones, assets = search(viewer, "cutover")
    assert milestones.total == LIMIT_PER_TYPE + 3
    assert [hit.title for hit in milestones.hits] == [
        f"Cutover {n:02d}" for n in range(LIMIT_PER_TYPE)
    ]
    assert milestones.more == 3
    assert milestones.list_url == reverse("transition:milestone_list") + "?q=cutover"
    assert (assets.total, assets.more) == (1, 0)


def test_the_cap_is_a_parameter(viewer):
    for n in range(4):
        AssetFactory(name=f"Laptop {n}")
    (assets,) = search(viewer, "laptop", limit_per_type=2)
    assert (len(assets.hits), assets.total) == (2, 4)


def test_the_list_link_carries_the_term_encoded(viewer):
    ServiceProviderFactory(name="Smith & Sons")
    (providers,) = search(viewer, "smith & sons")
    assert providers.list_url == reverse("contracts:provider_list") + "?q=smith+%26+sons"


def test_deliverables_have_no_list_link(viewer):
    deliverable(title="Zanzibar data return")
    (group,) = search(viewer, "zanzibar")
    assert group.list_url == ""


@pytest.mark.parametrize("term", ["", "   ", "\t\n", "\x00\x01", None, 42])
def test_an_empty_term_runs_no_query(viewer, django_assert_num_queries, term):
    with django_assert_num_queries(0):
        assert search(viewer, term) == []


def test_control_characters_are_dropped_and_long_terms_cut():
    assert clean_term("  fork\x00lift\x7f ") == "forklift"
    assert clean_term("x" * 500) == "x" * MAX_TERM_LENGTH


def test_a_term_with_a_control_character_still_finds(viewer):
    AssetFactory(name="Forklift")
    assert found(viewer, "fork\x00lift") == {"asset": ["Forklift"]}


def populate(size: int) -> None:
    """`size` records of every type, all holding the word "Orion"."""
    for n in range(size):
        provider = ServiceProviderFactory(name=f"Orion {n}")
        contract = ContractFactory(provider=provider, title=f"Orion {n}")
        process = OutsourcedProcessFactory(
            contract=contract, programme=ProgrammeFactory(name=f"Orion {n}"), name=f"Orion {n}"
        )
        MilestoneFactory(process=process, title=f"Orion {n}")
        AssetFactory(process=process, name=f"Orion {n}")
        StaffMemberFactory(process=process, name=f"Orion {n}")
        RaidItemFactory(process=process, title=f"Orion {n}")
        deliverable(title=f"Orion {n}")


@pytest.mark.parametrize("size", [1, LIMIT_PER_TYPE + 5])
def test_one_query_per_type_whatever_the_number_of_records(viewer, django_assert_num_queries, size):
    populate(size)
    with django_assert_num_queries(len(KINDS)):
        groups = search(viewer, "orion")
    assert len(groups) == len(KINDS)
    assert {group.total for group in groups} == {size}
    assert {len(group.hits) for group in groups} == {min(size, LIMIT_PER_TYPE)}


# Any page: the session, its user, the navigation's role names and unread notifications.
BASE_QUERIES = 4
# The results page: those, then one query per type.
PAGE_QUERIES = BASE_QUERIES + len(KINDS)


@pytest.mark.parametrize("size", [1, LIMIT_PER_TYPE + 5])
def test_the_page_queries_do_not_grow_with_the_records(
    client, viewer, django_assert_num_queries, size
):
    populate(size)
    client.force_login(viewer)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(URL, {"q": "orion"})
    assert response.status_code == 200
    shown = min(size, LIMIT_PER_TYPE)
    assert len(re.findall(r'<li class="list-group-item">', response.text)) == shown * len(KINDS)


def test_the_page_shows_groups_with_counts_and_a_see_all_link(client, viewer):
    for n in range(LIMIT_PER_TYPE + 2):
        MilestoneFactory(title=f"Cutover {n:02d}")
    process = OutsourcedProcessFactory(name="Cutover desk")
    client.force_login(viewer)
    response = client.get(URL, {"q": "cutover"})
    text = response.text
    assert "13 results for “cutover” in 2 registers." in text
    assert 'id="results-milestone-heading">Milestones <span class="badge text-bg-secondary">12' in (
        text
    )
    assert "Showing the first 10 of 12." in text
    assert (
        f'<a href="{reverse("transition:milestone_list")}?q=cutover">'
        "See all 12 in the milestones list</a>" in text
    )
    assert f'<a href="{process.get_absolute_url()}" class="fw-semibold">Cutover desk</a>' in text
    # Processes come before milestones, and the links follow in that order.
    assert text.index("Cutover desk") < text.index("Cutover 00")


def test_the_page_says_when_nothing_matches(client, viewer):
    client.force_login(viewer)
    response = client.get(URL, {"q": "nothing here"})
    assert "Nothing matches “nothing here”." in response.text


def test_the_page_without_a_term_runs_no_search(client, viewer, django_assert_num_queries):
    client.force_login(viewer)
    with django_assert_num_queries(BASE_QUERIES):
        response = client.get(URL, {"q": "   "})
    assert response.status_code == 200
    assert "search-summary" not in response.text


@pytest.mark.parametrize(
    "q", ["x" * 5000, "\x00", "%", "_", "'; drop table x; --", "\\", '"unclosed', "a -b or c"]
)
def test_any_term_answers_a_page(client, viewer, q):
    client.force_login(viewer)
    response = client.get(URL, {"q": q})
    assert response.status_code == 200


def test_a_long_term_is_cut_on_the_page(client, viewer):
    client.force_login(viewer)
    response = client.get(URL, {"q": "y" * 500})
    assert f'value="{"y" * MAX_TERM_LENGTH}"' in response.text
    assert "y" * (MAX_TERM_LENGTH + 1) not in response.text


def test_the_page_needs_sign_in(client):
    response = client.get(URL, {"q": "acme"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["viewer", "project_lead", "operations_manager"])
def test_every_role_may_search(client, request, role):
    ServiceProviderFactory(name="Acme")
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL, {"q": "acme"})
    assert response.status_code == 200
    assert ">Acme</a>" in response.text


def test_hostile_text_is_shown_as_text(client, viewer):
    ServiceProviderFactory(name='<script>alert("x")</script> Acme', legal_name="<b>bold</b>")
    client.force_login(viewer)
    response = client.get(URL, {"q": "<script>"})
    text = response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Acme" in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "<script>alert" not in text
    assert "<b>bold" not in text


def test_every_page_has_the_search_box_in_the_navigation(client, viewer):
    client.force_login(viewer)
    text = client.get(reverse("dashboard")).text
    form = re.search(r'<form class="nav-search[^"]*" role="search" action="/search/"', text)
    assert form is not None
    assert '<label class="visually-hidden" for="nav-search">Search everything</label>' in text
    assert 'id="nav-search" name="q"' in text
    assert re.search(r'<script src="[^"]*js/search-shortcut\.js" defer></script>', text)


def test_the_navigation_box_keeps_the_term_on_the_results_page(client, viewer):
    client.force_login(viewer)
    text = client.get(URL, {"q": "atlas"}).text
    assert re.search(r'id="nav-search" name="q" value="atlas"', text)


@pytest.mark.postgres
def test_postgresql_matches_words_by_full_text_and_codes_by_part(viewer):
    """Full-text search stems words and understands web syntax; references and names also
    match by part."""
    ServiceProviderFactory(name="Acme", notes="Renewals are negotiated yearly")
    ServiceProviderFactory(name="Globex", notes="Legacy renewal terms")
    ContractFactory(reference="ACME-2026-014", title="Hosting")
    AssetFactory(name="Server rack", tag="DC-RACK-77")
    assert found(viewer, "renewal") == {"provider": ["Acme", "Globex"]}
    assert found(viewer, "renewal -legacy") == {"provider": ["Acme"]}
    assert found(viewer, '"negotiated yearly"') == {"provider": ["Acme"]}
    assert found(viewer, "2026-01")["contract"] == ["ACME-2026-014 – Hosting"]
    assert found(viewer, "rack-7") == {"asset": ["Server rack"]}
    assert found(viewer, "glob") == {"provider": ["Globex"]}


@pytest.mark.postgres
def test_postgresql_ranks_the_better_match_first(viewer):
    ServiceProviderFactory(name="Beta", notes="Atlas")
    ServiceProviderFactory(name="Atlas", legal_name="Atlas", notes="Atlas Atlas")
    assert found(viewer, "atlas") == {"provider": ["Atlas", "Beta"]}


@pytest.mark.postgres
@pytest.mark.parametrize("q", ["!!!", "the", "a & b", "'", '"', "or", "-", "x:*"])
def test_postgresql_takes_any_term(viewer, q):
    ServiceProviderFactory(name="Acme")
    assert isinstance(search(viewer, q), list)
