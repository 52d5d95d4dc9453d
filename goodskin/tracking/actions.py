"""Writing analytics events: minimised first, one INSERT per batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from goodskin.tracking.minimise import Device
from goodskin.tracking.models import DailySummary, PageEvent


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
def roll_up_day(*, day: date) -> int:
    """Replace the day's summaries with totals computed from its events. Idempotent; run nightly
    for closed days, and again safely after late events."""
    from goodskin.tracking.queries import compute_day

    computed = compute_day(day)
    DailySummary.objects.filter(day=day).delete()
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
