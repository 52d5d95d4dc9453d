"""`make bench` cleans up after itself: its scratch databases (gigabytes at the default sizes) are
named while it runs and gone when it stops, even when stopped half-way with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes.site import LEAVE_OUT, ROOT

pytestmark = pytest.mark.processes


def test_bench_stopped_half_way_leaves_no_scratch_folder(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in LEAVE_OUT} | {
        "TMPDIR": str(tmp_path),
        "BENCH_SIZE": "ci",
    }
    bench = subprocess.Popen(  # noqa: S603  (our own bench)
        [sys.executable, "bench/run.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert bench.stderr is not None
    said = bench.stderr.readline()
    assert said.startswith(f"bench: scratch databases in {tmp_path}/goodskin-bench-")
    scratch = Path(said.split(" in ", 1)[1].split(" (", 1)[0])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (scratch / "goodskin.sqlite3").exists():
        time.sleep(0.1)
    assert (scratch / "goodskin.sqlite3").exists()  # it was really working in there

    bench.send_signal(signal.SIGINT)
    bench.communicate(timeout=60)

    assert bench.returncode != 0
    assert list(tmp_path.iterdir()) == []
