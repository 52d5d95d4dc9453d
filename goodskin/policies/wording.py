"""The request clocks as sentences, grouped from the jurisdiction table. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from goodskin.jurisdictions.dated import in_force_on
from goodskin.jurisdictions.privacy import STATE_LAWS, STATE_NAMES, Jurisdiction


@dataclass(frozen=True)
class ClockGroup:
    days: int
    states: tuple[str, ...]  # names, in the reader's language


@dataclass(frozen=True)
class Clocks:
    receipt_business_days: int | None
    answer: tuple[ClockGroup, ...]  # states whose law is in force, by answer deadline
    everyone_else: int  # our promise, where no state law applies


def in_force(on: date) -> list[Jurisdiction]:
    return [law for law in STATE_LAWS if in_force_on(law, on)]


def clock_groups(laws: list[Jurisdiction], promise: Jurisdiction) -> Clocks:
    """Every promise about time comes from the table: one line per answer deadline, naming the
    states it applies to, and the promise for everyone else."""
    grouped: dict[int, list[str]] = {}
    for law in sorted(laws, key=lambda law: str(STATE_NAMES.get(law.code, law.name))):
        grouped.setdefault(law.response_days, []).append(str(STATE_NAMES.get(law.code, law.name)))
    return Clocks(
        receipt_business_days=promise.confirm_receipt_business_days,
        answer=tuple(ClockGroup(days, tuple(names)) for days, names in sorted(grouped.items())),
        everyone_else=promise.response_days,
    )
