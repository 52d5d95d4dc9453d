"""SQLite under `make run` never answers "database is locked": with 32 visitors at once — the
threaded development server takes every connection it is given — registering, sending contact
forms and analytics beacons while the task worker delivers the mail they cause, every request
is answered as it should be and every form is kept. WAL mode, IMMEDIATE transactions (a writer
takes the lock when it begins, so no transaction has to upgrade and fail) and a 20-second busy
timeout are what make it hold (config/settings.py)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.processes.site import free_port, launch_make_run, postgres_server

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        postgres_server() is not None, reason="make run's SQLite is tested in the SQLite pass"
    ),
]

VISITORS = 32
SECONDS = 20
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
BEACON_EVERY = 0.4  # seconds: at most 50 in the 20 seconds, within the limit of 60 a minute
BEACON = json.dumps({"events": [{"type": "page_view", "path": "/services/"}]}).encode()


class Visitor(threading.Thread):
    """One browser: its own cookies and its own address (the proxy header names it), so the
    per-address limits meet each visitor once, as on the real site."""

    def __init__(self, site: str, number: int, until: float) -> None:
        super().__init__(daemon=True)
        self.site, self.number, self.until = site, number, until
        self.address = f"10.9.{number}.1"
        self.answers: list[tuple[str, int]] = []
        self.contact_forms = 0
        self.browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def _send(self, what: str, request: urllib.request.Request) -> bytes:
        request.add_header("X-Forwarded-For", self.address)
        try:
            with self.browser.open(request, timeout=60) as response:
                self.answers.append((what, response.status))
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            self.answers.append((what, error.code))
            return b""

    def _form(self, path: str, fields: dict[str, str]) -> None:
        page = self._send(f"GET {path}", urllib.request.Request(self.site + path))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None, path
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **fields})
        self._send(
            f"POST {path}",
            urllib.request.Request(
                self.site + path, data=body.encode(), headers={"Referer": self.site + "/"}
            ),
        )

    def run(self) -> None:
        self._form(
            "/accounts/register/",
            {
                "full_name": f"Visitor {self.number}",
                "email": f"visitor{self.number}@example.com",
                "date_of_birth": "1990-04-25",
                "password": "Lavender-Harbour-42",
                "password_again": "Lavender-Harbour-42",
            },
        )
        round_ = 0
        while time.monotonic() < self.until:
            round_ += 1
            if round_ <= 4:  # within the contact form's limit of 5 an hour per address
                self._form(
                    "/contact/",
                    {
                        "full_name": f"Visitor {self.number}",
                        "email": f"visitor{self.number}@example.com",
                        "topic": "question",
                        "message": f"Question number {round_}: do you treat melasma?",
                    },
                )
                self.contact_forms += 1
            # A page sends a beacon or two a second at most; faster than the beacon's own limit
            # (60 a minute per address) would be a flood, answered 429 as it should be.
            time.sleep(BEACON_EVERY)
            self._send(
                "POST /api/v1/collect",
                urllib.request.Request(
                    self.site + "/api/v1/collect",
                    data=BEACON,
                    headers={"Content-Type": "application/json", "User-Agent": CHROME},
                ),
            )


def test_sqlite_under_make_run_never_answers_database_is_locked(tmp_path: Path) -> None:
    web_port, smtp_port = free_port(), free_port()
    launcher = launch_make_run(
        tmp_path,
        web_port=web_port,
        smtp_port=smtp_port,
        TRUSTED_PROXIES="127.0.0.1",  # the visitors' addresses come in the proxy header
    )
    site = f"http://127.0.0.1:{web_port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(site + "/healthz", timeout=5).status == 200:  # noqa: S310
                    break
            except OSError:
                time.sleep(0.3)
        until = time.monotonic() + SECONDS
        visitors = [Visitor(site, number, until) for number in range(VISITORS)]
        for visitor in visitors:
            visitor.start()
        for visitor in visitors:
            visitor.join(timeout=SECONDS + 120)
        time.sleep(5)  # the worker goes on delivering what the forms queued
    finally:
        launcher.send_signal(signal.SIGINT)
        output, _ = launcher.communicate(timeout=60)

    assert "database is locked" not in output
    assert "Traceback" not in output, output[-3000:]
    answers = [answer for visitor in visitors for answer in visitor.answers]
    unexpected = sorted(
        {(what, status) for what, status in answers if status not in {200, 204, 302}}
    )
    assert unexpected == []
    beacons = sum(1 for what, _ in answers if what == "POST /api/v1/collect")
    # The load was real: every visitor registered, sent a form and beacons, all at once.
    assert beacons >= VISITORS
    assert all(visitor.contact_forms >= 1 for visitor in visitors)
    with sqlite3.connect(tmp_path / "goodskin.sqlite3") as database:
        (kept,) = database.execute(
            "SELECT COUNT(*) FROM submissions_contactmessage WHERE email LIKE 'visitor%'"
        ).fetchone()
        (registered,) = database.execute(
            "SELECT COUNT(*) FROM accounts_user WHERE email LIKE 'visitor%'"
        ).fetchone()
    assert kept == sum(visitor.contact_forms for visitor in visitors)
    assert registered == VISITORS
