"""`make run` tells the app where it is served: SITE_URL follows HOST and PORT (issue 16).

The Makefile runs for real in a scratch copy of the project, with `manage.py` and
`celery` replaced by a script that records the SITE_URL each command sees.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")

# `runserver` waits (a little) for the worker and beat, which `make run` starts in the
# background and stops when runserver returns.
RECORDER = """\
import os, sys, time
with open("seen.txt", "a") as out:
    out.write(f"{sys.argv[1]} {os.environ.get('SITE_URL', '<unset>')}\\n")
if sys.argv[1] == "runserver":
    for _ in range(100):
        if {"worker", "beat"} <= {line.split()[0] for line in open("seen.txt")}:
            break
        time.sleep(0.05)
"""


@pytest.fixture
def project(tmp_path):
    """A scratch copy of the Makefile whose virtualenv counts as installed."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "requirements.txt").touch()
    (tmp_path / "requirements-dev.txt").touch()
    (tmp_path / ".venv").mkdir()
    stamp = tmp_path / ".venv" / ".installed"
    stamp.touch()
    later = time.time() + 60
    os.utime(stamp, (later, later))
    (tmp_path / "record.py").write_text(RECORDER)
    return tmp_path


def make_run(project, *args, env=None):
    """Run `make run ARGS` with recording stand-ins; return {command: SITE_URL seen}."""
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environment.update(env or {})
    recorder = f"{sys.executable} record.py"
    subprocess.run(  # noqa: S603 - our Makefile, fixed arguments
        [MAKE, "--no-print-directory", "run", f"MANAGE={recorder}", f"CELERY={recorder}", *args],
        cwd=project,
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )
    lines = (project / "seen.txt").read_text().splitlines()
    return dict(line.split(" ", 1) for line in lines)


def test_port_and_host_make_the_site_url(project):
    seen = make_run(project, "PORT=9123", "HOST=127.0.0.2")

    assert seen["runserver"] == "http://127.0.0.2:9123"
    assert seen["worker"] == "http://127.0.0.2:9123"  # e-mails are written by the worker
    assert seen["beat"] == "http://127.0.0.2:9123"


def test_the_defaults_match_the_settings_default(project):
    seen = make_run(project)

    assert seen["runserver"] == "http://127.0.0.1:8000"


def test_a_wildcard_bind_links_to_the_loopback(project):
    assert make_run(project, "HOST=0.0.0.0")["runserver"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize("where", ["environment", "command line"])
def test_a_site_url_given_wins(project, where):
    if where == "environment":
        seen = make_run(project, "PORT=9123", env={"SITE_URL": "https://bs.example.com"})
    else:
        seen = make_run(project, "PORT=9123", "SITE_URL=https://bs.example.com")

    assert seen["runserver"] == "https://bs.example.com"


def test_a_site_url_in_dotenv_wins(project):
    (project / ".env").write_text("DJANGO_DEBUG=on\nSITE_URL=https://bs.example.com\n")

    seen = make_run(project, "PORT=9123")

    # Not exported: settings read it from .env (the environment would override .env).
    assert seen["runserver"] == "<unset>"


def test_settings_read_the_exported_site_url():
    code = "from django.conf import settings; print(settings.SITE_URL)"
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="backsourcing.settings.local",
        SITE_URL="http://127.0.0.1:9123/",
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "http://127.0.0.1:9123"
