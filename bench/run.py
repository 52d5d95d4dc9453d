"""`make bench`: the performance suite. Each benchmark prints one `name: ratio` line, comparing our
code with a baseline measured in the same process, in the same run, on the same machine.

1. middleware_stack_vs_bare_view: the full middleware stack (security headers, CSP, request
   context, sessions, locale, CSRF, auth, messages) around a trivial view, against the same view
   with no middleware at all.
2. home_page_vs_bare_view: the real home page (templates, two queries, both languages' machinery)
   with the full stack, against the bare view with no middleware.
3. privacy_page_vs_home_page: the Privacy Policy page against the home page, both with the full
   stack.

Then each app's suite (bench/*_bench.py). With DATABASE_URL (and KEYRING_DATABASE_URL) set, the
suites run on those databases, adding to what they hold and leaving them usable by the site;
otherwise on fresh SQLite files in a scratch folder. BENCH_SIZE picks the sizes: `default` (each
suite's own), `ci` (small, for a quick pass) or `million` (1 000 000 people, 2 000 000
submissions, 20 000 000 analytics events, 100 000 open requests); a BENCH_* variable set by hand
wins over the preset.
"""

from __future__ import annotations

import atexit
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GOODSKIN_ENV": "development",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
    }
)
if not os.environ.get("DATABASE_URL"):
    # Gigabytes at the default sizes: removed when the run ends, however it ends (atexit also
    # runs after an exception or Ctrl-C), and named on stderr while it runs.
    SCRATCH = tempfile.mkdtemp(prefix="goodskin-bench-")
    os.environ["GOODSKIN_VAR_DIR"] = SCRATCH
    atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)
    print(f"bench: scratch databases in {SCRATCH} (removed at the end)", file=sys.stderr)
# Otherwise the keys stay the site's own (var/ or the environment): people the suites write into
# the given databases are wrapped by the master key the site will open them with.
SIZES = {
    "default": {},
    "ci": {
        "BENCH_PEOPLE": "2000", "BENCH_ROWS_PER_PERSON": "2", "BENCH_OPEN_REQUESTS": "1000",
        "BENCH_EVENTS": "50000", "BENCH_OUTBOX_MESSAGES": "200", "BENCH_SUPPRESSED": "20000",
        "BENCH_CAMPAIGN_PEOPLE": "2000", "BENCH_PURGE_ROWS": "5000", "BENCH_DEID_ROWS": "5000",
        "BENCH_POLICY_PEOPLE": "5000", "BENCH_AUDIT_ENTRIES": "50000", "BENCH_SCANNER_MB": "1",
        "BENCH_WORKERS_MESSAGES": "400",
    },
    "million": {
        "BENCH_PEOPLE": "1000000", "BENCH_ROWS_PER_PERSON": "2", "BENCH_OPEN_REQUESTS": "100000",
        "BENCH_EVENTS": "20000000", "BENCH_OUTBOX_MESSAGES": "10000", "BENCH_SUPPRESSED": "1000000",
        "BENCH_CAMPAIGN_PEOPLE": "100000", "BENCH_PURGE_ROWS": "200000",
        "BENCH_DEID_ROWS": "2000000", "BENCH_POLICY_PEOPLE": "1000000",
        "BENCH_AUDIT_ENTRIES": "20000000", "BENCH_WORKERS_MESSAGES": "100000",
    },
}  # fmt: skip
SIZE = os.environ.get("BENCH_SIZE", "default")
if SIZE not in SIZES:
    sys.exit(f"bench: BENCH_SIZE must be one of {', '.join(SIZES)}, not {SIZE!r}")
for name, value in SIZES[SIZE].items():
    os.environ.setdefault(name, value)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

BARE_REQUESTS = 2000
PAGE_REQUESTS = 300
ROUNDS = 5


