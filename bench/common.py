"""What the suites share so that a run can be repeated on one database and leaves it usable."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, connections, router, transaction

# Tells this run's staff accounts and request references from an earlier run's on the same database.
RUN = secrets.token_hex(2).upper()[:3]


def bench_email(role: str) -> str:
    return f"bench.{role}.{RUN.lower()}@goodskinclinics.com"


def reset_sequences() -> None:
    """Set every id sequence past the rows the suites wrote with explicit ids, on both databases,
    so the next row the site itself creates gets a free id (PostgreSQL does not move a sequence
    for explicit ids; SQLite needs nothing)."""
    for alias in connections:
        connection = connections[alias]
        models = [model for model in apps.get_models() if router.allow_migrate_model(alias, model)]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def withdraw_what_the_suites_queued(since: datetime) -> int:
    """Messages the suites queued (receipts, codes, reports for their made-up people) are withdrawn
    rather than left for the site's workers to mail once the run is over."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE communications_message SET status = 'cancelled', "
            "last_error = 'Withdrawn at the end of a benchmark run' "
            "WHERE status IN ('queued', 'claimed') AND created_at >= %s",
            [since],
        )
        return int(cursor.rowcount)
