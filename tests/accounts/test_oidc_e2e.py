"""Single sign-on end to end: our app on pytest-django's live server and a real OpenID Connect
provider (django-oidc-provider, tests/oidc/) in its own process on loopback, driven by
`requests` as a browser would be: our sign-in page, the provider's sign-in form, our callback,
signed in with the roles the provider's "groups" claim maps to."""

import os
import re
from html import unescape
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.auth.models import User

from accounts.models import OidcIdentity
from tests.oidc.provider import Provider, ProviderUnavailable
from tests.oidc.switch import CLIENT_ID, CLIENT_SECRET, sso_on

PASSWORD = "provider-pass-123"  # noqa: S105 - a loopback test provider


@pytest.fixture
def provider(live_server, tmp_path):
    running = Provider(tmp_path)
    try:
        running.start(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=f"{live_server.url}/oidc/callback/",
        )
    except (ProviderUnavailable, OSError) as error:
        # The project's rule for services (tests/services.py): skip here, fail in CI.
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but the OIDC test provider did not start: {error}")
        pytest.skip(f"the OIDC test provider did not start: {error}")
    yield running
    running.stop()


@pytest.fixture
def app(live_server, provider, settings):
    with sso_on(settings, provider=provider.openid):
        yield live_server.url


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} in the page"
    return unescape(found.group(1))


def sign_in(app: str, username: str) -> requests.Response:
    """From our sign-in page through the provider's form back to us, in a fresh browser."""
    browser = requests.Session()
    login_page = browser.get(f"{app}/accounts/login/?next=/", timeout=10)
    sso = re.search(r'href="([^"]*)" data-testid="sso"', login_page.text)
    assert sso, "no single sign-on button on our sign-in page"
    provider_form = browser.get(urljoin(login_page.url, unescape(sso.group(1))), timeout=10)
    assert "Test provider" in provider_form.text
    response = browser.post(
        provider_form.url,
        data={
            "csrfmiddlewaretoken": _hidden(provider_form.text, "csrfmiddlewaretoken"),
            "username": username,
            "password": PASSWORD,
            "next": _hidden(provider_form.text, "next"),
        },
        timeout=30,
    )
    response.browser = browser
    return response


@pytest.mark.django_db(transaction=True)
def test_provider_sign_in_maps_groups_to_roles_and_follows_changes(app, provider):
    provider.user("alice", PASSWORD, groups=["backsourcing-leads", "sales"])

    response = sign_in(app, "alice")

    assert response.status_code == 200
    assert response.url == f"{app}/"
    assert "Dashboard" in response.text
    user = User.objects.get(username="alice")
    identity = OidcIdentity.objects.get(user=user)
    assert identity.issuer == provider.openid
    assert set(user.groups.values_list("name", flat=True)) == {"Project leads"}
    assert (user.email, user.first_name) == ("alice@example.com", "Alice")
    assert not user.is_staff
    assert not user.has_usable_password()
    # The code went back to the provider server to server, with its PKCE verifier.
    log = provider.log.read_text()
    assert "code_challenge_method=S256" in log
    assert '"POST /openid/token' in log
    assert '"GET /openid/userinfo' in log

    # Ours ends the local session.
    browser = response.browser
    browser.post(
        f"{app}/accounts/logout/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{app}/"},
        timeout=10,
    )
    assert browser.get(f"{app}/", timeout=10).url.startswith(f"{app}/accounts/login/")

    provider.user("alice", PASSWORD, groups=["backsourcing-ops"])
    again = sign_in(app, "alice")

    assert again.url == f"{app}/"
    assert User.objects.filter(username="alice").count() == 1
    assert set(user.groups.values_list("name", flat=True)) == {"Operations managers"}


@pytest.mark.django_db(transaction=True)
def test_provider_user_without_a_mapped_group_is_refused_on_our_sign_in_page(app, provider):
    provider.user("mallory", PASSWORD, groups=["sales"])

    response = sign_in(app, "mallory")

    assert response.status_code == 200
    assert response.url.startswith(f"{app}/accounts/login/")
    assert "has no Backsourcing role" in unescape(response.text)
    assert not User.objects.filter(username="mallory").exists()
    assert not OidcIdentity.objects.exists()
    # The refusal signed nobody in: the dashboard still asks to sign in.
    assert response.browser.get(f"{app}/", timeout=10).url.startswith(f"{app}/accounts/login/")
