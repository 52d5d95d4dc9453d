"""Load test (issue 17): `make serve` — the production configuration, granian with its web
processes and a task worker — driven by wrk at 50 and 200 concurrent connections.

GET /, GET /privacy/ and POST /api/v1/collect (each beacon from another visitor, named by the
trusted proxy header) against a bare Django view served by the same processes, the floor. Each
line gives requests/s, p99 and errors, and the page's cost against the bare view. A request
answered with an error, or slower than 10 s (nginx would still be waiting), counts as an error;
any error makes the run fail. On PostgreSQL when DATABASE_URL is set, SQLite in a scratch folder
otherwise.

    .venv/bin/python bench/load_bench.py
    BENCH_CONNECTIONS="50 200 400" BENCH_SECONDS=10 .venv/bin/python bench/load_bench.py
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server_bench import POST_SCRIPT, ROOT, Load, free_port, wait_for, wrk  # noqa: E402

CONNECTIONS = [int(n) for n in os.environ.get("BENCH_CONNECTIONS", "50 200").split()]
PAGES = [
    ("bare", "/bench/bare/"),
    ("home", "/"),
    ("privacy", "/privacy/"),
    ("collect", "/api/v1/collect"),
]


def environment(scratch: Path) -> dict[str, str]:
    """The environment `make serve` gets: secrets given (so demo data, loaded first, is sealed
    under the same master key the server opens it with), the bench's bare view mounted."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.server_settings",
        "PYTHONPATH": str(ROOT),
        "GOODSKIN_VAR_DIR": str(scratch),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GOODSKIN_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "METRICS_TOKEN": secrets.token_urlsafe(32),
        "TRUSTED_PROXIES": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "WEB_PORT": str(free_port()),
        "SMTP_PORT": str(free_port()),
    }


def main() -> int:
    if shutil.which("wrk") is None:
        sys.exit("load_bench: wrk is not installed: apt-get install -y wrk")
    scratch = Path(tempfile.mkdtemp(prefix="goodskin-load-bench-"))
    env = environment(scratch)
    for arguments in (
        ["migrate", "--no-input", "-v", "0"],
        ["migrate", "--database", "keyring", "--no-input", "-v", "0"],
        ["load_demo_data", "--no-staff"],
    ):
        subprocess.run(  # noqa: S603  (our own manage.py)
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT, env=env | {"GOODSKIN_ENV": "development"}, check=True, capture_output=True,
        )  # fmt: skip
    serve = subprocess.Popen(  # noqa: S603  (our own `make serve`)
        [sys.executable, "scripts/serve.py"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    address = f"http://127.0.0.1:{env['WEB_PORT']}"
    script = scratch / "collect.lua"
    script.write_text(POST_SCRIPT)
    results: dict[tuple[str, int], Load] = {}
    try:
        wait_for(address)
        for connections in CONNECTIONS:
            for name, path in PAGES:
                body = script if name == "collect" else None
                wrk(f"{address}{path}", connections, body, timeout=10)  # warm every process
                results[(name, connections)] = wrk(
                    f"{address}{path}", connections, body, timeout=10
                )
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)
        shutil.rmtree(scratch, ignore_errors=True)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    errors = 0
    for (name, connections), load in results.items():
        bare = results[("bare", connections)]
        errors += load.errors
        print(  # noqa: T201
            f"load_{name}_c{connections}: {bare.per_second / load.per_second:.2f}x the bare "
            f"view's cost ({load.per_second:.0f} req/s, p99 {load.p99_ms:.0f} ms, {load.errors} "
            f"errors; bare view {bare.per_second:.0f} req/s; make serve on {database})"
        )
    if errors:
        print(f"load_bench: {errors} requests failed or took longer than 10 s")  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
