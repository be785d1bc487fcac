"""Text is decided once, at input: control characters are refused by name, searches cleaned."""

import json

import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from contracts.models import ServiceProvider
from core.text import validate_plain_text
from core.views import RegisterListView
from tests.contracts.factories import ServiceProviderFactory
from tests.security.site import concrete_paths, page_routes

pytestmark = pytest.mark.django_db


def register_lists() -> list[str]:
    paths = []
    for _name, route in page_routes():
        for path in concrete_paths(route, set()):
            view = getattr(resolve(path).func, "view_class", None)
            if view and issubclass(view, RegisterListView):
                paths.append(path)
    return paths


@pytest.fixture
def api(operations_manager):
    client = APIClient()
    client.force_login(operations_manager)
    return client


@pytest.mark.parametrize("term", ["\x00", "acme\x00", "%00", "\x07bell"])
def test_a_search_with_control_characters_answers_the_list(client, operations_manager, term):
    ServiceProviderFactory(name="Acme")
    client.force_login(operations_manager)
    paths = register_lists()
    assert len(paths) >= 7
    for path in paths:
        response = client.get(path, {"q": term})
        assert response.status_code == 200, path


@pytest.mark.parametrize(
    ("text", "code"),
    [("Ctrl\u0007Char Ltd", "0007"), ("Nul\u0000Ltd", "0000"), ("Esc\u001b[31m", "001B")],
)
def test_the_api_refuses_a_control_character_naming_the_field(api, text, code):
    response = api.post("/api/v1/providers/", {"name": text, "country": "GB"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert not ServiceProvider.objects.exists()
    if code != "0000":  # DRF refuses NUL itself, in its own words
        assert f"U+{code}" in json.dumps(response.json())


def test_a_lone_surrogate_is_refused_not_a_server_error(api):
    body = '{"name": "Broken \\ud800 Ltd", "country": "GB"}'
    response = api.generic("POST", "/api/v1/providers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_tab_and_line_breaks_are_ordinary_text(api):
    response = api.post(
        "/api/v1/providers/",
        {"name": "Tabbed\tLtd", "country": "GB", "notes": "line one\r\nline two"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_the_form_shows_the_refusal_beside_the_field(client, operations_manager):
    client.force_login(operations_manager)
    response = client.post("/providers/new/", {"name": "Bell\x07 Ltd", "country": "GB"})
    assert response.status_code == 200
    assert "U+0007" in response.context["form"].errors["name"][0]
    assert not ServiceProvider.objects.exists()


def test_an_edit_keeps_what_was_saved_when_refused(api):
    provider = ServiceProviderFactory(name="Acme", notes="kept")
    response = api.patch(
        f"/api/v1/providers/{provider.pk}/", {"notes": "new\x0bnotes"}, format="json"
    )
    assert response.status_code == 400
    assert "notes" in response.json()
    provider.refresh_from_db()
    assert provider.notes == "kept"


def test_the_validator_names_the_code_point():
    with pytest.raises(Exception, match="U\\+009B"):
        validate_plain_text("csi\x9b")
    validate_plain_text("ordinary text, with\ttab and\nline")
