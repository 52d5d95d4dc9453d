"""Every limit and every "only once" rule under 50 simultaneous requests against a real, threaded
web server in its own process (on PostgreSQL in CI's PostgreSQL pass): the rule holds exactly,
not "about", however the requests interleave."""

from __future__ import annotations

import http.cookies
import json
import re
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest

from tests.processes.site import Site, opener, running_site

pytestmark = pytest.mark.processes
AT_ONCE = 50


OPENER = opener()  # follows no redirect: each answer is the one the site gave


class Visitor:
    """One browser: its cookies and the form token, shared by its simultaneous requests."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}
        self.token = ""

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = OPENER.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return int(response.status), response.read().decode()

    def get(self, path: str) -> str:
        status, body = self._send(urllib.request.Request(self.address + path))
        assert status == 200, (path, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        self.token = found.group(1) if found else self.token
        return body

    def post(self, path: str, fields: dict[str, str], forwarded_for: str = "") -> int:
        data = urlencode({"csrfmiddlewaretoken": self.token, **fields}).encode()
        request = urllib.request.Request(self.address + path, data=data, method="POST")
        request.add_header("Referer", self.address + path)
        if forwarded_for:
            request.add_header("X-Forwarded-For", forwarded_for)
        return self._send(request)[0]

    def post_json(self, path: str, body: dict[str, str], forwarded_for: str = "") -> int:
        request = urllib.request.Request(
            self.address + path, data=json.dumps(body).encode(), method="POST"
        )
        request.add_header("Content-Type", "application/json")
        if forwarded_for:
            request.add_header("X-Forwarded-For", forwarded_for)
        return self._send(request)[0]


def all_at_once(attempt: Callable[[int], int], count: int = AT_ONCE) -> Counter[int]:
    """Run `attempt(n)` for n in range(count) in as many threads, released together."""
    start = threading.Barrier(count)

    def go(number: int) -> int:
        start.wait()
        return attempt(number)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return Counter(pool.map(go, range(count)))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    # The test client is the proxy: each simultaneous request can come from its own visitor.
    with running_site(tmp_path, TRUSTED_PROXIES="127.0.0.1") as running:
        yield running


def one_request(site: Site, address: str, *, kind: str) -> str:
    """Rosa's request, opened through the API; its reference."""
    body = {"kind": kind, "state": "CA", "email": "rosa@example.com"}
    assert Visitor(address).post_json("/api/v1/rights/requests", body) == 201
    [(reference,)] = site.query("SELECT reference FROM rights_datarequest")
    return str(reference)


def audit_count(site: Site, event: str) -> int:
    rows = site.query(f"SELECT COUNT(*) FROM audit_auditentry WHERE event = '{event}'")  # noqa: S608
    count: int = rows[0][0]  # type: ignore[assignment]  # COUNT(*) is an int
    return count


ACCOUNT = """
import json
from goodskin.accounts.models import User
from goodskin.vault.actions import person_for_email
user = User.objects.create_user("{email}", "Lavender-Harbour-42",
    person=person_for_email(email="{email}"), full_name="Rosa Delgado", is_staff={staff})
if {staff}:
    User.objects.filter(pk=user.pk).update(is_superuser=True)
print(json.dumps(user.pk))
"""


def test_fifty_simultaneous_wrong_passwords_get_exactly_five_password_checks(site: Site) -> None:
    site.python(ACCOUNT.format(email="rosa@example.com", staff=False))
    address = site.serve()
    attacker = Visitor(address)
    attacker.get("/accounts/login/")

    answers = all_at_once(
        lambda n: attacker.post(
            "/accounts/login/",
            {"email": "rosa@example.com", "password": f"wrong-guess-{n}"},
            forwarded_for="198.51.100.66",
        )
    )

    assert answers == Counter({429: AT_ONCE - 5, 400: 5})
    assert audit_count(site, "account.sign_in_failed") == 5
    # The person, from their own device, still gets in at the first try.
    rosa = Visitor(address)
    rosa.get("/accounts/login/")
    status = rosa.post(
        "/accounts/login/",
        {"email": "rosa@example.com", "password": "Lavender-Harbour-42"},
        forwarded_for="203.0.113.7",
    )
    assert status == 302


