"""Deadline arithmetic for privacy requests and breach notices. Pure: every function takes the
dates it needs.

Calendar-day clocks count from the day of receipt (day 45 is received + 45). Business-day clocks
skip Saturdays, Sundays and US federal holidays (with their observed days), from the `holidays`
package.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.utils import timezone

from goodskin.jurisdictions.breach import HIPAA, BreachLaw, breach_law_for
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


@dataclass(frozen=True)
class StateClock:
    state: str
    law: BreachLaw
    residents: int
    residents_with_phi: int
    due_at: datetime  # residents' notices, with any law-enforcement delay added
    regulator_needed: bool
    cra_needed: bool
    media_needed: bool  # HIPAA: more than 500 residents of one state


@dataclass(frozen=True)
class BreachClocks:
    states: list[StateClock]
    total: int
    hhs_needed: bool
    paused: timedelta
    notes: list[str] = field(default_factory=list)


def breach_clocks(
    *,
    discovered_at: datetime,
    residents: Counter[str],
    phi_residents: Counter[str],
    paused: timedelta,
) -> BreachClocks:
    """Each state's deadline from discovery (plus the law-enforcement pause), the stricter of the
    state's and HIPAA's 60 days where PHI is involved, and which regulators must hear of it."""
    states = []
    for state, count in sorted(residents.items()):
        law = breach_law_for(state, on=timezone.localdate(discovered_at))
        days = law.resident_days
        if phi_residents[state]:
            days = min(days, HIPAA.resident_days)
        states.append(
            StateClock(
                state=state,
                law=law,
                residents=count,
                residents_with_phi=phi_residents[state],
                due_at=discovered_at + timedelta(days=days) + paused,
                regulator_needed=law.regulator_needed(count),
                cra_needed=law.cra_needed(count),
                media_needed=phi_residents[state] > 500,
            )
        )
    total_phi = sum(phi_residents.values())
    return BreachClocks(
        states=sorted(states, key=lambda clock: (clock.due_at, clock.state)),
        total=sum(residents.values()),
        hhs_needed=total_phi >= 500,
        paused=paused,
    )
