"""Browser fixtures: Debian's Chromium, headless and offline, against pytest-django's live server.

Every test here is marked `browser`: tests/conftest.py skips it without Chromium and fails
it under REQUIRE_SERVICES=1. Screenshots go to screenshots/, which git ignores; not under
test-results/, which pytest-playwright empties at the start of every run, browser or not.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests import services
from tests.checklist import restore_default_checklist
from transition.demo import seed_demo

# Playwright's sync API keeps an event loop in the test thread, and Django refuses ORM calls
# from a thread with a running loop. The live server answers requests in its own thread, so
# the test thread's factories and queries are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "pass-word-123"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"1366": DESKTOP, "390": PHONE}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium headless; never a browser Playwright downloads."""
    services.require("browser")
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium"),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": DESKTOP,
        "locale": "en-GB",
        "timezone_id": settings.TIME_ZONE,
    }


@pytest.fixture(autouse=True)
def _committed_data(transactional_db):
    """Rows the live server's thread can see: committed, then flushed after the test; the
    rows of data migrations an earlier test's flush removed are written again first."""
    restore_default_checklist()


@dataclass
class PageLog:
    """What the browser did behind the user's back: requests, console errors, page errors."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def offsite(self, live_url: str) -> list[str]:
        """Requests that went anywhere but the live server (data: URLs never leave the page)."""
        home = urlsplit(live_url)
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme != "data"
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (home.scheme, home.netloc)
        ]


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`
  );
});
"""


@pytest.fixture(autouse=True)
def _no_csp_violations(page: Page):
    """Every browser test fails when the Content-Security-Policy blocks anything on a page."""
    violations: list[str] = []
    page.expose_function("__reportCspViolation", lambda report: violations.append(report))
    page.add_init_script(CSP_LISTENER)
    yield violations
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(
        sorted(set(violations))
    )


@pytest.fixture
def page_log(page: Page) -> PageLog:
    log = PageLog()
    page.on("request", lambda request: log.requests.append(request.url))
    page.on(
        "console",
        lambda message: message.type == "error" and log.errors.append(f"console: {message.text}"),
    )
    page.on("pageerror", lambda error: log.errors.append(f"pageerror: {error}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and log.failed.append(f"{response.status} {response.url}")
        ),
    )
    return log


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig) -> Path:
    path = pytestconfig.rootpath / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shoot(screenshot_dir):
    """Save a full-page screenshot at laptop and phone width, then return to laptop width."""

    def shoot(page: Page, name: str) -> None:
        for label, size in WIDTHS.items():
            page.set_viewport_size(size)
            page.screenshot(path=screenshot_dir / f"{name}-{label}.png", full_page=True)
        page.set_viewport_size(DESKTOP)

    return shoot


@pytest.fixture
def sign_in(live_server):
    """Sign in through the real login form and land on the dashboard."""

    def sign_in(page: Page, username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    return sign_in


@pytest.fixture
def sign_out():
    def sign_out(page: Page) -> None:
        nav = page.get_by_role("navigation", name="Main")
        toggler = nav.get_by_role("button", name="Toggle navigation")
        if toggler.is_visible():
            toggler.click()
        nav.locator(".dropdown-toggle").last.click()
        nav.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("navigation", name="Main")).to_have_count(0)

    return sign_out


@pytest.fixture
def demo():
    """The demo programme: processes in every state, with plans, events and dates from today."""
    return seed_demo()
