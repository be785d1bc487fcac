"""Sentry (docs/operations.md, "Logs, metrics and errors"): with SENTRY_DSN set, an error in a
page is reported, with its request id and without cookies, credentials or the user.

The DSN points at a small HTTP server in this test, standing in for Sentry; the application
runs in a process of its own, configured from the environment as in production, so Sentry's
hooks into Django never stay installed in the test process.
"""

import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUEST_ID = "5d0c3e52-2f0e-4b8b-9a52-6d5b3f1e8a11"

# The failing request, made in the child process with Django's test client.
CHILD = f"""
import django, sentry_sdk
django.setup()
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
with override_settings(ROOT_URLCONF="tests.health.sentry_urls"):
    client = Client(raise_request_exception=False)
    # Not a session cookie: the child has no database tables to look a session up in.
    client.cookies["preferences"] = "cookie-secret-value"
    response = client.get(
        "/explode/",
        HTTP_AUTHORIZATION="Token token-secret-value",
        HTTP_X_REQUEST_ID="{REQUEST_ID}",
        REMOTE_ADDR="203.0.113.9",
    )
    print("status", response.status_code)
sentry_sdk.flush(timeout=10)
"""


class Collector(BaseHTTPRequestHandler):
    received: list[bytes]

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    received: list[bytes] = []
    handler = type("Handler", (Collector,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


def events(envelopes: list[bytes]) -> list[dict]:
    """The "event" items of Sentry envelopes (a header line, then item header and payload
    lines)."""
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_an_error_in_a_page_reaches_sentry_without_personal_data(sentry_server, tmp_path):
    port, received = sentry_server
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backsourcing.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "SENTRY_DSN": f"http://public-key@127.0.0.1:{port}/1",
        "SENTRY_ENVIRONMENT": "staging",
        "SENTRY_RELEASE": "backsourcing@1.2.3",
    }
    child = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert "status 500" in child.stdout
    [event] = events(received)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ObservabilityProbeError"
    assert (event["environment"], event["release"]) == ("staging", "backsourcing@1.2.3")
    assert event["tags"]["request_id"] == REQUEST_ID
    raw = b"".join(received).decode()
    for secret in ("cookie-secret-value", "token-secret-value", "203.0.113.9"):
        assert secret not in raw
    request = event["request"]
    assert "cookies" not in request
    assert "Cookie" not in request.get("headers", {})
    assert "Authorization" not in request.get("headers", {})
    assert "ip_address" not in event.get("user", {})


def test_without_a_dsn_nothing_is_initialised():
    """The test process itself runs without SENTRY_DSN: no client is bound."""
    import sentry_sdk

    assert not sentry_sdk.get_client().is_active()
