"""`make serve` runs the production configuration: granian with two web processes and two task
workers, ready once both databases are migrated and a worker ticks, static files hashed and
compressed, /metrics only for the token's holder. On PostgreSQL in CI's PostgreSQL pass."""

from __future__ import annotations

import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes.site import ROOT, Site, fetch, free_port, running_site

pytestmark = pytest.mark.processes


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with running_site(tmp_path) as running:
        yield running


def test_make_serve_runs_the_production_configuration_with_two_of_each(site: Site) -> None:
    port = free_port()
    site.run_program(
        sys.executable,
        str(ROOT / "scripts" / "serve.py"),
        WEB_PORT=str(port),
        WEB_WORKERS="2",
        TASK_WORKERS="2",
        SMTP_HOST="127.0.0.1",  # the test's own mail server, not a second sink
    )
    address = f"http://localhost:{port}"
    deadline = time.monotonic() + 90
    status = 0
    while time.monotonic() < deadline and status != 200:
        try:
            status = fetch(f"{address}/readyz")[0]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            status = 0
        time.sleep(0.5)
    assert status == 200, "serve did not become ready within 90 s"

    assert fetch(f"{address}/healthz")[:1] == (200,)
    _, _, home = fetch(f"{address}/")
    stylesheet = re.search(rb'href="(/static/website/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet is not None, "static files are served under hashed names"
    code, headers, _ = fetch(
        f"{address}{stylesheet.group(1).decode()}", **{"Accept-Encoding": "gzip"}
    )
    assert code == 200
    assert headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"]
    assert fetch(f"{address}/metrics")[0] == 401
    token = next(
        line.split("=", 1)[1]
        for line in (site.folder / "serve.env").read_text().splitlines()
        if line.startswith("METRICS_TOKEN=")
    )
    code, _, metrics = fetch(f"{address}/metrics", Authorization=f"Bearer {token}")
    assert code == 200
    assert b"goodskin_worker_heartbeat_age_seconds" in metrics
    workers = site.query("SELECT COUNT(*) FROM operations_heartbeat")
    assert workers[0][0] >= 1  # type: ignore[operator]  # a count


def test_production_without_a_required_variable_names_it_and_exits_non_zero(site: Site) -> None:
    result = site.manage("check", check=False, GOODSKIN_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_worker_that_cannot_reach_the_database_backs_off_and_says_so(site: Site) -> None:
    worker = site.run_program(
        sys.executable,
        "manage.py",
        "work",
        "--interval",
        "0.5",
        DATABASE_URL="postgres://goodskin@127.0.0.1:1/nowhere",  # nothing listens on port 1
    )
    # Read what it says as it says it (a loaded machine starts Python slowly): the second, longer
    # wait must come while it keeps running.
    assert worker.stdout is not None
    said, deadline = "", time.monotonic() + 90
    while "the worker tries again in 2 s" not in said and time.monotonic() < deadline:
        line = worker.stdout.readline()
        if not line:
            break
        said += line
    still_running = worker.poll() is None
    worker.terminate()
    rest, _ = worker.communicate(timeout=20)
    said += rest

    assert still_running
    assert worker.returncode == 0  # a stop asked for while waiting is a clean stop
    assert "database unreachable (OperationalError); the worker tries again in 1 s" in said
    assert "the worker tries again in 2 s" in said
