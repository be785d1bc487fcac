"""Shared fixtures: role users, and skipping (or failing) tests whose services are absent."""

import importlib
import os
import shutil

import pytest
from django.db import connection

from tests.factories import UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _service_missing(marker: str) -> str | None:
    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL)"
    if marker == "redis":
        import redis

        url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.exceptions.RedisError:
            return f"needs Redis at {url}"
    if marker == "browser" and not shutil.which("chromium"):
        return "needs Chromium (apt-get install chromium)"
    return None


@pytest.fixture(autouse=True)
def _require_services(request):
    """Skip a test whose service is absent, or fail it when REQUIRE_SERVICES=1 (CI)."""
    for marker in ("postgres", "redis", "browser"):
        if request.node.get_closest_marker(marker) is None:
            continue
        missing = _service_missing(marker)
        if missing and REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {missing}")
        if missing:
            pytest.skip(missing)


@pytest.fixture(autouse=True)
def _role_groups_after_flush(request):
    """Transactional tests end with a flush that empties every table, and data migrations do
    not run again; put the role groups back as their migration made them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction")
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    importlib.import_module("accounts.migrations.0001_role_groups").create_role_groups(apps, None)


@pytest.fixture
def operations_manager(db):
    return UserFactory(username="olivia", role="Operations managers")


@pytest.fixture
def project_lead(db):
    return UserFactory(username="liam", role="Project leads")


@pytest.fixture
def other_lead(db):
    return UserFactory(username="lena", role="Project leads")


@pytest.fixture
def viewer(db):
    return UserFactory(username="vera", role="Viewers")
