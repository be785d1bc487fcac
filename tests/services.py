"""The services some tests need (PostgreSQL, Redis, Chromium, openapi-python-client), and what
to do when one is absent: skip locally, fail under REQUIRE_SERVICES=1 (CI)."""

import importlib.util
import os
import shutil

import pytest
from django.db import connection

MARKERS = ("postgres", "redis", "browser")


def missing(marker: str) -> str | None:
    """Why the service behind `marker` is unavailable, or None when it is there."""
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
    # Not a pytest marker: tests/api/test_generated_client.py asks for it by name.
    if marker == "openapi-python-client" and not importlib.util.find_spec("openapi_python_client"):
        return "needs openapi-python-client (pip install -r requirements-dev.txt)"
    return None


def require(marker: str) -> None:
    """Skip the calling test or fixture when the service is absent; fail it in CI."""
    reason = missing(marker)
    if reason and os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
    if reason:
        pytest.skip(reason)
