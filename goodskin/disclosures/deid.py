"""k-anonymous, generalised tables for reporting. Pure: rows in, groups out, no database.

Every released row is a combination of quasi-identifiers with a count; a combination shared by
fewer than k people is suppressed (left out). When leaving out small groups would drop more than
`max_suppressed` of the people, the export is refused and the field that most breaks it is named,
so the person asking can choose fewer or coarser fields instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_K = 10
DEFAULT_MAX_SUPPRESSED = 0.05


def age_band(age: int) -> str:
    if age < 18:
        return "under 18"
    if age >= 75:
        return "75+"
    if age < 25:
        return "18-24"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


def zip3(postal_code: str) -> str:
    digits = "".join(character for character in postal_code if character.isdigit())
    return digits[:3] + "xx" if len(digits) >= 3 else "unknown"


@dataclass(frozen=True)
class Released:
    fields: tuple[str, ...]
    groups: list[tuple[tuple[str, ...], int]]
    people: int
    suppressed: int
    k: int


class ExportRefused(ValueError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _suppressed(counts: Counter[tuple[str, ...]], k: int) -> int:
    return sum(count for count in counts.values() if count < k)


def release(
    rows: Iterable[Sequence[str]],
    *,
    fields: Sequence[str],
    k: int = DEFAULT_K,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    counts: Counter[tuple[str, ...]] | None = None,
) -> Released:
    """Group `rows` (already generalised, one value per field) or take ready `counts`, and keep
    only the combinations shared by at least k."""
    if k < 2:
        raise ExportRefused("k must be at least 2: a group of one identifies its person.")
    counts = counts if counts is not None else Counter(tuple(row) for row in rows)
    people = sum(counts.values())
    if people == 0:
        raise ExportRefused("There is nothing to export.")
    suppressed = _suppressed(counts, k)
    if suppressed > max_suppressed * people:
        raise ExportRefused(
            _why(counts, fields, k, people, suppressed), field=_culprit(counts, fields, k)
        )
    return Released(
        fields=tuple(fields),
        groups=sorted((key, count) for key, count in counts.items() if count >= k),
        people=people,
        suppressed=suppressed,
        k=k,
    )


def _without(counts: Counter[tuple[str, ...]], index: int) -> Counter[tuple[str, ...]]:
    merged: Counter[tuple[str, ...]] = Counter()
    for key, count in counts.items():
        merged[key[:index] + key[index + 1 :]] += count
    return merged


def _culprit(counts: Counter[tuple[str, ...]], fields: Sequence[str], k: int) -> str | None:
    """The field whose removal leaves the fewest people in groups smaller than k."""
    if len(fields) < 2:
        return fields[0] if fields else None
    scores = [(_suppressed(_without(counts, index), k), name) for index, name in enumerate(fields)]
    return min(scores)[1]


def _why(
    counts: Counter[tuple[str, ...]], fields: Sequence[str], k: int, people: int, suppressed: int
) -> str:
    culprit = _culprit(counts, fields, k)
    share = round(100 * suppressed / people)
    return (
        f"Only {people - suppressed} of {people} people fall in groups of at least {k}; "
        f"{share}% would have to be left out. "
        + (
            f"The field “{culprit}” splits people into groups too small: leave it out or "
            "choose a coarser one."
            if culprit
            else "Choose a coarser field."
        )
    )
