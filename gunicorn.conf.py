"""Gunicorn's logging (docs/operations.md, "Logs, metrics and errors").

Gunicorn reads this file from the working directory by itself; the Dockerfile, the README's
deployment command and bench/run.py also name it (`--config gunicorn.conf.py`). Bind address
and workers stay on the command line.

Every request gets one access line on stdout, naming the request id our middleware returned
(X-Request-ID, django-guid), so an access line and the application's lines about the same
request share it. With LOG_FORMAT=json (the default, as in the production settings) gunicorn's
lines are JSON objects like the application's; LOG_FORMAT=plain gives Apache-style text.

Nothing from the `backsourcing` package is imported here: loading it would choose Django's
settings module before backsourcing/wsgi.py does.
"""

import logging
import os

from core.observability import formatter, redact_path

accesslog = "-"  # stdout
errorlog = "-"  # stderr
# Apache's combined format, then the request id and the time taken in milliseconds.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s %(M)sms'
)

LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")


class AccessFields(logging.Filter):
    """Copies what a JSON access line is searched by out of gunicorn's values (the record's
    arguments): the request id, method, path (without the query string), status and time.
    Calendar feed tokens are secrets: they are replaced in the path, the request line and the
    referrer before anything is written, in either format."""

    REDACTED = ("r", "U", "f")

    FIELDS = {
        "request_id": "{x-request-id}o",
        "method": "m",
        "path": "U",
        "status": "s",
        "duration_ms": "M",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        values = record.args if isinstance(record.args, dict) else {}
        for atom in self.REDACTED:
            if isinstance(values.get(atom), str):
                values[atom] = redact_path(values[atom])
        for field, atom in self.FIELDS.items():
            value = values.get(atom)
            setattr(record, field, "-" if value is None else value)
        record.task_id = "-"
        return True


class ProcessFields(logging.Filter):
    """Gunicorn's own messages (start, workers, timeouts) belong to no request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = record.task_id = "-"
        return True


# Gunicorn's lines: JSON like the application's, or, with LOG_FORMAT=plain, the access line
# as access_log_format writes it and its own messages as the application's plain ones.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"access": {"()": AccessFields}, "process": {"()": ProcessFields}},
    "formatters": {
        "access": formatter("json") if LOG_FORMAT == "json" else {"format": "%(message)s"},
        "process": formatter(LOG_FORMAT),
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "access",
            "filters": ["access"],
        },
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "process",
            "filters": ["process"],
        },
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        # No level: --log-level (gunicorn's loglevel) decides.
        "gunicorn.error": {"handlers": ["error"], "propagate": False},
    },
}
