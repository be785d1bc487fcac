"""Rate limits of the API (api/throttling.py, docs/api.md "Rate limits"): token requests per
client address, writes per user, reads never; a 429 in JSON with Retry-After."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
PROVIDERS = "/api/v1/providers/"


def sign_in(client, username):
    return client.post(TOKEN, {"username": username, "password": "x"}, format="json")


def new_provider(client, name):
    return client.post(PROVIDERS, {"name": name, "country": "GB"}, format="json")


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@override_settings(API_THROTTLE_RATES={"token": "3/minute", "writes": None})
def test_token_requests_are_limited_per_address_whatever_the_username():
    client = APIClient()
    for name in ("ann", "bob", "cid"):
        assert (
            client.post(TOKEN, {"username": name, "password": "x"}, format="json").status_code
            == 400
        )
    refused = client.post(TOKEN, {"username": "dee", "password": "x"}, format="json")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"]
    # Another address has its own count.
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    assert sign_in(other, "ann").status_code == 400


@override_settings(API_THROTTLE_RATES={"token": None, "writes": "2/minute"})
def test_writes_are_limited_per_user_and_reads_are_not(operations_manager):
    client = APIClient()
    client.force_login(operations_manager)
    for n in range(2):
        response = client.post(
            "/api/v1/providers/", {"name": f"P{n}", "country": "GB"}, format="json"
        )
        assert response.status_code == 201, response.json()
    refused = client.post("/api/v1/providers/", {"name": "P2", "country": "GB"}, format="json")
    assert refused.status_code == 429
    for _ in range(5):
        assert client.get(PROVIDERS).status_code == 200
    colleague = APIClient()
    colleague.force_login(UserFactory(role="Operations managers"))
    assert new_provider(colleague, "P3").status_code == 201


@override_settings(API_THROTTLE_RATES={"token": None, "writes": None})
def test_a_rate_set_off_limits_nothing(operations_manager):
    client = APIClient()
    client.force_login(operations_manager)
    for n in range(30):
        response = client.post(
            "/api/v1/providers/", {"name": f"Q{n}", "country": "GB"}, format="json"
        )
        assert response.status_code == 201


def test_the_rate_parser_reads_off_and_rates(monkeypatch):
    from backsourcing.settings.base import _rate

    monkeypatch.setenv("API_THROTTLE_TOKEN", "off")
    assert _rate("API_THROTTLE_TOKEN", "10/minute") is None
    monkeypatch.setenv("API_THROTTLE_TOKEN", "5/hour")
    assert _rate("API_THROTTLE_TOKEN", "10/minute") == "5/hour"
    monkeypatch.delenv("API_THROTTLE_TOKEN")
    assert _rate("API_THROTTLE_TOKEN", "10/minute") == "10/minute"
