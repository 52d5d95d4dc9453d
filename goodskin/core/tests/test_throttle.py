from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goodskin.core import throttle
from goodskin.core.models import RateCounter

pytestmark = pytest.mark.django_db
LIMIT = throttle.Limit("test", 3, timedelta(minutes=10))
NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_limit_allows_up_to_the_maximum_and_not_one_more() -> None:
    assert [throttle.attempt((LIMIT, "value"), now=NOON) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert throttle.attempt((LIMIT, "other"), now=NOON) is True
    assert RateCounter.objects.get(key=throttle.counter_key(LIMIT, "value")).hits == 3


def test_a_refused_attempt_reserves_nothing_in_any_of_its_limits() -> None:
    other = throttle.Limit("other", 1, timedelta(minutes=10))
    assert throttle.attempt((other, "value"), now=NOON) is True
    assert throttle.attempt((LIMIT, "value"), (other, "value"), now=NOON) is False
    assert not RateCounter.objects.filter(key=throttle.counter_key(LIMIT, "value")).exists()


def test_a_refund_gives_back_one_attempt() -> None:
    for _ in range(3):
        throttle.attempt((LIMIT, "value"), now=NOON)
    throttle.refund(LIMIT, "value")
    assert throttle.attempt((LIMIT, "value"), now=NOON) is True
    assert throttle.attempt((LIMIT, "value"), now=NOON) is False


def test_window_restarts_after_it_ends() -> None:
    for _ in range(3):
        throttle.attempt((LIMIT, "value"), now=NOON)
    later = NOON + timedelta(minutes=10)
    assert throttle.attempt((LIMIT, "value"), now=later) is True
    assert RateCounter.objects.get().hits == 1


def test_a_slowing_limit_doubles_the_wait_after_its_free_hits() -> None:
    slowing = throttle.Limit("slow", 100, timedelta(hours=1), backoff_after=2)
    assert throttle.attempt((slowing, "v"), now=NOON) is True
    assert throttle.attempt((slowing, "v"), now=NOON) is True
    assert throttle.attempt((slowing, "v"), now=NOON) is False  # wait 1 s
    assert throttle.attempt((slowing, "v"), now=NOON + timedelta(seconds=1)) is True
    assert throttle.attempt((slowing, "v"), now=NOON + timedelta(seconds=2)) is False  # 2 s
    assert throttle.attempt((slowing, "v"), now=NOON + timedelta(seconds=3)) is True
    assert [slowing.wait_after(hits) for hits in (1, 2, 3, 4, 40)] == [
        timedelta(0),
        timedelta(seconds=1),
        timedelta(seconds=2),
        timedelta(seconds=4),
        timedelta(minutes=5),
    ]


def test_same_value_in_two_scopes_counts_separately() -> None:
    other = throttle.Limit("other", 3, timedelta(minutes=10))
    throttle.attempt((LIMIT, "value"), now=NOON)
    assert throttle.count_and_attempt((other, "value"), now=NOON) == 1
    assert RateCounter.objects.count() == 2


def test_purge_removes_only_expired_counters() -> None:
    throttle.attempt((LIMIT, "old"), now=NOON - timedelta(hours=2))
    throttle.attempt((LIMIT, "new"), now=NOON)
    assert throttle.purge_expired(now=NOON, longest_window=timedelta(hours=1)) == 1
    assert RateCounter.objects.get().key == throttle.counter_key(LIMIT, "new")


def test_the_one_statement_attempt_and_the_locked_one_decide_alike_over_windows() -> None:
    moments = [
        NOON + timedelta(minutes=minute) for minute in (0, 0, 1, 2, 3, 9, 10, 10, 10, 10, 25)
    ]
    fast = [throttle.attempt((LIMIT, "fast"), now=moment) for moment in moments]
    locked = [
        throttle.count_and_attempt((LIMIT, "locked"), now=moment) is not None for moment in moments
    ]
    assert fast == locked == [True, True, True, False, False, False, True, True, True, False, True]
    rows = {row.key: row for row in RateCounter.objects.all()}
    fast_row = rows[throttle.counter_key(LIMIT, "fast")]
    locked_row = rows[throttle.counter_key(LIMIT, "locked")]
    assert (fast_row.hits, fast_row.window_started_at, fast_row.last_hit_at) == (
        locked_row.hits,
        locked_row.window_started_at,
        locked_row.last_hit_at,
    )
    assert (fast_row.hits, fast_row.window_started_at) == (1, NOON + timedelta(minutes=25))


def test_a_refused_attempt_leaves_the_counter_as_it_was() -> None:
    for _ in range(3):
        throttle.attempt((LIMIT, "value"), now=NOON)
    assert throttle.attempt((LIMIT, "value"), now=NOON + timedelta(minutes=5)) is False
    row = RateCounter.objects.get()
    assert (row.hits, row.window_started_at, row.last_hit_at) == (3, NOON, NOON)
