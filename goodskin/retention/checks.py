"""System checks that tie the retention schedule together: every name a model declares has a
starting rule, every name removed by age has a table whose clock the purge reads (and every table
of that name has one, so none is silently kept), and no starting rule is below the law's floor."""

from __future__ import annotations

from typing import Any

from django.core import checks

from goodskin.core.datamap import PersonalData
from goodskin.core.schedule import BY_KEY, SCHEDULE, Removal
from goodskin.jurisdictions.retention_floors import FLOORS, shorter_than_floor
from goodskin.vault.registry import entries


def _declared() -> list[tuple[str, PersonalData]]:
    return [
        (entry.label, entry.declaration)
        for entry in entries()
        if isinstance(entry.declaration, PersonalData)
    ]


def schedule_errors(
    declared: list[tuple[str, PersonalData]], floors: dict[str, Any]
) -> list[checks.Error]:
    errors = []
    used = {declaration.retention for _, declaration in declared}
    for label, declaration in declared:
        name = BY_KEY.get(declaration.retention)
        if name is None:
            continue  # vault.E009 names it
        clock = declaration.retention_clock
        if name.removal == Removal.BY_AGE and clock is None:
            errors.append(
                checks.Error(
                    f"{label}: retention {name.key!r} is removed by age, but the table declares "
                    "no retention_clock, so the purge would never reach it",
                    id="retention.E001",
                )
            )
        if name.removal != Removal.BY_AGE and clock is not None:
            errors.append(
                checks.Error(
                    f"{label}: retention {name.key!r} goes {name.removal.value.replace('_', ' ')}"
                    ", not by age; drop its retention_clock",
                    id="retention.E002",
                )
            )
    for name in SCHEDULE:
        if name.key not in used and name.removal != Removal.BACKUP_FILES:
            errors.append(
                checks.Error(
                    f"retention {name.key!r} is in the schedule but no table declares it",
                    id="retention.E003",
                )
            )
        floor = shorter_than_floor(name.key, name.period_days)
        if floor is not None:
            errors.append(
                checks.Error(
                    f"retention {name.key!r} starts below its legal floor ({floor.citation})",
                    id="retention.E004",
                )
            )
    for key in sorted(set(floors) - set(BY_KEY)):
        errors.append(
            checks.Error(
                f"the legal floor for {key!r} names no retention rule in core/schedule.py",
                id="retention.E005",
            )
        )
    return errors


@checks.register(checks.Tags.models)
def check_schedule(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    return schedule_errors(_declared(), FLOORS)
