"""Writing analytics events: minimised first, one INSERT per batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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


def record_events(
    *,
    events: Sequence[Incoming],
    visitor: str,
    consented: bool,
    ip_prefix: str,
    device: Device,
    language: str,
) -> int:
    """Store a batch of already-validated events in one statement; returns how many.

    Analytics rows are append-only, hold no values that identify a person (see minimise.py) and
    are not audited one by one: their retention and roll-up are (the audit log would dwarf them).
    """
    rows = [
        PageEvent(
            occurred_at=event.occurred_at,
            kind=event.kind,
            path=event.path,
            previous_path=event.previous_path,
            referrer_host=event.referrer_host,
            visitor=visitor,
            consented=consented,
            ip_prefix=ip_prefix,
            device=device.kind,
            browser=device.browser,
            os=device.os,
            screen=event.screen,
            language=language,
        )
        for event in events
    ]
    PageEvent.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
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
