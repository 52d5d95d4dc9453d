"""The yearly request metrics CCPA regulations ask large businesses to publish (11 CCR § 7102):
received, complied with in whole or part, denied, and the median (and 95th-percentile) days to
respond, by request type and by state. Pure: rows in, table out."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Closed:
    kind: str
    state: str
    status: str  # fulfilled, denied, or still open
    received_on: date
    closed_on: date | None


@dataclass(frozen=True)
class MetricsRow:
    group: str
    received: int
    complied: int
    denied: int
    median_days: float | None
    p95_days: int | None

    @property
    def median_share(self) -> int:
        """The median as a percentage of the common 45-day deadline, for the bar beside it."""
        return 0 if self.median_days is None else round(min(self.median_days, 45) / 45 * 100)


def _p95(days: list[int]) -> int | None:
    if not days:
        return None
    ordered = sorted(days)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def table(requests: Iterable[Closed], *, by: str) -> list[MetricsRow]:
    grouped: dict[str, list[Closed]] = defaultdict(list)
    for request in requests:
        grouped[request.kind if by == "kind" else request.state].append(request)
    rows = []
    for group, items in sorted(grouped.items()):
        days = [
            (item.closed_on - item.received_on).days
            for item in items
            if item.closed_on is not None and item.status in {"fulfilled", "denied"}
        ]
        rows.append(
            MetricsRow(
                group=group,
                received=len(items),
                complied=sum(item.status == "fulfilled" for item in items),
                denied=sum(item.status == "denied" for item in items),
                median_days=statistics.median(days) if days else None,
                p95_days=_p95(days),
            )
        )
    return rows
