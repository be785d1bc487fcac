"""Logs: one JSON object per line naming the request id (django-guid), which the response
returns as X-Request-ID and Celery tasks inherit (docs/operations.md, "Logs, metrics and
errors")."""

import contextlib
import io
import json
import logging.config
import time
import uuid

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_guid import clear_guid, set_guid

from core.observability import logging_config

VALID_ID = "9f1c2c4e-5b7a-4f7e-9b7a-1d2e3f4a5b6c"


@contextlib.contextmanager
def json_logging():
    """The production logging (LOG_FORMAT=json), writing to a buffer; yields a function
    reading the lines written so far, each parsed."""
    buffer = io.StringIO()
    config = logging_config("json", "INFO")
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        logging.config.dictConfig(settings.LOGGING)
        clear_guid()


@pytest.fixture
def json_lines():
    with json_logging() as lines:
        yield lines


@pytest.mark.django_db
def test_a_request_logs_one_json_line_with_the_id_it_returns(client, json_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=VALID_ID)
    assert response.status_code == 404
    assert response["X-Request-ID"] == VALID_ID
    [line] = json_lines()
    assert line["request_id"] == VALID_ID
    assert (line["level"], line["logger"]) == ("WARNING", "django.request")
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["timestamp"].startswith("20")
    assert line["task_id"] == "-"
    # The request object django.request attaches is left out (its repr is the full path).
    assert "request" not in line


@pytest.mark.django_db
def test_without_an_incoming_id_one_is_generated(client, json_lines):
    response = client.get("/no-such-page/")
    generated = response["X-Request-ID"]
    assert uuid.UUID(generated)
    assert [line["request_id"] for line in json_lines()] == [generated]


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["not-a-uuid", "1234", "<script>alert(1)</script>", "a" * 200])
def test_an_invalid_incoming_id_is_replaced(client, json_lines, given):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=given)
    replaced = response["X-Request-ID"]
    assert replaced != given
    assert uuid.UUID(replaced)
    [not_found] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert not_found["request_id"] == replaced


def test_plain_lines_name_the_request_id_too():
    config = logging_config("plain", "INFO")
    assert "%(request_id)s" in config["formatters"]["default"]["format"]


def test_an_unknown_log_format_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be one of plain, json"):
        logging_config("xml", "INFO")


@shared_task(name="tests.health.log_a_line")
def log_a_line():
    logging.getLogger("tests.health").info("Working on it.")


@pytest.mark.django_db
def test_a_task_logs_the_id_of_the_request_that_enqueued_it():
    """Through a real worker (in-memory broker, this process): django-guid's Celery
    integration carries the id in the message's headers. The worker sets Django up as it
    starts, which applies LOGGING again: the JSON logging is switched on after."""
    from backsourcing.celery import app

    worker = start_worker(app, pool="solo", perform_ping_check=False, loglevel="INFO")
    with worker, json_logging() as json_lines:
        set_guid(VALID_ID)
        result = log_a_line.delay()
        clear_guid()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            lines = [line for line in json_lines() if line["logger"] == "tests.health"]
            if lines:
                break
            time.sleep(0.1)
    [line] = lines
    assert line["message"] == "Working on it."
    assert line["request_id"] == VALID_ID
    assert line["task_id"] == result.id
