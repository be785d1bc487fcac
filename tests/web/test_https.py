"""HTTPS everywhere except a plain-HTTP trial on a loopback host name (web/https.py, issue 17
item 2): production's redirect, Secure cookies and HSTS, with the test client."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import UserFactory
from web import checks

LOGIN = "/accounts/login/"
PASSWORD = "pass-word-123"  # noqa: S105 - UserFactory's
HSTS_SECONDS = 31536000

production_like = override_settings(
    ALLOWED_HOSTS=["localhost", "127.0.0.1", "[::1]", "app.example.com"],
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=HSTS_SECONDS,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    HTTP_LOOPBACK_TRIAL=True,
)


def log_in(client: Client, host: str, *, secure: bool):
    """Fetch the login form and post it with its CSRF token, as a browser would."""
    scheme = "https" if secure else "http"
    page = client.get(LOGIN, HTTP_HOST=host, secure=secure)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    user = UserFactory(username="trial")
    answer = client.post(
        LOGIN,
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_HOST=host,
        HTTP_ORIGIN=f"{scheme}://{host}",
        HTTP_REFERER=f"{scheme}://{host}{LOGIN}",
        secure=secure,
    )
    return page, answer


@pytest.mark.django_db
@production_like
@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "localhost"])
def test_a_trial_over_plain_http_on_loopback_logs_in_with_cookies_not_secure(host):
    client = Client(enforce_csrf_checks=True)
    page, answer = log_in(client, host, secure=False)

    assert answer.status_code == 302, answer.content
    assert answer["Location"] == settings.LOGIN_REDIRECT_URL
    for response, cookie in ((page, "csrftoken"), (answer, "sessionid"), (answer, "csrftoken")):
        assert response.cookies[cookie].value
        assert not response.cookies[cookie]["secure"], cookie
    assert "Strict-Transport-Security" not in answer
    home = client.get("/", HTTP_HOST=host)
    assert home.status_code == 200
    assert home.context["user"].username == "trial"


@pytest.mark.django_db
@production_like
def test_plain_http_on_any_other_host_is_redirected_to_https(client):
    answer = client.get(f"{LOGIN}?next=/", HTTP_HOST="app.example.com")

    assert answer.status_code == 301
    assert answer["Location"] == f"https://app.example.com{LOGIN}?next=/"
    assert not answer.cookies


@pytest.mark.django_db
@production_like
def test_https_on_another_host_sets_secure_cookies_and_hsts():
    client = Client(enforce_csrf_checks=True)
    page, answer = log_in(client, "app.example.com", secure=True)

    assert answer.status_code == 302, answer.content
    assert page.cookies["csrftoken"]["secure"] is True
    assert answer.cookies["sessionid"]["secure"] is True
    assert answer["Strict-Transport-Security"].startswith(f"max-age={HSTS_SECONDS}")


@pytest.mark.django_db
@production_like
def test_https_on_loopback_keeps_the_cookies_secure(client):
    page = client.get(LOGIN, HTTP_HOST="localhost", secure=True)

    assert page.status_code == 200
    assert page.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
@production_like
@override_settings(HTTP_LOOPBACK_TRIAL=False)
def test_without_the_trial_loopback_is_redirected_too(client):
    answer = client.get(LOGIN, HTTP_HOST="localhost:8000")

    assert answer.status_code == 301
    assert answer["Location"] == f"https://localhost:8000{LOGIN}"


@pytest.mark.django_db
@production_like
@override_settings(ALLOWED_HOSTS=["app.example.com"])
def test_a_spoofed_loopback_host_is_refused_when_not_an_allowed_host(client):
    """Production lists no loopback name: `Host: localhost` from the network gets a 400,
    never a page over plain HTTP."""
    assert client.get(LOGIN, HTTP_HOST="localhost").status_code == 400
    assert client.get(LOGIN, HTTP_HOST="127.0.0.1").status_code == 400


@pytest.mark.django_db
@production_like
def test_a_lookalike_of_a_loopback_name_is_not_loopback(client):
    with override_settings(ALLOWED_HOSTS=[".localhost", "localhost.example.com"]):
        for host in ("app.localhost", "localhost.example.com"):
            assert client.get(LOGIN, HTTP_HOST=host).status_code == 301, host


# Deploy checks of the middleware (web/checks.py)


@production_like
def test_the_deploy_checks_pass_on_production_values():
    assert checks.check_https_middleware(None) == []


@production_like
@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [
        ("SECURE_SSL_REDIRECT", False, "security.W008"),
        ("SECURE_HSTS_SECONDS", 0, "security.W004"),
        ("SECURE_CONTENT_TYPE_NOSNIFF", False, "security.W006"),
        ("SECURE_REFERRER_POLICY", None, "security.W022"),
    ],
)
def test_the_deploy_checks_warn_as_django_would_for_our_middleware(setting, value, warning):
    with override_settings(**{setting: value}):
        found = [message.id for message in checks.check_https_middleware(None)]
    assert found == [warning]


def test_the_deploy_checks_warn_without_any_security_middleware():
    without = [m for m in settings.MIDDLEWARE if m != checks.OUR_MIDDLEWARE]
    with override_settings(MIDDLEWARE=without):
        assert [message.id for message in checks.check_https_middleware(None)] == ["web.W001"]
