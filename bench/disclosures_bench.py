"""Disclosures benchmark (issue 7), a ratio against a baseline in the same run:

deidentified_export_vs_raw_group_by: a k-anonymous export (month, clinic, treatment, language; k=10)
of BENCH_DEID_ROWS (default 1 000 000) consultation requests, logged as a disclosure, against the
raw GROUP BY … COUNT(DISTINCT person) that computes the same groups.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bench.common import RUN, bench_email
from goodskin.accounts.models import User
from goodskin.disclosures.actions import export_deidentified
from goodskin.disclosures.models import Recipient
from goodskin.website.models import Clinic, Service

ROWS = int(os.environ.get("BENCH_DEID_ROWS", "1000000"))
PEOPLE = max(1, ROWS // 5)


def _populate(progress: Callable[[str], None]) -> None:
    rng = random.Random(11)  # noqa: S311  (synthetic rows, not secrets)
    clinics: list[int | None] = [*Clinic.objects.values_list("pk", flat=True), None]
    services: list[int | None] = [*Service.objects.values_list("pk", flat=True), None]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    now = timezone.now()
    with connection.cursor() as cursor:
        with transaction.atomic():
            cursor.executemany(
                "INSERT INTO vault_person (key_id, email, created_at) VALUES (%s, %s, %s)",
                [(uuid.uuid4().hex, f"d{n}@deid.{RUN}.example", now) for n in range(PEOPLE)],
            )
        cursor.execute("SELECT id FROM vault_person WHERE email LIKE %s", [f"%@deid.{RUN}.example"])
        people = [row[0] for row in cursor.fetchall()]
        for first in range(0, ROWS, 100_000):
            with transaction.atomic():
                cursor.executemany(
                    "INSERT INTO submissions_consultationrequest (person_id, full_name, email, "
                    "phone, language, created_at, clinic_id, treatment_id, preferred_time) "
                    "VALUES (%s, 'Someone', 'd@deid.example', '', %s, %s, %s, %s, 'any')",
                    [
                        (
                            rng.choice(people),
                            "es" if rng.random() < 0.3 else "en",
                            start + timedelta(minutes=rng.randrange(60 * 24 * 690)),
                            rng.choice(clinics),
                            rng.choice(services),
                        )
                        for _ in range(min(100_000, ROWS - first))
                    ],
                )
            progress(f"wrote {min(first + 100_000, ROWS):,} consultation requests")


def _raw() -> int:
    # The same local-time month as the export (on SQLite through Django's own function for it),
    # so both sides do the same work.
    month = (
        "django_datetime_trunc('month', created_at, %s, 'UTC')"
        if connection.vendor == "sqlite"
        else "date_trunc('month', created_at AT TIME ZONE %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {month}, clinic_id, "  # noqa: S608  (fixed text)
            "treatment_id, language, COUNT(DISTINCT person_id) "
            "FROM submissions_consultationrequest GROUP BY 1, 2, 3, 4",
            [settings.TIME_ZONE],
        )
        return len(cursor.fetchall())


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    _populate(progress)
    officer = User.objects.create_user(
        bench_email("officer"), "Bench-Officer-Pass-9", full_name="B", is_staff=True
    )
    recipient = Recipient.objects.get(slug="consultants")
    fields = ["month", "clinic", "treatment", "language"]
    _raw()  # warm the page cache for both
    started = time.perf_counter()
    released, _ = export_deidentified(
        dataset="consultation-requests",
        fields=fields,
        recipient=recipient,
        approved_by=officer,
        k=10,
        max_suppressed=1.0,  # measuring speed: a small run may not meet k within 5 %
    )
    ours = time.perf_counter() - started
    started = time.perf_counter()
    groups = _raw()
    raw = time.perf_counter() - started
    report(
        f"deidentified_export_vs_raw_group_by: {ours / raw:.2f}x ({ours:.2f} s vs {raw:.2f} s "
        f"for {ROWS:,} rows; {len(released.groups)} of {groups} groups released at k=10, "
        f"{released.suppressed:,} people in smaller groups left out)"
    )
