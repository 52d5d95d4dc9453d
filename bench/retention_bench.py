"""Retention benchmark (issue 7), a ratio against a baseline in the same run:

purge_vs_raw_batched_delete: `apply_retention` removing BENCH_PURGE_ROWS (default 200 000) expired
contact messages (hold checks, last-activity rule, one audit summary per batch of 500) against
raw `DELETE … WHERE id IN (SELECT … LIMIT 500)` batches of the same rows, each with its own
transaction. During both, another thread keeps writing (as the web process would) and the worst
time one of its writes waited is reported.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from goodskin.core.models import RateCounter
from goodskin.retention.actions import apply_retention

ROWS = int(os.environ.get("BENCH_PURGE_ROWS", "200000"))
PEOPLE = max(1, ROWS // 10)
OLD = datetime(2022, 1, 1, tzinfo=UTC)


def _expired_rows() -> None:
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM vault_person WHERE email LIKE '%%@purge.example'")
        if cursor.fetchone()[0] == 0:
            cursor.executemany(
                "INSERT INTO vault_person (key_id, email, created_at) VALUES (%s, %s, %s)",
                [(uuid.uuid4().hex, f"p{n}@purge.example", now) for n in range(PEOPLE)],
            )
        cursor.execute("SELECT id FROM vault_person WHERE email LIKE '%%@purge.example'")
        ids = [row[0] for row in cursor.fetchall()]
        cursor.executemany(
            "INSERT INTO submissions_contactmessage (person_id, full_name, email, phone, "
            "language, created_at, topic) VALUES (%s, 'Someone', 'p@purge.example', '', 'en', "
            "%s, 'question')",
            [(ids[n % len(ids)], OLD) for n in range(ROWS)],
        )


class Writer(threading.Thread):
    """Writes one small row after another and remembers each wait, including writes that gave up
    after SQLite's 20-second lock timeout (counted in `gave_up`)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.waits: list[float] = []
        self.gave_up = 0

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    with transaction.atomic():
                        RateCounter.objects.create(
                            key=f"bench-{uuid.uuid4().hex}",
                            window_started_at=timezone.now(),
                            hits=1,
                        )
                except OperationalError:
                    self.gave_up += 1
                self.waits.append(time.perf_counter() - started)
                time.sleep(0.005)
        finally:
            connections.close_all()


def _timed(work: Callable[[], object]) -> tuple[float, float, float, int]:
    writer = Writer()
    writer.start()
    time.sleep(0.1)  # the writer's first writes open its connection: not a wait on the purge
    writer.waits.clear()
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    writer.stop.set()
    writer.join()
    waits = writer.waits or [elapsed]  # no write finished during the work: it waited it all
    return elapsed, max(waits), statistics.median(waits), writer.gave_up


def _raw_batches() -> None:
    cutoff = timezone.now() - timedelta(days=730)
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM submissions_contactmessage WHERE id IN (SELECT id FROM "
                "submissions_contactmessage WHERE created_at < %s AND email = 'p@purge.example' "
                "ORDER BY id LIMIT 500)",
                [cutoff],
            )
            if cursor.rowcount == 0:
                return


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    progress(f"writing {ROWS:,} expired contact messages")
    _expired_rows()
    ours, our_worst, our_median, our_gave_up = _timed(
        lambda: apply_retention(only="submission", batch_size=500)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM submissions_contactmessage WHERE email = 'p@purge.example'"
        )
        assert cursor.fetchone()[0] == 0
    progress(f"writing {ROWS:,} expired contact messages again for the raw DELETE")
    _expired_rows()
    raw, raw_worst, raw_median, raw_gave_up = _timed(_raw_batches)
    milli = 1000
    report(
        f"purge_vs_raw_batched_delete: {ours / raw:.2f}x ({ROWS / ours:,.0f} vs {ROWS / raw:,.0f} "
        f"rows/s for {ROWS:,} rows in batches of 500; a concurrent writer's worst wait "
        f"{our_worst * milli:.0f} ms vs {raw_worst * milli:.0f} ms, median "
        f"{our_median * milli:.1f} ms vs {raw_median * milli:.1f} ms; writes that gave up on the "
        f"lock: {our_gave_up} vs {raw_gave_up})"
    )
