"""On PostgreSQL, raw analytics move into a table range-partitioned by calendar month (UTC), with
a DEFAULT partition; SQLite keeps one table. Self-contained, as a migration must be: the SQL and
the month arithmetic are frozen here as they were when it was written, whatever the product's
partitions module later becomes. Reversible: going back copies every event into a plain table."""

from datetime import UTC, datetime

from django.db import migrations

MONTHS_BACK, MONTHS_AHEAD = 14, 3

TO_PARTITIONED = """
ALTER TABLE tracking_pageevent RENAME TO tracking_pageevent_unpartitioned;
CREATE TABLE tracking_pageevent (LIKE tracking_pageevent_unpartitioned
    INCLUDING DEFAULTS INCLUDING IDENTITY) PARTITION BY RANGE (occurred_at);
CREATE TABLE tracking_pageevent_default PARTITION OF tracking_pageevent DEFAULT;
"""

FILL_PARTITIONED = """
INSERT INTO tracking_pageevent SELECT * FROM tracking_pageevent_unpartitioned;
DROP TABLE tracking_pageevent_unpartitioned;
ALTER TABLE tracking_pageevent ADD PRIMARY KEY (id, occurred_at);
CREATE INDEX tracking_kind_time ON tracking_pageevent (kind, occurred_at);
CREATE INDEX tracking_pageevent_occurred_at_a05188c4 ON tracking_pageevent (occurred_at);
SELECT setval(pg_get_serial_sequence('tracking_pageevent', 'id'), COALESCE(MAX(id), 0) + 1, false)
    FROM tracking_pageevent;
"""

# Back to the table 0001 made: one plain table, the primary key on id alone. Dropping the
# partitioned table drops its monthly partitions with it.
TO_PLAIN = """
ALTER TABLE tracking_pageevent RENAME TO tracking_pageevent_partitioned;
CREATE TABLE tracking_pageevent (LIKE tracking_pageevent_partitioned
    INCLUDING DEFAULTS INCLUDING IDENTITY);
INSERT INTO tracking_pageevent SELECT * FROM tracking_pageevent_partitioned;
DROP TABLE tracking_pageevent_partitioned;
ALTER TABLE tracking_pageevent ADD PRIMARY KEY (id);
CREATE INDEX tracking_kind_time ON tracking_pageevent (kind, occurred_at);
CREATE INDEX tracking_pageevent_occurred_at_a05188c4 ON tracking_pageevent (occurred_at);
SELECT setval(pg_get_serial_sequence('tracking_pageevent', 'id'), COALESCE(MAX(id), 0) + 1, false)
    FROM tracking_pageevent;
"""


def _month(index: int) -> datetime:
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite keeps one table; retention deletes its rows in batches
    now = datetime.now(UTC)
    this_month = now.year * 12 + now.month - 1
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(TO_PARTITIONED)
        # Months for today's data and what retention still keeps, before the rows are copied in.
        for index in range(this_month - MONTHS_BACK, this_month + MONTHS_AHEAD + 1):
            start, end = _month(index), _month(index + 1)
            cursor.execute(
                f'CREATE TABLE "tracking_pageevent_y{start.year}m{start.month:02d}" '
                "PARTITION OF tracking_pageevent FOR VALUES FROM (%s) TO (%s)",
                [start.isoformat(), end.isoformat()],
            )
        cursor.execute(FILL_PARTITIONED)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(TO_PLAIN)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0002_dailysummary")]

    operations = [migrations.RunPython(partition, unpartition)]
