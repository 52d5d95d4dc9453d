"""On PostgreSQL, raw analytics live in monthly partitions and expire a whole month at a time,
after their days are rolled up into totals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.retention.actions import apply_retention
from goodskin.tracking import partitions
from goodskin.tracking.models import DailySummary, PageEvent
from goodskin.tracking.tests.factories import page_event

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
    ),
]
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def test_events_land_in_their_months_partition() -> None:
    partitions.ensure_partitions(today=date(2026, 11, 29))
    page_event(datetime(2026, 11, 3, 12, tzinfo=UTC))
    with connection.cursor() as cursor:
        cursor.execute('SELECT COUNT(*) FROM "tracking_pageevent_y2026m11"')
        assert cursor.fetchone()[0] == 1


def test_an_expired_month_is_rolled_up_then_dropped_whole() -> None:
    partitions.ensure_partitions(today=date(2026, 11, 29), months_back=15)
    page_event(datetime(2025, 9, 10, 12, tzinfo=UTC))  # its month ended more than 13 months ago
    page_event(datetime(2025, 9, 20, 12, tzinfo=UTC))
    kept = page_event(datetime(2025, 11, 20, 12, tzinfo=UTC))  # within 13 months

    dry = apply_retention(now=NOW, only="analytics-events", dry_run=True)[0]
    assert dry.counts["partition tracking_pageevent_y2025m09"] == 2
    [report] = apply_retention(now=NOW, only="analytics-events")

    assert report.counts["partition tracking_pageevent_y2025m09"] == 2
    assert list(PageEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "tracking_pageevent_y2025m09" not in {p.name for p in partitions.monthly_partitions()}
    assert DailySummary.objects.filter(day=date(2025, 9, 10), dimension="site").exists()
    entry = AuditEntry.objects.get(
        event=Event.RETENTION_BATCH, data__table="tracking_pageevent_y2025m09"
    )
    assert entry.data["rows"] == 2


def _table_kind() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'tracking_pageevent'")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_partitioning_migration_goes_back_to_one_plain_table_and_forward_again() -> None:
    now = timezone.now()  # the migration prepares the months around the real today
    kept = [page_event(now).pk for _ in range(2)]
    executor = MigrationExecutor(connection)
    executor.migrate([("tracking", "0002_dailysummary")])
    assert _table_kind() == "r"  # a plain table
    assert sorted(PageEvent.objects.values_list("pk", flat=True)) == kept
    assert partitions.monthly_partitions() == []

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("tracking"))
    assert _table_kind() == "p"  # partitioned again, the events in their month
    assert sorted(PageEvent.objects.values_list("pk", flat=True)) == kept
    with connection.cursor() as cursor:
        month = partitions.name_for(partitions.month_start(now.astimezone(UTC).date()))
        cursor.execute(f'SELECT COUNT(*) FROM "{month}"')  # noqa: S608  (our own name)
        assert cursor.fetchone()[0] == 2
    assert page_event(now).pk > max(kept)
