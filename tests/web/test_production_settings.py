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
