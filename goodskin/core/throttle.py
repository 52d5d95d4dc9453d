"""Fixed-window rate limits shared by all processes through the database.

Callers check `is_blocked` before doing the limited thing and call `hit` when it counts against the
limit (a failed sign-in, say). Values are stored only as keyed hashes (see RateCounter).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from goodskin.core.models import RateCounter


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window: timedelta


def counter_key(limit: Limit, value: str) -> str:
    message = f"{limit.scope}\x00{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_blocked(limit: Limit, value: str, *, now: datetime) -> bool:
    counter = RateCounter.objects.filter(key=counter_key(limit, value)).first()
    if counter is None or counter.window_started_at + limit.window <= now:
        return False
    return counter.hits >= limit.max_hits


@transaction.atomic
def hit(limit: Limit, value: str, *, now: datetime) -> int:
    """Count one hit and return the hits in the current window."""
    key = counter_key(limit, value)
    counter = RateCounter.objects.select_for_update().filter(key=key).first()
    if counter is None:
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_started_at=now, hits=1)
            return 1
        except IntegrityError:  # another process created it first; count on theirs
            counter = RateCounter.objects.select_for_update().get(key=key)
    if counter.window_started_at + limit.window <= now:
        counter.window_started_at = now
        counter.hits = 1
    else:
        counter.hits += 1
    counter.save(update_fields=["window_started_at", "hits"])
    return counter.hits


@transaction.atomic
def take(limit: Limit, value: str, *, now: datetime, wanted: int) -> tuple[int, datetime]:
    """Take up to `wanted` hits at once; return how many were granted and when the window ends."""
    key = counter_key(limit, value)
    counter = RateCounter.objects.select_for_update().filter(key=key).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = RateCounter.objects.create(key=key, window_started_at=now, hits=0)
        except IntegrityError:  # another process created it first; count on theirs
            counter = RateCounter.objects.select_for_update().get(key=key)
    if counter.window_started_at + limit.window <= now:
        counter.window_started_at = now
        counter.hits = 0
    granted = max(0, min(wanted, limit.max_hits - counter.hits))
    counter.hits += granted
    counter.save(update_fields=["window_started_at", "hits"])
    return granted, counter.window_started_at + limit.window


def clear(limit: Limit, value: str) -> None:
    RateCounter.objects.filter(key=counter_key(limit, value)).delete()


def purge_expired(*, now: datetime, longest_window: timedelta) -> int:
    deleted, _ = RateCounter.objects.filter(window_started_at__lt=now - longest_window).delete()
    return deleted
