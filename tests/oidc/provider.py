"""Start and stop the test provider (tests/oidc/settings.py) as a separate process on a free
loopback port, and change its users while it runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent.parent
START_SECONDS = 30


class ProviderUnavailable(Exception):
    """The provider process could not be set up or did not answer in time."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Provider:
    def __init__(self, directory: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.openid = f"{self.url}/openid"
        self.log = directory / "provider.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.oidc.settings",
            "PYTHONPATH": str(BASE_DIR),
            "OIDC_TEST_PROVIDER_DB": str(directory / "provider.sqlite3"),
            "OIDC_TEST_PROVIDER_URL": self.url,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def _run(self, *args: str) -> None:
        try:
            done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, *args],
                cwd=BASE_DIR,
                env=self.env,
                capture_output=True,
                timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ProviderUnavailable(f"{' '.join(args)} took too long") from error
        if done.returncode:
            raise ProviderUnavailable(f"{' '.join(args)} failed: {done.stderr.decode()[-2000:]}")

    def start(self, *, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self._run("-m", "django", "migrate", "--verbosity", "0")
        self._run("-m", "tests.oidc.seed", "client", client_id, client_secret, redirect_uri)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "django",
                    "runserver",
                    "--noreload",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProviderUnavailable(f"the provider exited: {self.log.read_text()[-2000:]}")
            try:
                requests.get(f"{self.openid}/.well-known/openid-configuration", timeout=1)
            except requests.RequestException:
                time.sleep(0.2)
            else:
                return
        self.stop()
        raise ProviderUnavailable(f"no answer from {self.url} in {START_SECONDS}s")

    def user(self, username: str, password: str, *, groups: list[str]) -> None:
        """Create or update a provider user, its groups set to exactly `groups`."""
        self._run(
            "-m", "tests.oidc.seed", "user", username, password, f"{username}@example.com", *groups
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
