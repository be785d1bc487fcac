"""GET /api/v1/search/?q=: the navigation bar's search for clients, as HTML-safe JSON."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.services import token_create
from search.selectors import KINDS, LIMIT_PER_TYPE
from tests.api.conftest import ROLES
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import AssetFactory, MilestoneFactory, OutsourcedProcessFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"
# Session and user of a signed-in client, then one query per type of record.
QUERIES = 2 + len(KINDS)


def test_results_name_type_id_title_and_page(ops_client):
    provider = ServiceProviderFactory(name="Atlas Ltd")
    contract = ContractFactory(reference="ATLAS-1", title="Hosting")
    process = OutsourcedProcessFactory(name="Atlas desk", contract=contract)
    milestone = MilestoneFactory(process=process, title="Atlas go-live")
    response = ops_client.get(URL, {"q": "atlas"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [
            {
                "type": "provider",
                "id": provider.pk,
                "title": "Atlas Ltd",
                "url": f"http://testserver/providers/{provider.pk}/",
            },
            {
                "type": "contract",
                "id": contract.pk,
                "title": "ATLAS-1 – Hosting",
                "url": f"http://testserver/contracts/{contract.pk}/",
            },
            {
                "type": "process",
                "id": process.pk,
                "title": "Atlas desk",
                "url": f"http://testserver/processes/{process.pk}/",
            },
            {
                "type": "milestone",
                "id": milestone.pk,
                "title": "Atlas go-live",
                "url": f"http://testserver/milestones/{milestone.pk}/",
            },
        ]
    }


def test_at_most_the_cap_of_each_type(ops_client):
    for n in range(LIMIT_PER_TYPE + 2):
        AssetFactory(name=f"Laptop {n:02d}")
    results = ops_client.get(URL, {"q": "laptop"}).json()["results"]
    assert [r["title"] for r in results] == [f"Laptop {n:02d}" for n in range(LIMIT_PER_TYPE)]


@pytest.mark.parametrize("q", [None, "", "   ", "\x00"])
def test_an_empty_term_answers_no_results_without_searching(
    ops_client, django_assert_num_queries, q
):
    ServiceProviderFactory(name="Acme")
    params = {} if q is None else {"q": q}
    with django_assert_num_queries(2):
        response = ops_client.get(URL, params)
    assert response.json() == {"results": []}


@pytest.mark.parametrize("size", [1, LIMIT_PER_TYPE + 5])
def test_queries_do_not_grow_with_the_records(ops_client, django_assert_num_queries, size):
    for n in range(size):
        process = OutsourcedProcessFactory(name=f"Orion {n}")
        MilestoneFactory(process=process, title=f"Orion {n}")
    with django_assert_num_queries(QUERIES):
        results = ops_client.get(URL, {"q": "orion"}).json()["results"]
    assert len(results) == 2 * min(size, LIMIT_PER_TYPE)


@pytest.mark.parametrize("q", ["x" * 5000, "\x00\x1b[31m", "%_\\", '"', "a -b or c"])
def test_any_term_answers_json(ops_client, q):
    response = ops_client.get(URL, {"q": q})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_anonymous_is_refused_in_json():
    response = APIClient().get(URL, {"q": "acme"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_search(client_for, request, role):
    ServiceProviderFactory(name="Acme")
    response = client_for(request.getfixturevalue(role)).get(URL, {"q": "acme"})
    assert [r["title"] for r in response.json()["results"]] == ["Acme"]


def test_a_token_is_enough(operations_manager):
    ServiceProviderFactory(name="Acme")
    _, key = token_create(user=operations_manager, name="cli")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(URL, {"q": "acme"}).status_code == 200


def test_markup_in_titles_is_escaped_in_the_json(ops_client):
    name = '</script><img src=x onerror="alert(1)"> & co'
    ServiceProviderFactory(name=name)
    response = ops_client.get(URL, {"q": "script"})
    body = response.content.decode()
    assert "<" not in body
    assert ">" not in body
    assert "\\u003c/script\\u003e" in body
    assert json.loads(body)["results"][0]["title"] == name


def test_the_schema_describes_the_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["q"]
    content = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert content == {"$ref": "#/components/schemas/SearchResults"}
    hit = schema["components"]["schemas"]["SearchHit"]
    assert set(hit["properties"]) == {"type", "id", "title", "url"}
