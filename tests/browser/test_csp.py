"""The Content-Security-Policy is enforced, and the admin and the API docs work under it.

Every browser test fails on a violation (tests/browser/conftest.py); these visit what the
other browser tests do not: Django admin pages with their widgets, and Swagger UI.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_every_response_carries_an_enforcing_policy(page: Page, live_server, sign_in, superuser):
    sign_in(page, "root")
    response = page.goto(f"{live_server.url}/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "content-security-policy-report-only" not in response.headers


def test_the_admin_works_under_the_policy(page: Page, live_server, sign_in, superuser, demo):
    sign_in(page, "root")
    for name in (
        "admin:index",
        "admin:contracts_contract_changelist",
        "admin:contracts_contract_add",
        "admin:transition_milestone_add",
        "admin:transition_outsourcedprocess_changelist",
        "admin:contracts_serviceprovider_import",
        "admin:contracts_serviceprovider_export",
        "admin:django_celery_beat_periodictask_changelist",
    ):
        response = page.goto(live_server.url + reverse(name))
        assert response.status == 200, name
    contract = demo.urgent_contract
    for view in ("change", "history"):
        url = reverse(f"admin:contracts_contract_{view}", args=[contract.pk])
        assert page.goto(live_server.url + url).status == 200, view
    # The date widget's calendar is drawn by the admin's JavaScript.
    page.goto(live_server.url + reverse("admin:contracts_contract_add"))
    page.locator("#calendarlink0").click()
    expect(page.locator(".calendarbox").first).to_be_visible()


def test_the_api_docs_render_under_the_policy(page: Page, live_server, sign_in, superuser):
    sign_in(page, "root")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15000)
    assert page.locator(".swagger-ui .opblock").count() > 20
