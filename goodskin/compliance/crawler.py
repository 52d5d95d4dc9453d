"""The browser crawl behind the cookie clause: every public page, opened in headless Chromium in
each consent state a visitor can be in — no choice yet, everything refused, everything allowed,
and Global Privacy Control — recording every request's origin, every cookie and every storage
key. Cookie scanners observe; this ties what it sees to the policy: anything from another
origin, anything not declared in core.datamap.BROWSER_ITEMS, or anything set before the consent
it waits for, is a failure.

In production the public site itself (SITE_URL) is crawled, as visitors get it through nginx;
elsewhere this code is served in-process on a free local port, against the same database.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

from goodskin.core.datamap import BROWSER_ITEMS

PAGES = (
    "/", "/services/", "/team/", "/clinics/", "/contact/", "/consultation/", "/privacy/",
    "/privacy/state-notice/", "/privacy/versions/", "/privacy/choices/", "/privacy/request/",
    "/terms/", "/accounts/login/", "/accounts/register/",
)  # fmt: skip
STATES = ("no choice", "refused", "allowed", "gpc")
GPC_SCRIPT = "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})"
# Which consents each state gives: an item that waits for one may appear only where it is given.
GIVEN = {
    "no choice": set(),
    "refused": set(),
    "allowed": {"analytics", "preferences"},
    "gpc": set(),
}


class ChromiumMissing(RuntimeError):
    pass


def chromium() -> str:
    for candidate in (
        os.environ.get("CHROMIUM", ""),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise ChromiumMissing("Chromium is not installed (apt-get install -y chromium)")
    return found


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (the base's name)
        return None  # the crawl's requests are not the site's traffic


@contextmanager
def served() -> Iterator[str]:
    if getattr(settings, "PRODUCTION", False):
        yield settings.SITE_URL.rstrip("/")
        return
    server = make_server(
        "127.0.0.1", 0, StaticFilesHandler(get_wsgi_application()), _Server, _Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Seen:
    pages: int = 0
    requests: int = 0
    other_origins: set[str] = field(default_factory=set)
    undeclared: set[str] = field(default_factory=set)
    before_consent: set[str] = field(default_factory=set)
    failed_pages: set[str] = field(default_factory=set)


def _choose(page: object, base: str, state: str) -> None:
    """Put the browser in the consent state the way a visitor does: the choices page's form."""
    if state not in {"refused", "allowed"}:
        return
    page.goto(f"{base}/privacy/choices/")  # type: ignore[attr-defined]
    for name in ("preferences", "analytics"):
        box = page.locator(f'input[name="{name}"]')  # type: ignore[attr-defined]
        if state == "allowed":
            box.check()
        else:
            box.uncheck()
    page.locator("form.choices-form button[type=submit]").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def crawl() -> Seen:
    """Crawl in a thread of its own: Playwright's synchronous API refuses to run where an event
    loop is already running (an async caller, or a test process with Playwright's plugin)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_crawl).result()


def _crawl() -> Seen:
    from playwright.sync_api import Error as PlaywrightError  # noqa: PLC0415  (loaded to crawl)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    declared = {(item.kind, item.name): item for item in BROWSER_ITEMS}
    seen = Seen()
    with served() as base, sync_playwright() as playwright:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
        browser = playwright.chromium.launch(executable_path=chromium())
        try:
            for state in STATES:
                gpc = state == "gpc"
                context = browser.new_context(
                    extra_http_headers={"Sec-GPC": "1"} if gpc else {},
                    user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                    "Gecko) Chrome/131.0 Safari/537.36 GoodSkinComplianceCrawler",
                )
                if gpc:
                    context.add_init_script(GPC_SCRIPT)
                page = context.new_page()

                def count(request: object) -> None:
                    seen.requests += 1
                    url = request.url  # type: ignore[attr-defined]
                    if url.startswith(("data:", "blob:", "about:")):
                        return
                    if not url.startswith(origin + "/"):
                        seen.other_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(url)))

                page.on("request", count)
                try:
                    _choose(page, base, state)
                except PlaywrightError:
                    seen.failed_pages.add(f"/privacy/choices/ ({state})")
                stored: set[tuple[str, str]] = set()
                for path in PAGES:
                    seen.pages += 1
                    try:
                        answer = page.goto(base + path, wait_until="networkidle")
                    except PlaywrightError:  # unreachable, or no answer in time: a failed page
                        seen.failed_pages.add(path)
                        continue
                    if answer is None or answer.status >= 400:
                        seen.failed_pages.add(path)
                    for kind in ("localStorage", "sessionStorage"):
                        for key in page.evaluate(f"Object.keys(window.{kind})"):
                            stored.add((kind, key))
                stored |= {("cookie", cookie["name"]) for cookie in context.cookies()}
                for kind, name in stored:
                    item = declared.get((kind, name))
                    if item is None:
                        seen.undeclared.add(f"{kind} {name}")
                    elif item.waits_for and item.waits_for not in GIVEN[state]:
                        seen.before_consent.add(f"{kind} {name} ({state})")
                context.close()
        finally:
            browser.close()
    return seen
