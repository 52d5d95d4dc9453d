"""The 30-day rule, as the policy states it, decided by the pure function."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from goodskin.policies.in_force import (
    CLINIC_TIME,
    Account,
    Published,
    Told,
    in_force,
    notice_effective_at,
)

DAY0 = datetime(2027, 3, 1, 9, 0, tzinfo=CLINIC_TIME)
V1 = Published(1, material=False, announced_at=DAY0 - timedelta(days=400))
V2 = Published(2, material=True, announced_at=DAY0)
HOLDER = Account(opened_at=DAY0 - timedelta(days=100))


def day(number: float) -> datetime:
    return DAY0 + timedelta(days=number)


def told_on(number: float, accepted: float | None = None) -> Told:
    emailed = day(number)
    accepted_at = day(accepted) if accepted is not None else None
    return Told(
        notice_effective_at(emailed_at=emailed, seen_at=None, accepted_at=accepted_at), accepted_at
    )


def test_notified_on_day_0_the_old_version_governs_on_day_29_and_the_new_on_day_30() -> None:
    notices = {2: told_on(0)}
    assert in_force([V1, V2], at=day(29.99), notices=notices, account=HOLDER) == 1
    assert in_force([V1, V2], at=day(30), notices=notices, account=HOLDER) == 2


def test_accepting_brings_the_new_version_in_at_once() -> None:
    notices = {2: told_on(0, accepted=3)}
    assert in_force([V1, V2], at=day(2.9), notices=notices, account=HOLDER) == 1
    assert in_force([V1, V2], at=day(3), notices=notices, account=HOLDER) == 2


def test_the_clock_starts_at_the_first_notice_whichever_channel() -> None:
    effective = notice_effective_at(emailed_at=day(5), seen_at=day(2), accepted_at=None)
    assert effective == day(32)


def test_an_account_holder_not_yet_told_stays_on_the_old_version() -> None:
    assert in_force([V1, V2], at=day(90), notices={}, account=HOLDER) == 1


def test_someone_without_an_account_is_told_by_the_posting() -> None:
    assert in_force([V1, V2], at=day(29), notices={}, account=None) == 1
    assert in_force([V1, V2], at=day(30), notices={}, account=None) == 2


def test_an_account_opened_after_the_announcement_accepted_the_new_version_on_sign_up() -> None:
    newcomer = Account(opened_at=day(10))
    assert in_force([V1, V2], at=day(10), notices={}, account=newcomer) == 2


def test_an_immaterial_fix_on_top_waits_for_the_material_change_it_corrects() -> None:
    v3 = Published(3, material=False, announced_at=day(10))
    notices = {2: told_on(0)}
    assert in_force([V1, V2, v3], at=day(20), notices=notices, account=HOLDER) == 1
    assert in_force([V1, V2, v3], at=day(30), notices=notices, account=HOLDER) == 3


def test_accepting_a_later_version_accepts_the_earlier_change_it_contains() -> None:
    v3 = Published(3, material=True, announced_at=day(40))
    notices = {3: told_on(40, accepted=41)}  # never told of v2: its email bounced
    assert in_force([V1, V2, v3], at=day(40), notices=notices, account=HOLDER) == 1
    assert in_force([V1, V2, v3], at=day(41), notices=notices, account=HOLDER) == 3


def test_closing_the_account_mid_notice_does_not_rewrite_which_version_governed() -> None:
    closed = Account(opened_at=HOLDER.opened_at, closed_at=day(10))
    assert in_force([V1, V2], at=day(60), notices={}, account=closed) == 1


def test_nothing_governs_before_the_first_version() -> None:
    assert (
        in_force([V1, V2], at=V1.announced_at - timedelta(seconds=1), notices={}, account=None)
        is None
    )


def test_thirty_calendar_days_are_counted_on_the_clinics_clock_across_daylight_saving() -> None:
    la = ZoneInfo("America/Los_Angeles")
    told = datetime(2027, 3, 1, 9, 0, tzinfo=la)  # before the clocks change on 14 March
    effective = notice_effective_at(emailed_at=told.astimezone(UTC), seen_at=None, accepted_at=None)
    assert effective == datetime(2027, 3, 31, 9, 0, tzinfo=la)
    assert effective.astimezone(UTC) - told.astimezone(UTC) == timedelta(hours=719)  # not 720
