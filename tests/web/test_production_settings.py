"""Production refuses an unsafe configuration (issue 17, item 2): no shared broker, no start."""

import runpy
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

SAFE = {
    "DJANGO_SECRET_KEY": "test-only-not-secret",
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
}


def load(monkeypatch, **env):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    for name, value in {**SAFE, **env}.items():
        monkeypatch.setenv(name, value)
    # The base settings read the environment too: import them afresh (restored after).
    monkeypatch.delitem(sys.modules, "backsourcing.settings.base")
    return runpy.run_module("backsourcing.settings.production")


def test_production_needs_redis_url(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        load(monkeypatch)


def test_production_refuses_a_filesystem_broker(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="filesystem broker"):
        load(
            monkeypatch,
            REDIS_URL="redis://127.0.0.1:6379/0",
            CELERY_BROKER_URL="filesystem://localhost//",
        )


def test_production_shares_redis_for_tasks_and_the_cache(monkeypatch):
    settings = load(monkeypatch, REDIS_URL="redis://cache.internal:6379/2")
    assert settings["CELERY_BROKER_URL"] == "redis://cache.internal:6379/2"
    assert settings["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/2"


POSTGRES = "postgres://app@db.internal:5432/backsourcing"


def test_production_keeps_connections_and_turns_postgres_jit_off(monkeypatch):
    """docs/performance.md, "PostgreSQL settings": a connection per worker for a minute,
    checked before reuse, and no JIT compiling of short queries."""
    database = load(monkeypatch, REDIS_URL="redis://r:6379/0", DATABASE_URL=POSTGRES)["DATABASES"][
        "default"
    ]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["options"] == "-c jit=off"


def test_jit_and_connection_age_can_be_set(monkeypatch):
    database = load(
        monkeypatch,
        REDIS_URL="redis://r:6379/0",
        DATABASE_URL=POSTGRES,
        DATABASE_JIT="true",
        DATABASE_CONN_MAX_AGE="0",
    )["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 0
    assert "options" not in database.get("OPTIONS", {})


def test_sqlite_gets_no_postgres_options(monkeypatch):
    database = load(monkeypatch, REDIS_URL="redis://r:6379/0")["DATABASES"]["default"]
    assert "options" not in database.get("OPTIONS", {})


@pytest.mark.django_db
def test_our_postgres_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