def test_fifty_simultaneous_requests_in_one_name_open_three_and_mark_the_repeats(
    site: Site,
) -> None:
    address = site.serve()
    answers = all_at_once(
        lambda n: Visitor(address).post_json(
            "/api/v1/rights/requests",
            {"kind": "access", "state": "CA", "email": "rosa@example.com"},
            forwarded_for=f"198.51.100.{n + 1}",
        )
    )
    assert answers == Counter({201: 3, 429: AT_ONCE - 3})
    rows = site.query("SELECT id, duplicate_of_id FROM rights_datarequest ORDER BY id")
    assert len(rows) == 3
    first = rows[0][0]
    assert [duplicate for _, duplicate in rows] == [None, first, first]


def test_fifty_simultaneous_wrong_codes_count_exactly_five_and_lock_the_request(
    site: Site,
) -> None:
    address = site.serve()
    reference = one_request(site, address, kind="access")
    guesser = Visitor(address)
    guesser.get("/privacy/request/verify/")

    answers = all_at_once(
        lambda n: guesser.post(
            "/privacy/request/verify/", {"reference": reference, "code": f"{n:06d}"}
        )
    )

    assert answers == Counter({400: AT_ONCE})
    [(attempts, locked)] = site.query(
        "SELECT code_attempts, locked_until IS NOT NULL FROM rights_datarequest"
    )
    assert int(attempts) == 5  # type: ignore[call-overload]  # a count
    assert bool(locked)
    assert audit_count(site, "rights.code_failed") == 5


STAFF_FACTOR = """
import json
from goodskin.accounts.models import User
from goodskin.accounts.tests.signing_in import give_authenticator
print(json.dumps(give_authenticator(User.objects.get(email="{email}"))))
"""


def test_fifty_simultaneous_extensions_of_one_request_extend_it_once(site: Site) -> None:
    site.python(ACCOUNT.format(email="officer@goodskinclinics.com", staff=True))
    secret = str(site.python(STAFF_FACTOR.format(email="officer@goodskinclinics.com")))
    address = site.serve()
    reference = one_request(site, address, kind="delete")
    officer = Visitor(address)
    officer.get("/accounts/login/")
    signed_in = officer.post(
        "/accounts/login/",
        {"email": "officer@goodskinclinics.com", "password": "Lavender-Harbour-42"},
    )
    assert signed_in == 302
    officer.get("/console/sign-in/second-factor/")
    assert (
        officer.post("/console/sign-in/second-factor/", {"code": pyotp.TOTP(secret).now()}) == 302
    )
    officer.get(f"/console/requests/{reference}/")

    answers = all_at_once(
        lambda n: officer.post(
            f"/console/requests/{reference}/",
            {"action": "extend", "reason": "We need more time to search our paper records."},
        )
    )

    assert answers == Counter({302: 1, 400: AT_ONCE - 1})
    assert audit_count(site, "rights.request_extended") == 1
    extended = site.query(
        "SELECT COUNT(*) FROM communications_message WHERE template = 'rights/email/extended'"
    )
    assert extended == [(1,)]


def test_eighty_simultaneous_beacons_from_one_address_store_exactly_sixty_batches(
    site: Site,
) -> None:
    # The beacon's limit is counted in one statement (INSERT … ON CONFLICT DO UPDATE … WHERE):
    # however the requests interleave, 60 a minute pass and the rest store nothing.
    address = site.serve()
    browser = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0 Safari/537.36"
    )

    def beacon(number: int) -> int:
        body = json.dumps({"events": [{"type": "page_view", "path": "/services/"}]}).encode()
        request = urllib.request.Request(address + "/api/v1/collect", data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("User-Agent", browser)
        request.add_header("X-Forwarded-For", "198.51.100.80")
        try:
            return int(OPENER.open(request, timeout=60).status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    answers = all_at_once(beacon, count=80)

    assert answers == Counter({204: 60, 429: 20})
    assert site.query("SELECT COUNT(*) FROM tracking_pageevent") == [(60,)]
