"""End to end: gunicorn with the production settings on loopback, and a browser-like client
logging in over plain http://127.0.0.1 (issue 17, item 2; web/https.py).

The same server redirects plain HTTP for its public name to HTTPS, and writes its access log
as gunicorn.conf.py says (docs/operations.md, "Logs, metrics and errors"). The database is a SQLite
file and nothing connects to Redis on these pages; static files are collected as the image
does, since production serves them from whitenoise's manifest.
"""

import json
import os
import re
import secrets
import socket
import subprocess  # noqa: S404 - starts our own manage.py and gunicorn
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
USERNAME = "trial-admin"
PASSWORD = secrets.token_urlsafe(16)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(  # noqa: S603 - our manage.py, our arguments
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
    )


def wait_until_serving(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode} while starting")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        # Refused before the socket is bound; a read timeout while the worker still boots
        # (the master accepts before the worker has loaded Django: seconds on a slow machine).
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.3)
    pytest.fail("gunicorn did not answer /healthz")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn serving the production settings on a loopback port: its URL and the file its
    access log (stdout) goes to."""
    var = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "backsourcing.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,app.example.com",
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "STATIC_ROOT": str(var / "static"),
        "MEDIA_ROOT": str(var / "media"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SUPERUSER_USERNAME": USERNAME,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "DJANGO_SUPERUSER_EMAIL": "trial@example.com",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "createsuperuser", "--noinput")
    gunicorn = [str(Path(PYTHON).parent / "gunicorn"), "backsourcing.wsgi"]
    access_log = var / "access.log"
    with access_log.open("w") as stdout:
        process = subprocess.Popen(  # noqa: S603 - our app, our arguments
            [*gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=stdout,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(url, process)
            yield SimpleNamespace(url=url, access_log=access_log)
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def server_url(server):
    return server.url


def test_a_browser_logs_in_over_plain_http_on_127_0_0_1(server_url):
    browser = requests.Session()
    page = browser.get(f"{server_url}/accounts/login/", allow_redirects=False, timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    answer = browser.post(
        f"{server_url}/accounts/login/",
        data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Origin": server_url, "Referer": f"{server_url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )

    assert answer.status_code == 302, answer.text[:500]
    # requests, like a browser, keeps a Secure cookie away from http: these must not be.
    session_cookie = next(c for c in browser.cookies if c.name == "sessionid")
    assert not session_cookie.secure
    home = browser.get(f"{server_url}/", allow_redirects=False, timeout=30)
    assert home.status_code == 200
    assert USERNAME in home.text


def test_the_same_server_sends_its_public_name_to_https(server_url):
    answer = requests.get(
        f"{server_url}/accounts/login/",
        headers={"Host": "app.example.com"},
        allow_redirects=False,
        timeout=30,
    )

    assert answer.status_code == 301
    assert answer.headers["Location"] == "https://app.example.com/accounts/login/"


def test_access_lines_are_json_with_the_request_id_and_no_calendar_token(server):
    """gunicorn.conf.py: one JSON access line per request on stdout, naming the request id the
    application returned; a calendar feed's secret token never reaches the log."""
    request_id = str(uuid4())
    token = secrets.token_urlsafe(24)
    answer = requests.get(
        f"{server.url}/calendar/{token}.ics",
        headers={"X-Request-ID": request_id},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.headers["X-Request-ID"] == request_id

    deadline = time.monotonic() + 10
    lines: list[dict] = []
    while time.monotonic() < deadline and not lines:
        text = server.access_log.read_text()
        lines = [
            json.loads(line)
            for line in text.splitlines()
            if line.startswith("{") and request_id in line
        ]
        time.sleep(0.2)

    assert len(lines) == 1, server.access_log.read_text()[-2000:]
    line = lines[0]
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        "/calendar/….ics",
        str(answer.status_code),
    )
    assert token not in server.access_log.read_text()
