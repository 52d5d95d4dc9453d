"""Legal floors under the retention rules: the shortest time the law lets us keep a kind of record.

Law as data, with the source beside each row; not legal advice — this table is what counsel reviews.
A rule shorter than its floor is refused when the privacy officer edits it. `None` as the floor's
days means the record must be kept with no end date while its purpose lasts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Floor:
    days: int | None
    citation: str
    why: str


FLOORS: dict[str, Floor] = {
    "consent": Floor(
        730,
        "Cal. Code Regs. tit. 11, § 7101(a)",
        "Records of consumer requests, opt-outs included, and how they were answered: at least "
        "24 months.",
    ),
    "rights-requests": Floor(
        730,
        "Cal. Code Regs. tit. 11, § 7101(a)",
        "Records of consumer requests and how they were answered: at least 24 months.",
    ),
    "suppression": Floor(
        None,
        "15 U.S.C. § 7704(a)(4); 16 C.F.R. § 316.5",
        "After an opt-out no commercial email may be sent to the address, with no end date: the "
        "opt-out must be remembered for as long as we send marketing.",
    ),
}


def shorter_than_floor(key: str, period_days: int | None) -> Floor | None:
    """The floor a proposed period would break, or None."""
    floor = FLOORS.get(key)
    if floor is None:
        return None
    if floor.days is None:
        return floor if period_days is not None else None
    if period_days is not None and period_days < floor.days:
        return floor
    return None
