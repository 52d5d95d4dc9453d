"""Rows of law that change over time: several rows per state, at most one in force on any day.

Both tables (privacy rights, breach notification) keep a state's old row when a law is amended,
closing it with `effective_to` and opening the new row on the same day, so a request or an
incident is always judged by the row in force on its own date. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol


class Dated(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def effective_from(self) -> date | None: ...  # None: since before the table's first date
    @property
    def effective_to(self) -> date | None: ...  # None: still in force


def _start(row: Dated) -> date:
    return row.effective_from or date.min


def in_force_on(row: Dated, day: date) -> bool:
    return _start(row) <= day and (row.effective_to is None or day < row.effective_to)


def by_state[Row: Dated](rows: Iterable[Row]) -> dict[str, tuple[Row, ...]]:
    """Each state's rows, oldest first, refusing a table where two rows of one state overlap."""
    grouped: dict[str, list[Row]] = {}
    for row in sorted(rows, key=_start):
        earlier = grouped.setdefault(row.code, [])
        last_end = earlier[-1].effective_to if earlier else None
        if earlier and (last_end is None or last_end > _start(row)):
            raise ValueError(f"{row.code}: two rows in force on {_start(row).isoformat()}")
        earlier.append(row)
    return {code: tuple(found) for code, found in grouped.items()}


def row_in_force[Row: Dated](rows: dict[str, tuple[Row, ...]], code: str, day: date) -> Row | None:
    return next((row for row in rows.get(code, ()) if in_force_on(row, day)), None)
