"""Which version of a policy governed a person at a moment. Pure: facts in, answer out.

The policy's rule: an immaterial change is in force when posted; a material change 30 calendar days
after the person's first notice of it, or when they accept it if that is sooner; until then the
previous version governs them. Whom we could tell decides what "first notice" means (ADR 0021):

* someone who held an account when the change was announced is told personally (the email, the
  notice on the site while signed in) and their own clock starts at the first of those;
* someone who opened an account after the announcement accepted the version in force when they
  signed up, so it governs them from that moment;
* anyone else (a visitor, someone who only wrote to us) can only be told by the notice posted on
  the site, so their clock starts at the posting.

Versions apply in order: a version never governs someone before the one it replaced does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

NOTICE_PERIOD = timedelta(days=30)
# Calendar days are counted on the clinic's clock: notice at 9:00 on 1 March takes effect at 9:00
# on 31 March in Los Angeles, whatever daylight saving did in between.
CLINIC_TIME = ZoneInfo("America/Los_Angeles")


def after_notice_period(moment: datetime) -> datetime:
    return moment.astimezone(CLINIC_TIME) + NOTICE_PERIOD


@dataclass(frozen=True)
class Published:
    number: int
    material: bool
    announced_at: datetime  # the posting (immaterial) or the start of the notice period


@dataclass(frozen=True)
class Account:
    opened_at: datetime
    closed_at: datetime | None = None

    def held_at(self, moment: datetime) -> bool:
        return self.opened_at <= moment and (self.closed_at is None or self.closed_at > moment)


def governs_from(
    version: Published, *, notice_effective_at: datetime | None, account: Account | None
) -> datetime | None:
    """When this version alone (ignoring its predecessors) begins to govern the person; None when
    it does not yet: an account holder not yet told and who has not accepted."""
    if not version.material:
        return version.announced_at
    if account is not None and account.held_at(version.announced_at):
        return notice_effective_at
    if account is not None and account.opened_at > version.announced_at:
        return account.opened_at
    return after_notice_period(version.announced_at)


def notice_effective_at(
    *, emailed_at: datetime | None, seen_at: datetime | None, accepted_at: datetime | None
) -> datetime | None:
    """30 days after the first notice, or the acceptance if sooner."""
    told = [moment for moment in (emailed_at, seen_at) if moment is not None]
    candidates = [after_notice_period(min(told))] if told else []
    if accepted_at is not None:
        candidates.append(accepted_at)
    return min(candidates) if candidates else None


@dataclass(frozen=True)
class Told:
    """A person's notice of one material version."""

    effective_at: datetime | None
    accepted_at: datetime | None = None


def in_force(
    versions: Sequence[Published],
    *,
    at: datetime,
    notices: dict[int, Told],
    account: Account | None,
) -> int | None:
    """The number of the version governing the person at `at` (None before the first version).
    `versions` in publication order; `notices` maps a material version's number to the person's
    notice of it. A version governs only once every earlier one does, except that accepting a
    version accepts everything in its text, earlier changes included."""
    starts: list[datetime | None] = [
        governs_from(
            version,
            notice_effective_at=notices[version.number].effective_at
            if version.number in notices
            else None,
            account=account,
        )
        for version in versions
    ]
    for position, version in enumerate(versions):
        accepted = notices[version.number].accepted_at if version.number in notices else None
        if accepted is None:
            continue
        for earlier in range(position):
            start = starts[earlier]
            starts[earlier] = accepted if start is None else min(start, accepted)
    current = None
    floor: datetime | None = None
    for version, start in zip(versions, starts, strict=True):
        if start is None:
            break  # not yet for them, and so neither is anything published after it
        floor = start if floor is None else max(floor, start)
        if floor > at:
            break
        current = version.number
    return current
