"""docker-compose.yml as shipped passes `check --deploy` with no warning (issue 17, item 2).

The web service's environment is read from the file and interpolated as Compose does, with
only the variable an operator must give (DJANGO_SECRET_KEY); the check runs in a process with
exactly that environment. DATABASE_URL keeps compose's host name: checks do not connect.
"""

import os
import re
import secrets
import subprocess  # noqa: S404 - runs our own manage.py
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}; $$ is a "$".
VARIABLE = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class Unset(Exception):
    """A ${NAME:?message} whose variable the operator did not give."""


def interpolate(value: str, given: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        present = name in given and (given[name] != "" or not (op or "").startswith(":"))
        if present:
            return given[name]
        if op and op.endswith("?"):
            raise Unset(f"{name}: {arg}")
        return arg or ""

    return VARIABLE.sub(replace, value)


def service_environment(service: str, given: dict[str, str]) -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"][service]["environment"]
    return {name: interpolate(str(value), given) for name, value in environment.items()}


def check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a process with exactly `environment` (and PATH)."""
    return subprocess.run(  # noqa: S603 - our manage.py, our arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_compose_needs_a_secret_key():
    with pytest.raises(Unset, match="DJANGO_SECRET_KEY"):
        service_environment("web", {})


def test_the_web_service_as_shipped_passes_check_deploy_with_no_warning():
    environment = service_environment("web", {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)})
    assert environment["DJANGO_SETTINGS_MODULE"] == "backsourcing.settings.production"
    assert "DJANGO_SECURE_SSL_REDIRECT" not in environment

    result = check_deploy(environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_turning_the_redirect_off_is_still_a_warning():
    """The check that replaced Django's for our middleware (web/checks.py) is not vacuous."""
    environment = service_environment("web", {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)})
    environment["DJANGO_SECURE_SSL_REDIRECT"] = "false"

    result = check_deploy(environment)

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
