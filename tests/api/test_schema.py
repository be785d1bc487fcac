"""The OpenAPI schema validates without warnings and the docs page works offline."""

import re

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator


def test_schema_generation_validates_without_warnings(tmp_path):
    # --fail-on-warn: an untyped field or an unnamed enum would fail here.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    text = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/processes/{id}/transitions/{name}/:" in text
    assert "/api/v1/contracts/{id}/exit-date/:" in text


def test_every_operation_documents_the_errors_it_can_give():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]

    for path, method, operation in operations:
        responses = operation["responses"]
        paged = any(p["name"] == "page" for p in operation.get("parameters", []))
        assert ("404" in responses) == ("{" in path or paged), (path, method)
        signed_in = path != "/api/v1/auth/token/"
        assert ("403" in responses) == signed_in, (path, method)
    responses = {(path, method): operation["responses"] for path, method, operation in operations}
    assert "400" in responses[("/api/v1/auth/token/", "post")]
    assert "400" in responses[("/api/v1/providers/{id}/", "delete")]
    assert "400" in responses[("/api/v1/contracts/{id}/exit-date/", "get")]
    assert "409" in responses[("/api/v1/processes/{id}/transitions/{name}/", "post")]


def test_schema_is_served_to_signed_in_users(ops_client):
    response = ops_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/processes/{id}/events/" in response.json()["paths"]


def test_docs_are_served_without_any_cdn(ops_client):
    response = ops_client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    assert not re.search(r"""(src|href)=["']?https?://""", html)
    assert "cdn" not in html.lower()


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_need_login(client, db, path):
    assert client.get(path).status_code in (401, 403)
