"""The contract pages stay bounded at portfolio scale (docs/performance.md): the list and the
detail run a pinned number of queries at two sizes, and the contract suggestions behind the
search-as-you-type filters stop at twenty.

Counts include the session, the user, the user's groups (rules) and the notification badge.
"""

import pytest
from django.urls import reverse

from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import OutsourcedProcessFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PAGE = 25


def add_contracts(count: int, **kwargs) -> list:
    """`count` contracts, each under a provider of its own and with one process."""
    contracts = []
    for _ in range(count):
        contract = ContractFactory(provider=ServiceProviderFactory(), **kwargs)
        OutsourcedProcessFactory(contract=contract)
        contracts.append(contract)
    return contracts


def test_the_contract_list_runs_the_same_queries_for_one_contract_as_for_a_portfolio(
    client, operations_manager, django_assert_num_queries
):
    client.force_login(operations_manager)
    url = reverse("contracts:contract_list")
    add_contracts(1)
    # 8, the list's saved views (docs/saved-views.md), the stale notice dates (none:
    # docs/contracts-list.md) and the bulk action's new-owner choices (docs/bulk-actions.md).
    with django_assert_num_queries(11):
        small = client.get(url)
    assert len(small.context["object_list"]) == 1

    add_contracts(2 * PAGE)
    with django_assert_num_queries(11):
        large = client.get(url)
    assert len(large.context["object_list"]) == PAGE
    assert large.context["paginator"].count == 2 * PAGE + 1
    body = large.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == PAGE


def test_the_contract_page_runs_the_same_queries_whatever_its_processes(
    client, operations_manager, django_assert_num_queries
):
    client.force_login(operations_manager)
    contract = add_contracts(1)[0]
    url = reverse("contracts:contract_detail", args=[contract.pk])
    # 12, plus the processes' milestones for the RAG's forecast (docs/plan.md).
    with django_assert_num_queries(13):
        client.get(url)
    for _ in range(20):
        OutsourcedProcessFactory(contract=contract)
    add_contracts(10)
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200


def test_contract_suggestions_match_reference_title_or_provider_and_stop_at_twenty(
    client, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    meridian = ServiceProviderFactory(name="Meridian Logistics")
    for n in range(25):
        ContractFactory(provider=meridian, reference=f"MER-{n:03}", title="Warehousing")
    other = ContractFactory(reference="KES-001", title="Service desk")
    url = reverse("contracts:contract_suggest")

    with django_assert_num_queries(3):  # session, user, the suggestions
        results = client.get(url, {"q": "meridian"}).json()["results"]
    assert len(results) == 20
    assert results[0]["label"] == "MER-000 – Warehousing (Meridian Logistics)"
    assert [r["id"] for r in client.get(url, {"q": "desk"}).json()["results"]] == [other.pk]
    assert [r["id"] for r in client.get(url, {"q": "kes-0"}).json()["results"]] == [other.pk]
    assert client.get(url, {"id": other.pk}).json()["results"][0]["id"] == other.pk


@pytest.mark.parametrize("bad", ["x", "99999999999999999999", "-1", "\x00", "²"])
def test_contract_suggestions_answer_bad_input_with_no_results(client, viewer, bad):
    client.force_login(viewer)
    ContractFactory()
    url = reverse("contracts:contract_suggest")
    assert client.get(url, {"id": bad}).json() == {"results": []}
    assert client.get(url, {"q": bad}).status_code == 200


def test_contract_suggestions_carry_user_text_as_escaped_json(client, viewer):
    client.force_login(viewer)
    contract = ContractFactory(
        reference="R&D-1",
        title="<img src=x onerror=alert(1)>",
        provider=ServiceProviderFactory(name='"Q" & <Co>'),
    )
    response = client.get(reverse("contracts:contract_suggest"), {"q": "<img"})
    assert response["Content-Type"] == "application/json"
    assert b"<" not in response.content
    assert b"&" not in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["results"] == [
        {"id": contract.pk, "label": 'R&D-1 – <img src=x onerror=alert(1)> ("Q" & <Co>)'}
    ]


def test_contract_suggestions_need_a_login(client):
    response = client.get(reverse("contracts:contract_suggest"), {"q": "a"})
    assert response.status_code == 403
