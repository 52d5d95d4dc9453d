"""The breach table changes over time like the privacy table: an incident is judged by the rows
in force on the day it was discovered."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from goodskin.jurisdictions.breach import FALLBACK, ROWS_BY_STATE, breach_law_for
from goodskin.jurisdictions.deadlines import breach_clocks


def test_a_california_breach_found_before_sb_446_has_no_fixed_day_count_and_after_it_thirty() -> (
    None
):
    before = breach_law_for("ca", on=date(2025, 12, 31))
    after = breach_law_for("CA", on=date(2026, 1, 1))
    assert (before.days, before.regulator_days_after_residents) == (None, None)
    assert (after.days, after.regulator_days_after_residents) == (30, 15)
    assert before is not after
    assert [row.statute for row in ROWS_BY_STATE["CA"]] == [before.statute, after.statute]


def test_the_clock_of_a_california_incident_uses_the_row_in_force_when_it_was_discovered() -> None:
    found = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)
    result = breach_clocks(
        discovered_at=found,
        residents=Counter({"CA": 600}),
        phi_residents=Counter(),
        paused=timedelta(),
    )
    (clock,) = result.states
    assert clock.law is breach_law_for("CA", on=date(2026, 1, 5))
    assert clock.due_at == found + timedelta(days=30)
    assert clock.regulator_needed is True


def test_a_state_without_a_row_gets_the_platform_default_whatever_the_day() -> None:
    assert breach_law_for("TX", on=date(2026, 6, 1)) is ROWS_BY_STATE["TX"][0]
    assert "NY" not in ROWS_BY_STATE
    for day in (date(2020, 1, 1), date(2026, 6, 1)):
        assert breach_law_for("NY", on=day) is FALLBACK
    assert FALLBACK.resident_days == 30
