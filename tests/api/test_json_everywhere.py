"""Every address under /api/ answers JSON, also when no view matches it (issue 16)."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.views import APIView

from backsourcing import urls as root_urls
from tests.contracts.factories import ContractFactory

UNMATCHED = [
    "/api/v1/contracts/abc/",  # a non-numeric id
    "/api/v1/contracts/abc",
    "/api/v1/milestones/-3/",
    "/api/v1/contracts/abc/transition/",
    "/api/v1/nothing/",  # an unknown resource
    "/api/v2/contracts/",
    "/api/v1/contracts/1/garbage/",  # trailing garbage
    "/api/v1/contracts/1/garbage",
    "/api/",
    "/api",
    "/api/nothing",
]


def assert_json_detail(response, status):
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"]
    assert body["detail"]
    return body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", UNMATCHED)
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_an_unmatched_api_path_answers_a_json_404(url, signed_in, operations_manager):
    client = APIClient()
    if signed_in:
        client.force_login(operations_manager)

    detail = assert_json_detail(client.get(url), 404)

    assert detail.startswith(f"Not found: nothing answers GET {url}.")
    assert "/api/v1/" in detail  # where the resources are listed


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_method_gets_json(method, operations_manager):
    token = Token.objects.create(user=operations_manager)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = getattr(client, method)("/api/v1/contracts/abc/", {"title": "x"}, format="json")

    detail = assert_json_detail(response, 404)
    assert f"{method.upper()} /api/v1/contracts/abc/" in detail


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/contracts/999999/",  # no such contract
        "/api/v1/contracts/1.5/",  # read as contract 1 in format "5"
    ],
)
def test_what_drf_answers_stays_drf_s_json(ops_client, url):
    assert_json_detail(ops_client.get(url), 404)


def test_a_found_id_still_answers(ops_client, operations_manager):
    contract = ContractFactory(owner=operations_manager)

    response = ops_client.get(f"/api/v1/contracts/{contract.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == contract.pk


def test_a_list_without_its_slash_still_redirects(ops_client):
    response = ops_client.get("/api/v1/contracts")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/contracts/"


@pytest.mark.django_db
def test_pages_outside_the_api_stay_html(client):
    response = client.get("/contracts/abc/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_bad_host_under_the_api_answers_a_json_400(client):
    assert_json_detail(client.get("/api/v1/contracts/", HTTP_HOST="evil.example"), 400)


# Errors raised outside DRF's views: a URLconf with views that fail, before the real ones.


def fails(exception):
    def view(request):
        raise exception

    return view


class CrashingAPIView(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/boom/", fails(RuntimeError("a bug"))),
    path("api/v1/drf-boom/", CrashingAPIView.as_view()),
    path("api/v1/forbidden/", fails(PermissionDenied())),
    path("api/v1/suspicious/", fails(SuspiciousOperation())),
    path("boom/", fails(RuntimeError("a bug"))),
    *root_urls.urlpatterns,
]
handler400 = root_urls.handler400
handler403 = root_urls.handler403
handler404 = root_urls.handler404
handler500 = root_urls.handler500


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/boom/", 500),
        ("/api/v1/drf-boom/", 500),
        ("/api/v1/forbidden/", 403),
        ("/api/v1/suspicious/", 400),
    ],
)
def test_errors_outside_drf_answer_json(url, status, django_assert_num_queries):
    client = APIClient(raise_request_exception=False)

    with django_assert_num_queries(0):
        response = client.get(url)

    detail = assert_json_detail(response, status)
    assert "a bug" not in detail  # never the exception's text


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_server_error_outside_the_api_is_a_page(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
