"""App-server benchmark (issue 17): gunicorn against granian on this project, with wrk.

Each server runs the site with the same number of worker processes and threads, on the same
prepared SQLite database, one after the other; wrk drives GET /, GET /privacy/ and
POST /api/v1/collect at 50 connections, and a bare Django view in the same server is the
floor. Lines report requests/s, p99, and each page's cost against the bare view in that server.

    .venv/bin/python bench/server_bench.py            # both servers
    BENCH_SERVERS=gunicorn .venv/bin/python bench/server_bench.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
CONNECTIONS = [int(n) for n in os.environ.get("BENCH_CONNECTIONS", "50").split()]
EVENT = json.dumps({"events": [{"type": "page_view", "path": "/services/"}]})
# Each beacon comes from a different visitor (a random address the trusted proxy names), as on
# the real site; from one address the beacon's own limit would refuse most of them.
POST_SCRIPT = (
    'wrk.method = "POST"\n'
    f"wrk.body = {json.dumps(EVENT)}\n"
    'wrk.headers["Content-Type"] = "application/json"\n'
    'wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"\n'
    "request = function()\n"
    '  wrk.headers["X-Forwarded-For"] = "10." .. math.random(0, 255) .. "." ..\n'
    '    math.random(0, 255) .. "." .. math.random(1, 254)\n'
    "  return wrk.format(nil)\n"
    "end\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(scratch: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.server_settings",
        "GOODSKIN_ENV": "development",
        "DEBUG": "false",
        "GOODSKIN_VAR_DIR": str(scratch),
        "LOG_LEVEL": "ERROR",
        "TRUSTED_PROXIES": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }


def prepare(scratch: Path) -> None:
    env = environment(scratch)
    for arguments in (
        ["migrate", "--no-input", "-v", "0"],
        ["migrate", "--database", "keyring", "--no-input", "-v", "0"],
        ["load_demo_data", "--no-staff"],
        ["collectstatic", "--no-input", "-v", "0"],
    ):
        subprocess.run(  # noqa: S603  (our own manage.py)
            [PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True, capture_output=True
        )


def command(server: str, port: int) -> list[str]:
    if server == "gunicorn":
        return [
            PYTHON, "-m", "gunicorn", "config.wsgi:application", f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}", f"--threads={THREADS}", "--log-level=warning",
        ]  # fmt: skip
    return [
        PYTHON, "-m", "granian", "--interface", "wsgi", "config.wsgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS),
        "--blocking-threads", str(THREADS), "--log-level", "warning", "--no-ws",
    ]  # fmt: skip


def wait_for(address: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{address}/bench/bare/", timeout=10)  # noqa: S310  (our server)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the server at {address} did not answer within 60 s")


@dataclass(frozen=True)
class Load:
    per_second: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]  # wrk's format
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, connections: int, script: Path | None = None, *, timeout: int = 2) -> Load:
    """wrk's figures; a request slower than `timeout` seconds counts as an error."""
    arguments = [
        "wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", f"--timeout={timeout}s", "--latency",
        url,
    ]  # fmt: skip
    if script is not None:
        arguments[1:1] = ["-s", str(script)]
    out = subprocess.run(arguments, capture_output=True, text=True, check=True).stdout  # noqa: S603
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return Load(per_second, p99, errors)


def run_server(server: str, scratch: Path, script: Path) -> dict[tuple[str, int], Load]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603  (our own server command)
        command(server, port), cwd=ROOT, env=environment(scratch), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    address = f"http://127.0.0.1:{port}"
    try:
        wait_for(address)
        results = {}
        for connections in CONNECTIONS:
            for name, path, body in (
                ("bare", "/bench/bare/", None),
                ("home", "/", None),
                ("privacy", "/privacy/", None),
                ("collect", "/api/v1/collect", script),
            ):
                wrk(f"{address}{path}", connections, body)  # warm every worker first
                results[(name, connections)] = wrk(f"{address}{path}", connections, body)
        return results
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("server_bench: wrk is not installed: apt-get install -y wrk")
    servers = os.environ.get("BENCH_SERVERS", "gunicorn granian").split()
    scratch = Path(tempfile.mkdtemp(prefix="goodskin-server-bench-"))
    try:
        prepare(scratch)
        script = scratch / "collect.lua"
        script.write_text(POST_SCRIPT)
        measured = {server: run_server(server, scratch, script) for server in servers}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for server, results in measured.items():
        for (name, connections), load in results.items():
            bare = results[("bare", connections)]
            print(  # noqa: T201
                f"server_{server}_{name}_c{connections}: {bare.per_second / load.per_second:.2f}x "
                f"the bare view's cost ({load.per_second:.0f} req/s, p99 {load.p99_ms:.1f} ms, "
                f"{load.errors} errors; bare view {bare.per_second:.0f} req/s)"
            )
    if len(measured) == 2:
        first, second = servers
        for name in ("home", "privacy", "collect"):
            for connections in CONNECTIONS:
                a, b = measured[first][(name, connections)], measured[second][(name, connections)]
                print(  # noqa: T201
                    f"server_{second}_vs_{first}_{name}_c{connections}: "
                    f"{a.per_second / b.per_second:.2f}x the time per request "
                    f"({b.per_second:.0f} vs {a.per_second:.0f} req/s, "
                    f"p99 {b.p99_ms:.1f} vs {a.p99_ms:.1f} ms)"
                )


if __name__ == "__main__":
    main()
