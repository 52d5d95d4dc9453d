"""Analytics benchmarks (issue 4), each a ratio against a baseline in the same run:

(a) collect_vs_empty_endpoint: POST /api/v1/collect with one event, through the full middleware
    stack, against an empty POST endpoint behind the same stack; and events/s in batches of 20.
(b) dashboard_vs_raw_sql: the dashboard's numbers for a year (daily series, top pages, referrers,
    devices, funnel) over BENCH_EVENTS events (default 10 000 000), read from the nightly daily
    summaries, against the daily-series aggregate alone computed over the raw events in plain SQL.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test.utils import override_settings

from goodskin.tracking import queries
from goodskin.tracking.actions import Incoming, record_events, roll_up_day
from goodskin.tracking.minimise import Device

EVENTS = int(os.environ.get("BENCH_EVENTS", "10000000"))
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
INSERT = (
    "INSERT INTO tracking_pageevent (occurred_at, kind, path, previous_path, referrer_host, "
    "visitor, consented, ip_prefix, device, browser, os, screen, language) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


# Each beacon comes from another visitor, as on the real site: from one address the beacon's own
# limit (60 a minute) would refuse nearly all of them.
_VISITORS = itertools.count(1)


def _post(handler: WSGIHandler, path: str, body: bytes) -> None:
    visitor = next(_VISITORS)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": CHROME,
        "REMOTE_ADDR": f"10.{visitor >> 16 & 255}.{visitor >> 8 & 255}.{visitor & 255}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status: list[str] = []

    def start_response(code: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        status.append(code)
        return None

    b"".join(handler(environ, start_response))
    if not status[0].startswith("204"):
        raise RuntimeError(f"{path} answered {status[0]}")


def _per_call(run: Callable[[], None], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        run()
    return (time.perf_counter() - started) / count


PAGES = ["/", "/services/", "/team/", "/clinics/", "/contact/", "/consultation/", "/privacy/"]


def _ingest(report: Callable[[str], None]) -> None:
    one = json.dumps({"events": [{"type": "page_view", "path": "/services/"}]}).encode()
    twenty = json.dumps(
        {"events": [{"type": "page_view", "path": PAGES[i % len(PAGES)]} for i in range(20)]}
    ).encode()
    with override_settings(ROOT_URLCONF="bench.urls"):
        handler = WSGIHandler()
        # Warm both to a steady state first: the first few thousand writes also grow SQLite's
        # write-ahead log and the counters' index, which a running site has long since done.
        for _ in range(3000):
            _post(handler, "/api/v1/collect", one)
            _post(handler, "/bench/empty/", one)
        rounds = [
            (
                _per_call(lambda: _post(handler, "/api/v1/collect", one), 400),
                _per_call(lambda: _post(handler, "/bench/empty/", one), 400),
            )
            for _ in range(3)
        ]
        batch = statistics.median(
            _per_call(lambda: _post(handler, "/api/v1/collect", twenty), 100) for _ in range(3)
        )
        write = statistics.median(_per_call(_write_one, 400) for _ in range(3))
    ours = statistics.median(r[0] for r in rounds)
    empty = statistics.median(r[1] for r in rounds)
    report(
        f"collect_vs_empty_endpoint: {ours / empty:.2f}x "
        f"({ours * 1e6:.0f} µs vs {empty * 1e6:.0f} µs per request, of which {write * 1e6:.0f} µs "
        f"is the write itself — the limit's count, the insert and the commit, with no request; "
        f"{20 / batch:,.0f} events/s in batches of 20 on one process)"
    )


_EVENT = Incoming(
    kind="page_view", occurred_at=datetime(2026, 1, 5, tzinfo=UTC), path="/services/",
    previous_path="", referrer_host="", screen="",
)  # fmt: skip
_DEVICE = Device(kind="desktop", browser="Chrome", os="Linux")


def _write_one() -> None:
    """The floor under the beacon: what record_events does for one event, called directly."""
    number = next(_VISITORS)
    sender = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
    record_events(
        events=[_EVENT], visitor="0" * 32, consented=False, ip_prefix="10.0.0.0",
        device=_DEVICE, language="en", sender_address=sender, now=datetime.now(UTC),
    )  # fmt: skip


def _populate(progress: Callable[[str], None]) -> tuple[date, date]:
    start = datetime(2025, 12, 1, 8, tzinfo=UTC)
    rng = random.Random(11)  # noqa: S311  (synthetic traffic, not secrets)
    paths = PAGES
    referrers = ["", "", "", "www.google.com", "www.instagram.com", "www.yelp.com"]
    devices = ["mobile", "mobile", "desktop", "tablet"]
    if connection.vendor == "postgresql":
        _populate_in_the_server(start, paths, referrers, devices, progress)
        first = date(2025, 12, 1)
        return first, first + timedelta(days=364)
    rows = []
    with connection.cursor() as cursor:
        for number in range(EVENTS):
            moment = start + timedelta(seconds=rng.randrange(365 * 86400))
            rows.append(
                (moment, "page_view", rng.choice(paths), "", rng.choice(referrers),
                 f"d{rng.randrange(3_000_000):031d}", False, "203.0.113.0", rng.choice(devices),
                 "Chrome", "Android", "400x850", "en")
            )  # fmt: skip
            if len(rows) == 100_000:
                with transaction.atomic():
                    cursor.executemany(INSERT, rows)
                rows = []
                if (number + 1) % 1_000_000 == 0:
                    progress(f"wrote {number + 1:,} analytics events")
        if rows:
            with transaction.atomic():
                cursor.executemany(INSERT, rows)
    first = date(2025, 12, 1)
    return first, first + timedelta(days=364)


def _populate_in_the_server(
    start: datetime,
    paths: list[str],
    referrers: list[str],
    devices: list[str],
    progress: Callable[[str], None],
) -> None:
    """The same traffic drawn by PostgreSQL itself, a million rows a statement: tens of millions
    of rows sent one by one from Python would take the better part of an hour."""
    pick = "(%s::text[])[1 + floor(random() * %s)::int]"
    statement = (
        "INSERT INTO tracking_pageevent (occurred_at, kind, path, previous_path, referrer_host, "  # noqa: S608  (fixed text)
        "visitor, consented, ip_prefix, device, browser, os, screen, language) "
        f"SELECT %s::timestamptz + floor(random() * 31536000) * interval '1 second', "
        f"'page_view', {pick}, '', {pick}, "
        "'d' || lpad(floor(random() * 3000000)::bigint::text, 31, '0'), FALSE, '203.0.113.0', "
        f"{pick}, 'Chrome', 'Android', '400x850', 'en' FROM generate_series(1, %s)"
    )
    with connection.cursor() as cursor:
        for first in range(0, EVENTS, 1_000_000):
            size = min(1_000_000, EVENTS - first)
            with transaction.atomic():
                cursor.execute(
                    statement,
                    [start, paths, len(paths), referrers, len(referrers), devices, len(devices),
                     size],
                )  # fmt: skip
            progress(f"wrote {first + size:,} analytics events")


def _dashboard(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    first, last = _populate(progress)
    started = time.perf_counter()
    day = first
    while day <= last:
        roll_up_day(day=day)
        day += timedelta(days=1)
    roll_up_seconds = (time.perf_counter() - started) / 365
    progress("rolled up 365 days")
    today = last + timedelta(days=1)

    def ours() -> None:
        rows = queries.totals(first, last, today=today)
        queries.daily(rows, first, last)
        for dimension in ("path", "referrer", "device"):
            queries.top(rows, dimension)
        queries.funnel(rows)

    low, high = queries.bounds(first, last)

    # The clinic's day (Los Angeles, eight hours behind UTC in winter), in each engine's words.
    local_day = (
        "date(occurred_at, '-8 hours')"
        if connection.vendor == "sqlite"
        else "CAST(occurred_at - INTERVAL '8 hours' AS date)"
    )

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {local_day} AS day, COUNT(*), COUNT(DISTINCT visitor) "  # noqa: S608  (fixed)
                "FROM tracking_pageevent WHERE kind = 'page_view' AND occurred_at >= %s "
                "AND occurred_at < %s GROUP BY day",
                [low, high],
            )
            cursor.fetchall()

    dashboard = statistics.median(_per_call(ours, 1) for _ in range(5))
    baseline = statistics.median(_per_call(raw, 1) for _ in range(3))
    report(
        f"dashboard_vs_raw_sql: {dashboard / baseline:.4f}x "
        f"({dashboard * 1000:.1f} ms for the whole dashboard over a year vs "
        f"{baseline * 1000:.0f} ms for one raw daily aggregate over {EVENTS:,} events; "
        f"nightly roll-up {roll_up_seconds * 1000:.0f} ms per day)"
    )


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    _ingest(report)
    _dashboard(report, progress)
