"""Writing analytics events: minimised first, one INSERT per batch."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from goodskin.core import throttle
from goodskin.tracking.minimise import Device
from goodskin.tracking.models import DailySummary, PageEvent
from goodskin.tracking.queries import compute_day


@dataclass(frozen=True)
class Incoming:
    kind: str
    occurred_at: datetime
    path: str
    previous_path: str
    referrer_host: str
    screen: str


_COLUMNS = (
    "occurred_at", "kind", "path", "previous_path", "referrer_host", "visitor", "consented",
    "ip_prefix", "device", "browser", "os", "screen", "language",
)  # fmt: skip
_ROW = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"


@functools.cache
def _insert(rows: int) -> str:
    """One INSERT of `rows` rows: a single statement is atomic on its own, where executemany in
    autocommit would commit once a row. The beacon is the busiest write on the site, and the
    ORM's bulk_create cost it more than the database did."""
    return (
        f"INSERT INTO {PageEvent._meta.db_table} ({', '.join(_COLUMNS)}) "  # noqa: S608  (ours)
        f"VALUES {', '.join([_ROW] * rows)}"
    )


# A person reading the site sends a beacon or two a page; a script sending thousands is not a
# visitor, and would drown the counts (one address once wrote 9 363 rows in 25 seconds).
EVENTS_PER_ADDRESS = throttle.Limit("analytics:address", 60, timedelta(minutes=1))


class TooManyEvents(Exception):
    """More than EVENTS_PER_ADDRESS batches a minute from one network address."""


@transaction.atomic
def record_events(
    *,
    events: Sequence[Incoming],
    visitor: str,
    consented: bool,
    ip_prefix: str,
    device: Device,
    language: str,
    sender_address: str,
    now: datetime,
) -> int:
    """Count the batch against its sender's limit and store it in one statement, in one
    transaction (one commit); returns how many. Raises TooManyEvents, storing nothing.

    Analytics rows are append-only, hold no values that identify a person (see minimise.py) and
    are not audited one by one: their retention and roll-up are (the audit log would dwarf them).
    """
    if not throttle.attempt((EVENTS_PER_ADDRESS, sender_address), now=now):
        raise TooManyEvents
    adapt = connection.ops.adapt_datetimefield_value
    values = [
        value
        for event in events
        for value in (
            adapt(event.occurred_at), event.kind, event.path, event.previous_path,
            event.referrer_host, visitor, consented, ip_prefix, device.kind, device.browser,
            device.os, event.screen, language,
        )
    ]  # fmt: skip
    if not events:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_insert(len(events)), values)
    return len(events)


@transaction.atomic
def roll_up_day(*, day: date) -> int:
    """Replace the day's summaries with totals computed from its events. Idempotent; run nightly
    for closed days, and again safely after late events.

    Once a day's raw events may have expired its summaries are the only record of it, so a day
    that already has them is left alone: re-running over old days must never turn counts into
    zeros. Returns the number of totals written (0 when the day was kept as it was)."""

    already = DailySummary.objects.filter(day=day)
    summarised = already.exists()
    if summarised and day <= last_day_raw_events_may_be_gone():
        return 0
    computed = compute_day(day)
    if not computed and summarised:
        return 0  # nothing left to count from: what was counted stands
    already.delete()
    DailySummary.objects.bulk_create(
        DailySummary(
            day=day,
            dimension=total.dimension,
            value=total.value,
            views=total.views,
            visitors=total.visitors,
        )
        for total in computed
    )
    return len(computed)


RAW_EVENTS_KEPT = timedelta(days=395)  # 13 months; after that only the daily summaries remain


def last_day_raw_events_may_be_gone() -> date:
    """The latest day some of whose raw events may already have been deleted (or, on PostgreSQL,
    dropped with their month's partition): a day before the 13-month horizon, or on it."""
    return timezone.localdate(timezone.now() - RAW_EVENTS_KEPT)


def roll_up_days_of(*, event_ids: list[int]) -> None:
    """Make sure every day these raw events fall on has its daily totals, before they go."""
    moments = PageEvent.objects.filter(pk__in=event_ids).values_list("occurred_at", flat=True)
    zone = ZoneInfo(settings.TIME_ZONE)
    for day in sorted({moment.astimezone(zone).date() for moment in moments}):
        if not DailySummary.objects.filter(day=day, dimension="site").exists():
            roll_up_day(day=day)


def roll_up_span(*, first: date, last: date) -> None:
    """Make sure every day from `first` to `last` has its daily totals."""
    day = first
    while day <= last:
        if not DailySummary.objects.filter(day=day, dimension="site").exists():
            roll_up_day(day=day)
        day += timedelta(days=1)


def expire_events(*, now: datetime, batch_size: int = 10_000) -> int:
    """Delete raw events older than 13 months, in batches (one short transaction each), after
    making sure their days are rolled up. Returns how many were deleted. Safe to repeat."""
    cutoff = now - RAW_EVENTS_KEPT
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                PageEvent.objects.filter(occurred_at__lt=cutoff)
                .order_by("occurred_at")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not batch:
                return deleted
            roll_up_days_of(event_ids=batch)
            count, _ = PageEvent.objects.filter(pk__in=batch).delete()
            deleted += count
