"""/healthz and /readyz for a load balancer, and the Celery heartbeats (docs/operations.md)."""

import contextlib
import os
import runpy
import sys
from datetime import timedelta

import pytest
from celery import current_app
from celery.signals import after_task_publish, beat_init
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import timezone

from health import checks, heartbeats, probe
from health.models import Heartbeat
from health.tasks import heartbeat

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1
# The queries of a ready answer: SELECT 1, the migration recorder's table check and its
# applied rows, and the heartbeats.
READY_QUERIES = 4


@contextlib.contextmanager
def broker(url):
    saved = current_app.conf.broker_url
    current_app.conf.update(broker_url=url)
    try:
        yield
    finally:
        current_app.conf.update(broker_url=saved)


class _DeadConnection:
    """Stands for a database that refuses connections, with a secret in its message."""

    def cursor(self):
        raise OperationalError('connection to "db.internal" failed: password=hunter2')


# Liveness


@pytest.mark.django_db
def test_liveness_answers_ok_without_a_query_or_a_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert not response.cookies
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "no-cache" in response["Cache-Control"]


# Readiness


@pytest.mark.django_db
def test_readiness_is_ok_when_database_migrations_and_broker_are(client, django_assert_num_queries):
    with django_assert_num_queries(READY_QUERIES):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "migrations": {"status": "ok"},
            "broker": {"status": "ok"},
        },
        "worker": {"last_heartbeat": None, "age_seconds": None},
        "beat": {"last_heartbeat": None, "age_seconds": None},
    }
    assert not response.cookies


@pytest.mark.django_db
def test_readiness_fails_with_503_when_the_broker_is_unreachable(client):
    with broker(UNREACHABLE):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"] == {"status": "fail", "problem": "broker unreachable"}
    assert body["checks"]["database"] == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_fails_when_a_migration_is_not_applied(client):
    MigrationRecorder.Migration.objects.filter(
        app="health", name="0002_seed_heartbeat_schedule"
    ).delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "status": "fail",
        "problem": "1 unapplied migration",
    }


@pytest.mark.django_db
def test_readiness_fails_without_leaking_the_error_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(checks, "connection", _DeadConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == {"status": "fail", "problem": "database unreachable"}
    assert body["checks"]["migrations"] == {
        "status": "fail",
        "problem": "applied migrations unknown",
    }
    assert body["worker"] == {"last_heartbeat": None, "age_seconds": None}
    assert "hunter2" not in response.content.decode()
    assert "db.internal" not in response.content.decode()


@pytest.mark.django_db
def test_a_failing_check_does_not_stop_the_others(client, monkeypatch):
    monkeypatch.setitem(checks.CHECKS, "broker", lambda: checks.CheckResult(False, "down"))
    body = client.get("/readyz").json()
    assert body["checks"]["broker"] == {"status": "fail", "problem": "down"}
    assert body["checks"]["database"] == body["checks"]["migrations"] == {"status": "ok"}


@pytest.mark.django_db
def test_stale_or_missing_heartbeats_are_reported_and_never_fail_readiness(client):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Heartbeat.objects.create(name="worker", at=an_hour_ago)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["worker"]["last_heartbeat"] == an_hour_ago.isoformat()
    assert 3599 <= body["worker"]["age_seconds"] <= 3660
    assert body["beat"] == {"last_heartbeat": None, "age_seconds": None}


@pytest.mark.redis
@pytest.mark.django_db
def test_readiness_reaches_a_real_redis_broker(client):
    with broker(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"status": "ok"}


def test_the_probes_take_no_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


# Heartbeats


@pytest.mark.django_db
def test_the_heartbeat_task_records_the_worker():
    heartbeat.run()
    assert heartbeats.last("worker") is not None
    assert heartbeats.last("beat") is None


@pytest.mark.django_db
def test_only_beat_records_beats_heartbeat_when_it_publishes_the_task(monkeypatch):
    monkeypatch.setattr(heartbeats, "_in_beat", False)
    heartbeat.apply_async()  # to the tests' in-memory broker, as beat would send it
    assert heartbeats.last("beat") is None  # a web node or a shell published it

    beat_init.send(sender=None)  # celery sends it when beat starts
    started = heartbeats.last("beat")
    assert started is not None
    after_task_publish.send(sender="reminders.sweep", body=None, exchange="", routing_key="")
    assert heartbeats.last("beat") == started  # another task is no heartbeat
    heartbeat.apply_async()
    assert heartbeats.last("beat") > started


@pytest.mark.django_db
def test_heartbeat_fresh_command_fails_on_a_missing_or_stale_heartbeat():
    with pytest.raises(CommandError, match="No beat heartbeat"):
        call_command("heartbeat_fresh", "beat")
    Heartbeat.objects.create(name="beat", at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(CommandError, match="older|old"):
        call_command("heartbeat_fresh", "beat", "--max-age", "180")
    call_command("heartbeat_fresh", "beat", "--max-age", "600")


# Hosts and HTTPS


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["app.example.com"], HEALTH_ALLOWED_HOSTS=["10.0.0.5"])
def test_a_listed_probe_host_reaches_only_the_two_probes(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.5").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/healthz/", HTTP_HOST="10.0.0.5").status_code == 400
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.5").status_code == 400
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/healthz", HTTP_HOST="app.example.com").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="app.example.com").status_code == 200


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["app.example.com"], HEALTH_ALLOWED_HOSTS=[])
def test_no_extra_probe_host_unless_listed(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.5").status_code == 400


def _production_settings(monkeypatch, **env):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-only-not-secret")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "app.example.com")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # The base settings read the environment too: import them afresh (restored after).
    monkeypatch.delitem(sys.modules, "backsourcing.settings.base")
    return runpy.run_module("backsourcing.settings.production")


@pytest.mark.parametrize(("allow_http", "probe_status"), [("true", 200), ("false", 301)])
def test_probes_escape_the_https_redirect_only_when_the_operator_allows(
    client, monkeypatch, allow_http, probe_status
):
    production = _production_settings(monkeypatch, HEALTH_ALLOW_HTTP=allow_http)
    exempt = production.get("SECURE_REDIRECT_EXEMPT", [])
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=exempt, ALLOWED_HOSTS=["testserver"]
    ):
        assert client.get("/healthz").status_code == probe_status
        home = client.get("/")
    assert home.status_code == 301
    assert home["Location"].startswith("https://")


# Docker's probe (health/probe.py)


@pytest.mark.django_db(transaction=True)
def test_the_docker_probe_passes_on_a_ready_server(live_server):
    assert probe.probe("/healthz", live_server.url) == 0
    assert probe.probe("/readyz", live_server.url) == 0


@pytest.mark.django_db(transaction=True)
def test_the_docker_probe_fails_on_a_503_or_no_server(live_server, monkeypatch, capsys):
    monkeypatch.setitem(checks.CHECKS, "broker", lambda: checks.CheckResult(False, "down"))
    assert probe.probe("/readyz", live_server.url) == 1
    assert probe.probe("/healthz", "http://127.0.0.1:1") == 1  # nothing listens on port 1
    assert probe.probe("/admin/", live_server.url) == 2
    assert probe.probe("/healthz", "file:///etc/passwd") == 2
    assert "503" in capsys.readouterr().err
