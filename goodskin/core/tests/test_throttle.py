from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goodskin.core import throttle
from goodskin.core.models import RateCounter

pytestmark = pytest.mark.django_db
LIMIT = throttle.Limit("test", 3, timedelta(minutes=10))
NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_limit_blocks_at_the_maximum_and_not_before() -> None:
    for expected in (1, 2):
        assert throttle.hit(LIMIT, "value", now=NOON) == expected
        assert throttle.is_blocked(LIMIT, "value", now=NOON) is False
    assert throttle.hit(LIMIT, "value", now=NOON) == 3
    assert throttle.is_blocked(LIMIT, "value", now=NOON) is True
    assert throttle.is_blocked(LIMIT, "other", now=NOON) is False


def test_window_restarts_after_it_ends() -> None:
    for _ in range(3):
        throttle.hit(LIMIT, "value", now=NOON)
    later = NOON + timedelta(minutes=10)
    assert throttle.is_blocked(LIMIT, "value", now=later) is False
    assert throttle.hit(LIMIT, "value", now=later) == 1


def test_same_value_in_two_scopes_counts_separately() -> None:
    other = throttle.Limit("other", 3, timedelta(minutes=10))
    throttle.hit(LIMIT, "value", now=NOON)
    assert throttle.hit(other, "value", now=NOON) == 1
    assert RateCounter.objects.count() == 2


def test_purge_removes_only_expired_counters() -> None:
    throttle.hit(LIMIT, "old", now=NOON - timedelta(hours=2))
    throttle.hit(LIMIT, "new", now=NOON)
    assert throttle.purge_expired(now=NOON, longest_window=timedelta(hours=1)) == 1
    assert throttle.is_blocked(LIMIT, "new", now=NOON) is False
    assert RateCounter.objects.count() == 1
