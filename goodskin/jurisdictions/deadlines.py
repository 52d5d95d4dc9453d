"""Deadline arithmetic for privacy requests. Pure: every function takes the dates it needs.

Calendar-day clocks count from the day of receipt (day 45 is received + 45). Business-day clocks
skip Saturdays, Sundays and US federal holidays (with their observed days), from the `holidays`
package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from goodskin.jurisdictions.privacy import Jurisdiction


@cache
def _federal(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", years=[year, year + 1])


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal(day.year)


def add_business_days(start: date, days: int) -> date:
    """The `days`-th business day after `start` (start itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day):
            counted += 1
    return day


@dataclass(frozen=True)
class Deadlines:
    received: date
    receipt_confirmation: date | None
    opt_out_due: date | None
    response_due: date
    extended_due: date
    extension_notice_by: date
    appeal_response_due: date | None


def deadlines(rules: Jurisdiction, *, received: date) -> Deadlines:
    response = received + timedelta(days=rules.response_days)
    return Deadlines(
        received=received,
        receipt_confirmation=(
            add_business_days(received, rules.confirm_receipt_business_days)
            if rules.confirm_receipt_business_days
            else None
        ),
        opt_out_due=(
            add_business_days(received, rules.opt_out_business_days)
            if rules.opt_out_business_days
            else None
        ),
        response_due=response,
        extended_due=response + timedelta(days=rules.extension_days),
        extension_notice_by=response,
        appeal_response_due=(
            received + timedelta(days=rules.appeal_response_days)
            if rules.appeal_response_days is not None
            else None
        ),
    )
