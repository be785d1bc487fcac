"""Logs and error reports (docs/operations.md, "Logs, metrics and errors").

Read by the settings (the LOGGING dictionary, Sentry) and by gunicorn.conf.py (the JSON
formatter of gunicorn's own lines); through LOGGING, by every process: web, worker and beat.
Nothing here imports an app or Django's settings, so both can import it before Django is set
up.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from celery import current_task
from django.core.exceptions import ImproperlyConfigured
from django_guid.context import guid
from django_guid.log_filters import CorrelationId

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint

LOG_FORMATS = ("plain", "json")

# What every line says, in this order; JSON adds any `extra` a call passes.
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}
# django.request attaches the request object itself: its repr is the full path (calendar feed
# addresses carry a secret), and the status code and message already say what happened.
JSON_SKIPPED = ("request",)


# A calendar feed's address is its secret (docs/reminders.md): access lines name the feed,
# not the token.
SECRET_IN_PATH = re.compile(r"(/calendar/)[^/?#\s]+(\.ics)")


def redact_path(text: str) -> str:
    """`text` (a path or a request line) with every calendar feed token replaced by "…"."""
    return SECRET_IN_PATH.sub(r"\1…\2", text)


class RequestIdFilter(CorrelationId):
    """Adds `request_id`: django-guid's id of the HTTP request being served, or, in a Celery
    task, of the request that enqueued it (django-guid's Celery integration); "-" outside."""

    def __init__(self) -> None:
        super().__init__(correlation_id_field="request_id")

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return True


class TaskIdFilter(logging.Filter):
    """Adds `task_id`: the id of the Celery task running, so one task's lines can be found
    even when it was not enqueued by a request (beat's sweeps); "-" outside a task."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(current_task, "request", None) if current_task else None
        record.task_id = getattr(request, "id", None) or "-"
        return True


def formatter(log_format: str) -> dict[str, Any]:
    """A logging.config formatter for LOG_FORMAT ("plain" or "json")."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}"
        )
    if log_format == "plain":
        return {"format": PLAIN_FORMAT}
    from pythonjsonlogger.core import RESERVED_ATTRS

    return {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": JSON_FIELDS,
        "rename_fields": JSON_RENAMES,
        "reserved_attrs": [*RESERVED_ATTRS, *JSON_SKIPPED],
        "timestamp": True,
    }


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """Django's LOGGING: one console handler, every line with its request and task id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "core.observability.RequestIdFilter"},
            "task_id": {"()": "core.observability.TaskIdFilter"},
        },
        "formatters": {"default": formatter(log_format)},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id", "task_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # django-guid says at INFO, for every request, whether the header came in.
            "django_guid": {"level": "WARNING"},
        },
    }


def init_sentry(
    *, dsn: str, environment: str, traces_sample_rate: float, release: str | None
) -> None:
    """Report errors of Django and Celery to Sentry, without personal data: no cookies,
    users, IP addresses or request bodies (form fields hold people's names)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=tag_request_id,
    )


def tag_request_id(event: Event, hint: Hint) -> Event:
    """Name the request (or the enqueuing request of a task) in the report, as in the logs."""
    request_id = guid.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
