"""Rate limits shared by all processes through the database, race-free.

A caller *reserves* an attempt before doing the limited thing (`attempt`), and gives it back if
the thing turned out not to count (`refund`). Reading a count and writing it later would let
twenty simultaneous requests all read "4 of 5" and all pass; here the read, the decision and the
write happen under one row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions take the write lock at BEGIN), so at most `max_hits` attempts ever pass in a window.

A limit may also slow down instead of stopping (`backoff_after`): past that many hits, each next
attempt must wait twice as long after the last as the one before, up to `backoff_longest`. Values
are stored only as keyed hashes (see RateCounter).

One check without a slow-down, the common case (the analytics beacon, forms), is one INSERT … ON
CONFLICT DO UPDATE … WHERE … RETURNING: the row lock, the decision and the count in a single
statement, which returns a row only when the hit was counted. The same rule, one round trip.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from goodskin.core.models import RateCounter


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window: timedelta
    backoff_after: int | None = None
    backoff_first: timedelta = timedelta(seconds=1)
    backoff_longest: timedelta = timedelta(minutes=5)

    def wait_after(self, hits: int) -> timedelta:
        """How long after the last hit the next may come, with `hits` already counted."""
        if self.backoff_after is None or hits < self.backoff_after:
            return timedelta(0)
        doublings = min(hits - self.backoff_after, 30)
        return min(self.backoff_first * (1 << doublings), self.backoff_longest)


Check = tuple[Limit, str]


class _Refused(Exception):
    pass


def counter_key(limit: Limit, value: str) -> str:
    message = f"{limit.scope}\x00{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _locked_counter(key: str, now: datetime) -> RateCounter:
    counter = RateCounter.objects.select_for_update().filter(key=key).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            return RateCounter.objects.create(key=key, window_started_at=now, hits=0)
    except IntegrityError:  # another process created it first; count on theirs
        return RateCounter.objects.select_for_update().get(key=key)


def _locked_in_window(limit: Limit, value: str, now: datetime) -> RateCounter:
    """The counter, locked, with a window that has ended started afresh."""
    counter = _locked_counter(counter_key(limit, value), now)
    if counter.window_started_at + limit.window <= now:
        counter.window_started_at, counter.hits, counter.last_hit_at = now, 0, None
    return counter


def _take(limit: Limit, value: str, *, now: datetime, wanted: int = 1, gate: bool = True) -> int:
    """Count `wanted` hits (or fewer, when gate is False and the window is full) and return the
    hits now in the window; raise _Refused when the limit says no. Call inside a transaction."""
    counter = _locked_in_window(limit, value, now)
    if gate:
        if counter.hits + wanted > limit.max_hits:
            raise _Refused
        wait = limit.wait_after(counter.hits)
        if wait and counter.last_hit_at is not None and now < counter.last_hit_at + wait:
            raise _Refused
        counter.hits += wanted
    else:  # counted whatever the limit says, but never past it (the row only needs to say "full")
        counter.hits = min(counter.hits + wanted, limit.max_hits)
    counter.last_hit_at = now
    counter.save(update_fields=["window_started_at", "hits", "last_hit_at"])
    return counter.hits


_ONE_STATEMENT_ENGINES = frozenset({"sqlite", "postgresql"})  # both speak ON CONFLICT … RETURNING
_TABLE = RateCounter._meta.db_table
# The first hit creates the counter; a later one is counted only when the window has ended (it
# starts afresh at 1) or has room. A row comes back only when the hit was counted: the DO UPDATE's
# WHERE leaves a full counter untouched and returns nothing. The SET expressions read the row as
# it was.
_COUNT_IF_ROOM = (
    f'INSERT INTO {_TABLE} AS counter ("key", window_started_at, hits, last_hit_at) '  # noqa: S608  (ours)
    'VALUES (%s, %s, 1, %s) ON CONFLICT ("key") DO UPDATE SET '
    "hits = CASE WHEN counter.window_started_at <= %s THEN 1 ELSE counter.hits + 1 END, "
    "window_started_at = CASE WHEN counter.window_started_at <= %s THEN %s "
    "ELSE counter.window_started_at END, "
    "last_hit_at = %s "
    "WHERE counter.window_started_at <= %s OR counter.hits < %s RETURNING hits"
)


def _attempt_in_one_statement(limit: Limit, value: str, now: datetime) -> bool:
    adapt = connection.ops.adapt_datetimefield_value
    at, window_floor = adapt(now), adapt(now - limit.window)
    with connection.cursor() as cursor:
        cursor.execute(
            _COUNT_IF_ROOM,
            [counter_key(limit, value), at, at, window_floor, window_floor, at, at, window_floor,
             limit.max_hits],
        )  # fmt: skip
        return cursor.fetchone() is not None


def attempt(first: Check, *others: Check, now: datetime) -> bool:
    """Reserve one attempt against every check, or against none of them: True if all allow it."""
    limit, value = first
    if not others and limit.backoff_after is None and connection.vendor in _ONE_STATEMENT_ENGINES:
        return _attempt_in_one_statement(limit, value, now)
    return count_and_attempt(first, *others, now=now) is not None


def count_and_attempt(counted: Check, *gated: Check, now: datetime) -> int | None:
    """Reserve against `counted` and every check in `gated`, all or none; return the hits now
    counted on the first, or None when any check refuses."""
    try:
        with transaction.atomic():
            hits = _take(*counted, now=now)
            for limit, value in gated:
                _take(limit, value, now=now)
    except _Refused:
        return None
    return hits


def record(limit: Limit, value: str, *, now: datetime) -> int:
    """Count a hit that has already happened, whatever the limit says; return the hits now."""
    with transaction.atomic():
        return _take(limit, value, now=now, gate=False)


def refund(limit: Limit, value: str) -> None:
    """Give back one reserved attempt that turned out not to count."""
    RateCounter.objects.filter(key=counter_key(limit, value), hits__gt=0).update(hits=F("hits") - 1)


@transaction.atomic
def take(limit: Limit, value: str, *, now: datetime, wanted: int) -> tuple[int, datetime]:
    """Take up to `wanted` hits at once; return how many were granted and when the window ends."""
    counter = _locked_in_window(limit, value, now)
    granted = max(0, min(wanted, limit.max_hits - counter.hits))
    counter.hits += granted
    counter.last_hit_at = now
    counter.save(update_fields=["window_started_at", "hits", "last_hit_at"])
    return granted, counter.window_started_at + limit.window


def clear(limit: Limit, value: str) -> None:
    RateCounter.objects.filter(key=counter_key(limit, value)).delete()


def purge_expired(*, now: datetime, longest_window: timedelta) -> int:
    deleted, _ = RateCounter.objects.filter(window_started_at__lt=now - longest_window).delete()
    return deleted
