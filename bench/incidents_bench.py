"""Incident benchmark (issue 8), a ratio against a baseline in the same run.

affected_people_vs_raw_sql: whom a leak of the consultation-request table touched, over the people
the earlier benchmarks wrote (a million, with a million consultation requests) and an audit log of
BENCH_AUDIT_ENTRIES entries (default 20 000 000, one in a hundred an erasure that touched some
tables), computed by `affected_people` (the data map decides which fields were exposed; current
rows plus erasures from the audit log) against the equivalent hand-written SQL (one UNION).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from goodskin.audit.chain import GENESIS_HASH, entry_digest
from goodskin.audit.models import ChainHead
from goodskin.incidents.assessment import affected_people, exposures

ENTRIES = int(os.environ.get("BENCH_AUDIT_ENTRIES", "20000000"))
BATCH = 100_000
TABLE = "submissions.consultationrequest"


def _populate(progress: Callable[[str], None]) -> None:
    """Append ENTRIES entries to the real chain, each hashed over the one before and the head moved
    with them, so `audit_verify` still passes and the site's next entry follows on."""
    rng = random.Random(31)  # noqa: S311  (synthetic log entries, not secrets)
    erased = {"reason": "deletion_request", "tables": [TABLE, "vault.person"]}
    other = {"template": "accounts.verify_email"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM vault_person")
        low, high = cursor.fetchone()
        start = timezone.now() - timedelta(days=365)
        step = timedelta(days=365) / max(ENTRIES, 1)  # a year of entries, evenly spread
        for first in range(0, ENTRIES, BATCH):
            with transaction.atomic():
                head = ChainHead.objects.select_for_update().get(pk=1)
                sequence, previous = head.last_sequence, head.last_hash or GENESIS_HASH
                rows: list[Any] = []
                for n in range(min(BATCH, ENTRIES - first)):
                    sequence += 1
                    is_erasure = rng.random() < 0.01
                    entry = {
                        "sequence": sequence,
                        "occurred_at": start + step * (first + n),
                        "event": "person.erased" if is_erasure else "email.sent",
                        "actor_kind": "system",
                        "actor_user_id": None,
                        "actor_label": "bench",
                        "subject_type": "vault.person",
                        "subject_id": str(rng.randint(low, high)),
                        "target_type": "",
                        "target_id": "",
                        "request_id": "",
                        "data": erased if is_erasure else other,
                        "previous_hash": previous,
                    }
                    digest = entry_digest(**entry)  # type: ignore[arg-type]  # the fields, by name
                    stored = entry | {"data": json.dumps(entry["data"]), "entry_hash": digest}
                    rows.append(tuple(stored.values()))
                    previous = digest
                cursor.executemany(
                    "INSERT INTO audit_auditentry (sequence, occurred_at, event, actor_kind, "
                    "actor_user_id, actor_label, subject_type, subject_id, target_type, target_id, "
                    "request_id, data, previous_hash, entry_hash) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
                head.last_sequence, head.last_hash = sequence, previous
                head.save(update_fields=["last_sequence", "last_hash"])
            if (first // BATCH) % 20 == 0:
                progress(f"wrote {first + len(rows):,} audit entries")


def _raw(start: datetime, end: datetime) -> int:
    # PostgreSQL keeps the entry's data as jsonb, which LIKE reads only as text.
    data = "data" if connection.vendor == "sqlite" else "CAST(data AS text)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id FROM submissions_consultationrequest WHERE created_at <= %s "  # noqa: S608  (fixed text)
            "UNION SELECT CAST(subject_id AS INTEGER) FROM audit_auditentry "
            "WHERE event = 'person.erased' AND occurred_at >= %s AND subject_type = 'vault.person' "
            f"AND {data} LIKE %s",
            [end, start, f"%{TABLE}%"],
        )
        count = 0
        while rows := cursor.fetchmany(20_000):
            count += len(rows)
        return count


def run(*, report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    _populate(progress)
    end = timezone.now()
    start = end - timedelta(days=180)
    found = exposures(tables=[TABLE], categories=[], keys_exposed=False)
    ours_times, raw_times = [], []
    people: dict[int, bool] = {}
    raw_count = 0
    for _ in range(3):
        started = time.perf_counter()
        raw_count = _raw(start, end)
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        people = affected_people(exposures_=found, start=start, end=end)
        ours_times.append(time.perf_counter() - started)
    ours, raw = min(ours_times), min(raw_times)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM vault_person")
        population = cursor.fetchone()[0]
    report(
        f"affected_people_vs_raw_sql: {ours / raw:.2f}x ({ours:.2f} s vs {raw:.2f} s; "
        f"{len(people):,} people affected ({raw_count:,} by the raw query) among "
        f"{population:,}, with {ENTRIES:,} audit entries)"
    )
