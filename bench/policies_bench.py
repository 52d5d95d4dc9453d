"""Policy benchmark (issue 8), a ratio against a baseline in the same run.

version_in_force_for_everyone_vs_one_join: which version of the Privacy Policy governed each of
BENCH_POLICY_PEOPLE people (default 1 000 000, topping up those the earlier suites wrote; 70 % of
those without an account given one, most told of a material change by email at different moments,
a fifth of them accepting early) at one moment, computed by
`versions_in_force` (three streamed queries and the 30-day rule applied per person), against one
raw SQL join that only fetches the same facts without deciding anything.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from goodskin.policies.models import PolicyVersion
from goodskin.policies.queries import versions_in_force

PEOPLE = int(os.environ.get("BENCH_POLICY_PEOPLE", "1000000"))
BATCH = 50_000


def _populate(progress: Callable[[str], None]) -> tuple[int, int]:
    rng = random.Random(21)  # noqa: S311  (synthetic people, not secrets)
    # The version in force now (1 on a fresh database; a later one if the suite ran before).
    first = PolicyVersion.objects.filter(document="privacy", number__isnull=False).latest("number")
    assert first.number is not None
    announced = timezone.now() - timedelta(days=20)
    second = PolicyVersion.objects.create(
        document="privacy",
        number=first.number + 1,
        status="published",
        content=first.content,
        summary={"en": "Longer retention.", "es": "Más tiempo."},
        material=True,
        reason="Benchmark",
        published_at=announced,
        announced_at=announced,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM vault_person")
        existing = cursor.fetchone()[0]
        for start in range(0, max(0, PEOPLE - existing), BATCH):
            size = min(BATCH, PEOPLE - existing - start)
            with transaction.atomic():
                cursor.executemany(
                    "INSERT INTO vault_person (key_id, email, created_at) VALUES (%s, %s, %s)",
                    [
                        (uuid.uuid4().hex, f"pv{existing + start + n}@policy.example", announced)
                        for n in range(size)
                    ],
                )
            progress(f"wrote {existing + start + size:,} people")
        cursor.execute(
            "SELECT id FROM vault_person WHERE erased_at IS NULL AND id NOT IN "
            "(SELECT person_id FROM accounts_user WHERE person_id IS NOT NULL)"
        )
        candidates = [row[0] for row in cursor.fetchall()]
        holders = candidates[: int(len(candidates) * 0.7)]
        joined = announced - timedelta(days=200)
        for start in range(0, len(holders), BATCH):
            chunk = holders[start : start + BATCH]
            with transaction.atomic():
                cursor.executemany(
                    "INSERT INTO accounts_user (password, is_superuser, person_id, email, "
                    "full_name, preferred_language, date_joined, is_active, is_staff, "
                    "sessions_generation, roles_generation) "
                    "VALUES ('!', FALSE, %s, %s, 'P', 'en', %s, TRUE, FALSE, 0, 0)",
                    [(pid, f"u{pid}@policy.example", joined) for pid in chunk],
                )
                told = [pid for pid in chunk if rng.random() < 0.9]
                cursor.executemany(
                    "INSERT INTO policies_policynotice (person_id, version_id, emailed_at, "
                    "accepted_at, created_at) VALUES (%s, %s, %s, %s, %s)",
                    [
                        (
                            pid,
                            second.pk,
                            announced + timedelta(minutes=rng.randrange(5 * 24 * 60)),
                            announced + timedelta(days=rng.randrange(1, 19))
                            if rng.random() < 0.2
                            else None,
                            announced,
                        )
                        for pid in told
                    ],
                )
            progress(f"wrote {start + len(chunk):,} accounts and their notices")
    return second.pk, first.number + 1


def _raw_join(version_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, u.date_joined, u.closed_at, n.emailed_at, n.seen_at, n.accepted_at "
            "FROM vault_person p LEFT JOIN accounts_user u ON u.person_id = p.id "
            "LEFT JOIN policies_policynotice n ON n.person_id = p.id AND n.version_id = %s",
            [version_id],
        )
        count = 0
        while rows := cursor.fetchmany(20_000):
            count += len(rows)
        return count


def run(*, report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    version_id, new_number = _populate(progress)
    at = timezone.now()
    timings: dict[str, list[float]] = {"ours": [], "raw": []}
    answers: dict[int, int | None] = {}
    for _ in range(3):
        started = time.perf_counter()
        rows = _raw_join(version_id)
        timings["raw"].append(time.perf_counter() - started)
        started = time.perf_counter()
        answers = versions_in_force(at=at, document="privacy")
        timings["ours"].append(time.perf_counter() - started)
    ours, raw = min(timings["ours"]), min(timings["raw"])
    on_new = sum(1 for number in answers.values() if number == new_number)
    report(
        f"version_in_force_for_everyone_vs_one_join: {ours / raw:.2f}x ({ours:.2f} s vs "
        f"{raw:.2f} s for {len(answers):,} people ({rows:,} joined rows); {on_new:,} governed by "
        f"the new version 20 days into its notice period, the rest by the old)"
    )
