"""Monthly partitions for raw analytics events on PostgreSQL (DESIGN: "retention drops a whole
partition instead of deleting rows"). SQLite keeps one table and deletes in batches.

The table is range-partitioned on `occurred_at` by calendar month (UTC), with a DEFAULT partition
for anything outside the prepared months. Partitions are made three months ahead, so the default
one stays empty in normal running; expired months are rolled up into daily totals and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection

TABLE = "tracking_pageevent"


def supported() -> bool:
    return connection.vendor == "postgresql"


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def name_for(month: date) -> str:
    return f"{TABLE}_y{month.year}m{month.month:02d}"


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=UTC).isoformat()


def ensure_partitions(*, today: date, months_back: int = 14, months_ahead: int = 3) -> int:
    """Create the monthly partitions around today that do not exist yet. Idempotent."""
    if not supported():
        return 0
    created = 0
    first = add_months(month_start(today), -months_back)
    with connection.cursor() as cursor:
        for offset in range(months_back + months_ahead + 1):
            month = add_months(first, offset)
            name = name_for(month)
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                continue
            cursor.execute(
                f'CREATE TABLE "{name}" PARTITION OF {TABLE} '  # noqa: S608  (names we build)
                "FOR VALUES FROM (%s) TO (%s)",
                [_bound(month), _bound(add_months(month, 1))],
            )
            created += 1
    return created


@dataclass(frozen=True)
class MonthPartition:
    name: str
    month: date


def monthly_partitions() -> list[MonthPartition]:
    if not supported():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE parent.relname = %s ORDER BY child.relname",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = []
    for name in names:
        suffix = name.removeprefix(f"{TABLE}_y")
        if suffix == name or "m" not in suffix:
            continue  # the default partition
        year, month = suffix.split("m")
        found.append(MonthPartition(name, date(int(year), int(month), 1)))
    return found


def local_days(partition: MonthPartition) -> list[date]:
    """The clinic-time days that have events in this partition (for rolling them up first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT DISTINCT (occurred_at AT TIME ZONE %s)::date FROM "{partition.name}"',  # noqa: S608  (ours)
            [settings.TIME_ZONE],
        )
        return sorted(row[0] for row in cursor.fetchall())


def drop_partition(partition: MonthPartition) -> int:
    """Drop one month's partition; return how many events it held. The caller has rolled the
    month up first."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{partition.name}"')  # noqa: S608  (our own name)
        rows: int = cursor.fetchone()[0]
        cursor.execute(f'DROP TABLE "{partition.name}"')
    return rows
