"""Sign-in lockouts count against the real client: REMOTE_ADDR, or the address a trusted proxy
forwarded; and the API token endpoint is locked like the sign-in page, answering 429."""

from datetime import timedelta

import pytest
import time_machine
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.checks import check_trusted_proxies
from accounts.network import client_ip

PASSWORD = "pass-word-123"  # the factories' password
PROXY = "10.0.0.5"
CLIENT = "203.0.113.7"
OTHER_CLIENT = "198.51.100.9"


def request_from(remote_addr, forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


# Which address counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote_addr", "forwarded", "expected"),
    [
        # A client cannot choose its address by sending the header itself.
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),
        ("198.51.100.9", None, "198.51.100.9"),
        # Through our proxy, the address it appended.
        (PROXY, "203.0.113.7", "203.0.113.7"),
        # Whatever the client wrote before the proxy appended the real address is ignored.
        (PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two of our proxies in a row: the first address that is not one of them.
        (PROXY, "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        # Ports and IPv6 as proxies write them.
        (PROXY, "203.0.113.7:51234", "203.0.113.7"),
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        (PROXY, "2001:db8::7", "2001:db8::7"),
        # Nothing usable forwarded: the proxy stands for the client.
        (PROXY, None, PROXY),
        (PROXY, "unknown", PROXY),
        (PROXY, "203.0.113.7, unknown", PROXY),
        # Only our proxies in the chain: the farthest of them.
        (PROXY, "10.0.0.8, 10.0.0.9", "10.0.0.8"),
    ],
)
def test_the_forwarded_address_counts_only_when_a_trusted_proxy_sent_it(
    settings, remote_addr, forwarded, expected
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert client_ip(request_from(remote_addr, forwarded)) == expected


@pytest.mark.parametrize("forwarded", ["203.0.113.7", "203.0.113.7, 10.0.0.9", None])
def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings, forwarded):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request_from(PROXY, forwarded)) == PROXY


def test_a_single_proxy_address_is_trusted_without_its_neighbours(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_ip(request_from(PROXY, CLIENT)) == CLIENT
    assert client_ip(request_from("10.0.0.6", CLIENT)) == "10.0.0.6"


def test_axes_asks_our_function_for_the_client_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert get_client_ip_address(request_from(PROXY, CLIENT)) == CLIENT
    assert get_client_ip_address(request_from(OTHER_CLIENT, CLIENT)) == OTHER_CLIENT


# Lockouts through the API token endpoint --------------------------------------------------------


@pytest.fixture
def axes_on(settings, db):
    """django-axes on (the test settings turn it off), locking after three failures; its
    attempts live in the database and roll back with each test."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 1  # hour
    assert not AccessAttempt.objects.exists()
    return settings


def ask_for_token(password, remote_addr=CLIENT, forwarded=None, username="vera"):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        **headers,
    )


def fail_three_times(**where):
    return [ask_for_token("wrong", **where).status_code for _attempt in range(3)]


def test_the_token_endpoint_counts_failures_and_answers_a_lockout_with_429(axes_on, viewer):
    statuses = fail_three_times()

    response = ask_for_token(PASSWORD)

    assert statuses == [400, 400, 429]
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed sign-in attempts for this username. "
        "Expected available in 3600 seconds."
    }
    assert response["Retry-After"] == "3600"
    attempt = AccessAttempt.objects.get(username="vera")
    assert attempt.ip_address == CLIENT
    assert attempt.failures_since_start == 4  # the right password counts while locked out


def test_the_lockout_ends_after_the_cool_off(axes_on, viewer):
    fail_three_times()

    with time_machine.travel(timedelta(hours=1, minutes=1)):
        response = ask_for_token(PASSWORD)

    assert response.status_code == 200
    assert response.json()["token"]


def test_a_lockout_is_per_username(axes_on, viewer, project_lead):
    fail_three_times()

    response = ask_for_token(PASSWORD, username="liam")

    assert response.status_code == 200


def test_without_trusted_proxies_everyone_behind_a_proxy_shares_one_address(axes_on, viewer):
    axes_on.TRUSTED_PROXIES = []
    fail_three_times(remote_addr=PROXY, forwarded=OTHER_CLIENT)

    response = ask_for_token(PASSWORD, remote_addr=PROXY, forwarded=CLIENT)

    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == PROXY


def test_without_trusted_proxies_a_forged_header_does_not_escape_a_lockout(axes_on, viewer):
    axes_on.TRUSTED_PROXIES = []
    fail_three_times(remote_addr=OTHER_CLIENT)

    response = ask_for_token(PASSWORD, remote_addr=OTHER_CLIENT, forwarded="192.0.2.1")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_an_attacker_locks_out_only_their_own_address(axes_on, viewer):
    axes_on.TRUSTED_PROXIES = [PROXY]
    fail_three_times(remote_addr=PROXY, forwarded=OTHER_CLIENT)

    attacker = ask_for_token(PASSWORD, remote_addr=PROXY, forwarded=OTHER_CLIENT)
    user = ask_for_token(PASSWORD, remote_addr=PROXY, forwarded=CLIENT)

    assert attacker.status_code == 429
    assert user.status_code == 200
    assert AccessAttempt.objects.get().ip_address == OTHER_CLIENT


def test_a_client_bypassing_the_trusted_proxy_cannot_pick_its_address(axes_on, viewer):
    axes_on.TRUSTED_PROXIES = [PROXY]
    fail_three_times(remote_addr=OTHER_CLIENT, forwarded="192.0.2.1")

    response = ask_for_token(PASSWORD, remote_addr=OTHER_CLIENT, forwarded="192.0.2.2")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == OTHER_CLIENT


def test_the_sign_in_page_counts_the_forwarded_client_too(axes_on, client, viewer):
    axes_on.TRUSTED_PROXIES = [PROXY]

    client.post(
        reverse("login"),
        {"username": "vera", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=CLIENT,
    )

    assert AccessAttempt.objects.get(username="vera").ip_address == CLIENT


def test_a_malformed_trusted_proxy_fails_the_system_checks(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "proxy.internal"]

    [error] = check_trusted_proxies(None)

    assert error.id == "accounts.E001"
    assert "proxy.internal" in error.msg
