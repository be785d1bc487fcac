"""The readiness rule of a web node, in one place (docs/operations.md, "Health checks").

Ready means: the database answers, every migration this code ships is applied, and the
Celery broker accepts a connection. The worker's and beat's heartbeats are reported next to
it but never make a node unready: pages work without them, and taking every web node out of
the load balancer because the worker stalled would turn a late e-mail into an outage.

Small hand-written checks rather than django-health-check: its 4.x view answers 500 (not
503) in its own JSON shape, has no migrations check and probes the worker rather than the
broker; what we would reuse is a `SELECT 1`.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from celery import current_app
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from . import heartbeats

logger = logging.getLogger(__name__)

# Seconds the broker gets to accept a connection (on top of the transport's own
# socket_connect_timeout, settings CELERY_BROKER_TRANSPORT_OPTIONS).
BROKER_TIMEOUT = 3


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    # A fixed, short reason: never an exception's text (it may name hosts or users).
    problem: str = ""

    def as_json(self) -> dict[str, str]:
        return {"status": "ok"} if self.ok else {"status": "fail", "problem": self.problem}


OK = CheckResult(ok=True)


def check_database() -> CheckResult:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Readiness: the database does not answer.", exc_info=True)
        return CheckResult(False, "database unreachable")
    return OK


def unapplied_migrations() -> int:
    """How many of the code's migrations the database has not applied."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def check_migrations() -> CheckResult:
    try:
        count = unapplied_migrations()
    except DatabaseError:
        logger.warning("Readiness: could not read the applied migrations.", exc_info=True)
        return CheckResult(False, "applied migrations unknown")
    if count:
        return CheckResult(False, f"{count} unapplied migration{'s' if count > 1 else ''}")
    return OK


def check_broker() -> CheckResult:
    try:
        with current_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
    except Exception:  # any transport's error: the node is unready, the reason is logged
        logger.warning("Readiness: the Celery broker does not answer.", exc_info=True)
        return CheckResult(False, "broker unreachable")
    return OK


# Named so tests can replace one check (monkeypatch) and the JSON keeps a stable order.
CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
}


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, CheckResult]
    heartbeats: dict[str, datetime | None]

    @property
    def ready(self) -> bool:
        return all(result.ok for result in self.checks.values())

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "status": "ok" if self.ready else "fail",
            "checks": {name: result.as_json() for name, result in self.checks.items()},
        }
        for name, at in self.heartbeats.items():
            body[name] = {
                "last_heartbeat": at.isoformat() if at else None,
                "age_seconds": heartbeats.age_seconds(at),
            }
        return body


def _read_heartbeats(database_ok: bool) -> dict[str, datetime | None]:
    unknown: dict[str, datetime | None] = {heartbeats.WORKER: None, heartbeats.BEAT: None}
    if not database_ok:
        return unknown
    try:
        return heartbeats.last_heartbeats()
    except DatabaseError:  # e.g. the health migration not applied yet: reported, not fatal
        logger.warning("Readiness: could not read the heartbeats.", exc_info=True)
        return unknown


def readiness() -> Readiness:
    """Run every check (none stops the others) and read the heartbeats."""
    results = {name: check() for name, check in CHECKS.items()}
    return Readiness(checks=results, heartbeats=_read_heartbeats(results["database"].ok))
