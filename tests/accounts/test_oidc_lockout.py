"""Refused single sign-on never feeds the password lockout (accounts/oidc.py,
`password_attempts_only`): a refused SSO callback names no username, so django-axes would count
it against (no username, the client's address) and, after AXES_FAILURE_LIMIT refusals from one
office's address, lock single sign-on for everybody behind it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.oidc import RoleClaimBackend
from tests.oidc.switch import sso_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_with_lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    with sso_on(settings):
        yield settings


@pytest.fixture
def provider_says_no_role(monkeypatch):
    """The provider's answers, as its token endpoint and UserInfo would give them after a
    genuine sign-in at the provider, for a person with no Backsourcing role."""
    claims = {"iss": "https://login.example.com", "sub": "f3b1c2", "aud": ["backsourcing"]}
    monkeypatch.setattr(RoleClaimBackend, "get_token", lambda self, payload: {"id_token": "i"})
    monkeypatch.setattr(RoleClaimBackend, "verify_token", lambda self, token, **kw: claims)
    monkeypatch.setattr(
        RoleClaimBackend, "get_userinfo", lambda self, *args: {"sub": "f3b1c2", "groups": []}
    )


def _refused_callback(client):
    start = client.get(reverse("oidc_authentication_init"))
    query = start["Location"].split("?", 1)[1]
    state = dict(part.split("=", 1) for part in query.split("&"))["state"]
    return client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": state})


def test_refused_single_sign_on_is_not_a_failed_password_and_locks_nobody(
    client, sso_with_lockout, provider_says_no_role
):
    for _ in range(4):
        response = _refused_callback(client)
        assert response.status_code == 302
        assert response["Location"] == reverse("login")
        assert "_auth_user_id" not in client.session

    assert AccessAttempt.objects.count() == 0
    assert client.get(reverse("oidc_authentication_init")).status_code == 302


def test_wrong_passwords_are_still_counted_when_single_sign_on_is_on(client, sso_with_lockout):
    for _ in range(2):
        client.post(reverse("login"), {"username": "nobody", "password": "wrong-pass-1"})

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "nobody"
    assert attempt.failures_since_start == 2
