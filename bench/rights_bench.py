"""Rights benchmarks (issue 6), each a ratio against a baseline in the same run. They reuse the
people the vault benchmark wrote (BENCH_PEOPLE, default 100 000, with BENCH_ROWS_PER_PERSON rows
each, 2 000 000 by default), so run after it.

(a) access_report_vs_raw_reads: the whole access report for one person (every table of the data
    map, sealed values opened, categories, purposes, recipients, the disclosure log, zipped JSON +
    HTML) against the raw indexed SELECTs that read the same rows.
(b) request_queue_vs_raw_query: the staff queue page with BENCH_OPEN_REQUESTS (default 10 000) open
    requests, through the full middleware stack and template, against the raw ordered SELECT.
"""

from __future__ import annotations

import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from django.db import connection, transaction

from bench.vault_bench import PEOPLE, ROWS_PER_PERSON, _raw_export
from goodskin.accounts.models import User
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.rights.fulfil import build_report
from goodskin.vault.models import Person

OPEN_REQUESTS = int(os.environ.get("BENCH_OPEN_REQUESTS", "10000"))


def _median(run: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _access(report: Callable[[str], None]) -> None:
    rng = random.Random(5)  # noqa: S311  (choosing sample people, not secrets)
    ids = list(Person.objects.filter(erased_at__isnull=True).values_list("pk", flat=True)[:PEOPLE])
    people = [Person.objects.get(pk=pk) for pk in rng.sample(ids, min(20, len(ids)))]
    today = date(2026, 11, 29)
    build_report(people[0], kind="access", reference="GS-BENCH", today=today, language="en")
    ours = statistics.median(
        _median(
            partial(
                build_report,
                person,
                kind="access",
                reference="GS-BENCH",
                today=today,
                language="en",
            ),
            3,
        )
        for person in people
    )
    raw = statistics.median(_median(partial(_raw_export, person.pk), 3) for person in people)
    report(
        f"access_report_vs_raw_reads: {ours / raw:.2f}x ({ours * 1000:.1f} ms vs "
        f"{raw * 1000:.2f} ms for one person's {ROWS_PER_PERSON + 1} rows among {len(ids):,} "
        "people: every table, sealed values opened, categories, purposes, recipients, "
        "disclosures, zipped JSON and HTML)"
    )


def _queue(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    progress(f"writing {OPEN_REQUESTS:,} open requests")
    person_ids = list(Person.objects.values_list("pk", flat=True)[:OPEN_REQUESTS]) or [
        Person.objects.create(key_id=uuid.uuid4(), email="q@bench.example").pk
    ]
    start = date(2026, 10, 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO rights_datarequest (reference, person_id, kind, state, rules, channel, "
            "language, status, received_on, due_on, verification, code_hash, code_attempts, "
            "extension_reason, outcome_note, categories_only, document_type, created_at) "
            "VALUES (%s, %s, 'access', 'CA', 'CA', 'web', 'en', 'verified', %s, %s, 'email_code', "
            "'', 0, '', '', FALSE, '', %s)",
            [
                (
                    f"GS-B{number:07d}",
                    person_ids[number % len(person_ids)],
                    start + timedelta(days=number % 60),
                    start + timedelta(days=number % 60 + 45),
                    start,
                )
                for number in range(OPEN_REQUESTS)
            ],
        )
    staff = User.objects.create_user(
        "bench.queue@goodskinclinics.com",
        "Bench-Queue-Pass-9",
        full_name="B",
        is_staff=True,
        is_superuser=True,
    )
    client = StaffClient()
    client.force_login(staff)
    assert client.get("/console/requests/").status_code == 200

    def page() -> None:
        assert client.get("/console/requests/").status_code == 200

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reference, kind, state, received_on, status, "
                "COALESCE(extended_due_on, due_on) AS deadline FROM rights_datarequest "
                "WHERE status IN ('received', 'receipt_confirmed', 'verified', 'in_progress', "
                "'extended') ORDER BY deadline, id LIMIT 500"
            )
            cursor.fetchall()

    ours, baseline = _median(page, 7), _median(raw, 7)
    report(
        f"request_queue_vs_raw_query: {ours / baseline:.2f}x ({ours * 1000:.1f} ms vs "
        f"{baseline * 1000:.1f} ms with {OPEN_REQUESTS:,} open requests: the whole console page "
        "(sign-in check, counts, 500 rows rendered) against the bare ordered SELECT)"
    )


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    _access(report)
    _queue(report, progress)