def environ(path: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def per_request_seconds(handler: WSGIHandler, path: str, requests: int) -> Callable[[], float]:
    def start_response(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        if not status.startswith("200"):
            raise RuntimeError(f"{path} answered {status}")
        return None

    def run() -> float:
        started = time.perf_counter()
        for _ in range(requests):
            body = handler(environ(path), start_response)
            b"".join(body)
        return (time.perf_counter() - started) / requests

    return run


def median_of_rounds(*runs: Callable[[], float]) -> list[float]:
    """Interleave the candidates round by round so drift in machine load hits all of them alike."""
    samples: list[list[float]] = [[] for _ in runs]
    for _ in range(ROUNDS):
        for index, run in enumerate(runs):
            samples[index].append(run())
    return [statistics.median(sample) for sample in samples]


def main() -> None:
    from bench.common import (  # noqa: PLC0415  (needs Django set up above)
        reset_sequences,
        withdraw_what_the_suites_queued,
    )

    started = timezone.now()
    try:
        suites()
    finally:
        reset_sequences()
        withdraw_what_the_suites_queued(started)


def suites() -> None:
    print(f"bench: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, sizes {SIZE}")
    call_command("migrate", "--no-input", verbosity=0)
    call_command("migrate", "--database", "keyring", "--no-input", verbosity=0)
    call_command("load_demo_data", "--no-staff", stdout=io.StringIO())
    with override_settings(ROOT_URLCONF="bench.urls"):
        full = WSGIHandler()
        with override_settings(MIDDLEWARE=[]):
            bare = WSGIHandler()
        full_bare, bare_bare, full_home, full_privacy = median_of_rounds(
            per_request_seconds(full, "/bench/bare/", BARE_REQUESTS),
            per_request_seconds(bare, "/bench/bare/", BARE_REQUESTS),
            per_request_seconds(full, "/", PAGE_REQUESTS),
            per_request_seconds(full, "/privacy/", PAGE_REQUESTS),
        )
    micro = 1_000_000
    print(
        f"middleware_stack_vs_bare_view: {full_bare / bare_bare:.2f}x "
        f"({full_bare * micro:.0f} µs vs {bare_bare * micro:.0f} µs per request, "
        f"{len(settings.MIDDLEWARE)} middleware)"
    )
    print(
        f"home_page_vs_bare_view: {full_home / bare_bare:.2f}x "
        f"({full_home * micro:.0f} µs vs {bare_bare * micro:.0f} µs per request)"
    )
    print(
        f"privacy_page_vs_home_page: {full_privacy / full_home:.2f}x "
        f"({full_privacy * micro:.0f} µs vs {full_home * micro:.0f} µs per request, both with "
        "the full stack; the policy text with its generated blocks comes from the cache)"
    )

    from bench import vault_bench  # noqa: PLC0415  (each suite needs Django set up above)

    def progress(line: str) -> None:
        print(f"  … {line}", file=sys.stderr, flush=True)

    vault_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import rights_bench  # noqa: PLC0415  (each suite needs Django set up above)

    rights_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import tracking_bench  # noqa: PLC0415  (each suite needs Django set up above)

    tracking_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import communications_bench  # noqa: PLC0415  (each suite needs Django set up above)

    communications_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import retention_bench  # noqa: PLC0415  (each suite needs Django set up above)

    retention_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import disclosures_bench  # noqa: PLC0415  (each suite needs Django set up above)

    disclosures_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import policies_bench  # noqa: PLC0415  (each suite needs Django set up above)

    policies_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import incidents_bench  # noqa: PLC0415  (each suite needs Django set up above)

    incidents_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import staff_bench  # noqa: PLC0415  (each suite needs Django set up above)

    staff_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import scanner_bench  # noqa: PLC0415  (each suite needs Django set up above)

    scanner_bench.run(report=lambda line: print(line, flush=True), progress=progress)

    from bench import compliance_bench  # noqa: PLC0415  (each suite needs Django set up above)

    # Last: it verifies the policy over everything the suites above wrote.
    compliance_bench.run(report=lambda line: print(line, flush=True), progress=progress)


if __name__ == "__main__":
    main()
