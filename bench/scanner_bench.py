"""The free-text scanner (issue 22), on the PII peer harness's corpus (../shared/peers/pii):

(a) scanner_vs_regex_floor: megabytes of messages per CPU-second, ours (checksums, cues,
    negation, ages) against one plain `re` alternation over the same messages in the same run
    (the harness's floor), interleaved; and against Presidio's US recognisers when the harness's
    venv is here (`bash ../shared/peers/pii/setup.sh`), measured on the same first megabyte.
(b) scanner_quality_seed_N: precision and recall per entity on two corpus seeds, scored by the
    harness's own code; the ratio is the lowest of them.
(c) scanner_linear: CPU time per kilobyte on one text of 1 MB against one of 10 KB (1.00x is
    linear).

Needs no Django. The corpora are generated into a scratch folder removed at the end.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT.parent / "shared" / "peers" / "pii"
# Where ../shared/peers/pii/setup.sh puts its venv.
PEER_ROOT = os.environ.get("PEER_PII_ROOT", "/tmp/peer-pii")  # noqa: S108  (the harness's own path)
PEER_PYTHON = Path(PEER_ROOT) / "venv" / "bin" / "python"
SEEDS = (20261125, 777)
MEGABYTES = os.environ.get("BENCH_SCANNER_MB", "4")
ROUNDS = 3
SHORT = {
    "US_SSN": "SSN", "CREDIT_CARD": "card", "US_BANK_NUMBER": "account",
    "ABA_ROUTING_NUMBER": "routing", "DATE_OF_BIRTH": "DOB/age", "HEALTH": "health",
}  # fmt: skip


def _load(name: str) -> Any:
    """One of the harness's modules, by path and under a name of its own (its `run.py` would
    otherwise meet ours)."""
    spec = importlib.util.spec_from_file_location(f"peer_pii_{name}", HARNESS / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {name}.py from {HARNESS}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _harness() -> tuple[Any, Any]:
    sys.path.insert(0, str(HARNESS))  # its run.py imports its peers.py
    return _load("run"), _load("peers")


def _cpu_seconds(scan: Callable[[str], Any], messages: Iterable[str]) -> float:
    started = time.process_time()
    for text in messages:
        scan(text)
    return time.process_time() - started


def _presidio(corpus: Path, scratch: Path) -> float | str:
    """Presidio's MB per CPU-second on the first megabyte, or why it could not run."""
    if not PEER_PYTHON.exists():
        return "not installed here (bash ../shared/peers/pii/setup.sh)"
    out = scratch / "presidio.json"
    finished = subprocess.run(  # noqa: S603  (our own harness, with arguments we wrote)
        [str(PEER_PYTHON), str(HARNESS / "run.py"), "--scanner", "presidio-us",
         "--corpus", str(corpus), "--limit-mb", "1", "--json", str(out)],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if finished.returncode != 0:
        return "could not run: " + (finished.stderr.strip().splitlines() or ["no output"])[-1]
    [result] = json.loads(out.read_text())
    return float(result["mb_per_cpu_s"])


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    if not HARNESS.exists():
        report(f"scanner: skipped, the peer harness is not at {HARNESS}")
        return
    harness, peers = _harness()
    from bench.pii_scanner import scan_spans  # noqa: PLC0415  (after the harness's path)

    floor, _ = peers.regexfloor()
    scratch = Path(tempfile.mkdtemp(prefix="goodskin-scanner-bench-"))
    try:
        for index, seed in enumerate(SEEDS):
            corpus = scratch / str(seed)
            progress(f"scanner: generating a {MEGABYTES} MB corpus, seed {seed}")
            subprocess.run(  # noqa: S603  (the harness's generator, our arguments)
                [sys.executable, str(HARNESS / "gen_corpus.py"), "--out", str(corpus),
                 "--seed", str(seed), "--mb", MEGABYTES],
                check=True, capture_output=True,
            )  # fmt: skip
            messages, size, gold, negatives, _ = harness.load_corpus(str(corpus))
            megabytes = size / 1e6
            for text in messages[:200]:
                scan_spans(text)
            if index == 0:
                ours_runs, floor_runs = [], []
                for _ in range(ROUNDS):
                    ours_runs.append(_cpu_seconds(scan_spans, messages))
                    floor_runs.append(_cpu_seconds(floor, messages))
                ours = megabytes / statistics.median(ours_runs)
                plain = megabytes / statistics.median(floor_runs)
                presidio = _presidio(corpus, scratch)
                versus = (
                    f"Presidio's US recognisers {presidio:.2f} here, so ours is "
                    f"{ours / presidio:.0f}x Presidio"
                    if isinstance(presidio, float)
                    else f"Presidio {presidio}; 0.35-0.53 in ../shared/peers/README.md"
                )
                report(
                    f"scanner_vs_regex_floor: {ours / plain:.2f}x ({ours:.1f} MB per CPU-second "
                    f"vs {plain:.1f} for one plain regex pass without checksums or context, "
                    f"{megabytes:.1f} MB, {len(messages)} messages, median of {ROUNDS}; {versus})"
                )
            predictions = {
                number: [(s, e, label, 1.0) for s, e, label in scan_spans(text)]
                for number, text in enumerate(messages)
            }
            scores = harness.score(predictions, gold, negatives, 0.0, dict(harness.LABEL_ALIASES))
            parts, lowest = [], 1.0
            for label, short in SHORT.items():
                entity = scores["labels"][label]
                precision, recall = entity["precision"] or 0.0, entity["recall"] or 0.0
                lowest = min(lowest, precision, recall)
                parts.append(f"{short} P{precision:.3f} R{recall:.3f}")
            report(
                f"scanner_quality_seed_{seed}: {lowest:.3f}x (the lowest precision or recall of "
                f"six entities, against a perfect 1; {' | '.join(parts)})"
            )
        text = " ".join(messages)
        small, large = text[:10_000], text[:1_000_000]
        per_kilobyte = []
        for sample, repeat in ((small, 100), (large, 1)):
            runs = [_cpu_seconds(scan_spans, [sample] * repeat) for _ in range(ROUNDS)]
            per_kilobyte.append(statistics.median(runs) / (len(sample) * repeat / 1_000))
        report(
            f"scanner_linear: {per_kilobyte[1] / per_kilobyte[0]:.2f}x (CPU time per KB on one "
            f"1 MB text vs one 10 KB text: {per_kilobyte[1] * 1e6:.0f} µs vs "
            f"{per_kilobyte[0] * 1e6:.0f} µs)"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    run(report=print, progress=lambda line: print(f"  … {line}", file=sys.stderr))
