"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

On CI (CI=true) a missing Chromium fails the run; on a developer's machine these tests skip with a
loud message naming the package to install.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.fixtures import Settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to be called
# from such a thread unless told it is safe (it is: one test, one thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class _OneRequestAtATime(WSGIServer):
    """The live server answers one request at a time. With the in-memory SQLite test database every
    request thread would share one connection, and a page's parallel requests (the beacon, the
    consent script) could collide mid-statement; serving them in turn removes that race. Django
    closes each connection after its response when the server is not threaded."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


LiveServerThread.server_class = _OneRequestAtATime  # type: ignore[assignment]  # any server taking the same arguments will do

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            # The live server's requests touch both databases (data and keyring).
            item.add_marker(pytest.mark.django_db(transaction=True, databases="__all__"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = (
        f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
        "(or set CHROMIUM=/path/to/chromium)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    print(f"\n\n!!! BROWSER TESTS SKIPPED: {message} !!!\n")  # noqa: T201
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium_path: str
) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# Headless Chromium announces itself as "HeadlessChrome", which our analytics rightly drop as a
# robot; the tests browse as the desktop Chrome a patient would use.
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "user_agent": DESKTOP_CHROME}


@pytest.fixture
def site(live_server: Any, settings: Settings) -> str:
    """The live site with the demo content, and email links pointing at it."""
    settings.SITE_URL = live_server.url
    call_command("load_demo_data", "--no-staff", stdout=StringIO())
    return str(live_server.url)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = "axe-core is not installed: run `npm ci` (make test does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


def serious_accessibility_violations(page: Page, axe_source: str) -> list[str]:
    """Run axe-core on the page as it is now; return the serious and critical findings."""
    page.add_script_tag(content=axe_source)
    found: list[str] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return found


@pytest.fixture(scope="session")
def screenshot_folder() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


_LAST_STEP: dict[str, int] = {}  # by authenticator secret: each code is good once


def sign_in_to_console(page: Page, site: str, email: str, password: str) -> None:
    """Sign a member of staff in as a person does: the password, then the code their
    authenticator app shows now (the app is enrolled for them here when they have none)."""
    # Models load once pytest-django has set Django up, after this file is read.
    from goodskin.accounts import factors  # noqa: PLC0415
    from goodskin.accounts.models import SecondFactor, User  # noqa: PLC0415
    from goodskin.accounts.tests.signing_in import give_authenticator  # noqa: PLC0415

    user = User.objects.get(email=email)
    factor = SecondFactor.objects.filter(user=user, kind="authenticator").first()
    secret = factor.secret if factor is not None else give_authenticator(user)
    step = max(factors.current_step(timezone.now()), _LAST_STEP.get(secret, -1) + 1)
    _LAST_STEP[secret] = step
    page.goto(f"{site}/console/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        pyotp.TOTP(secret).generate_otp(step)
    )
    page.get_by_role("button", name="Continue").click()
