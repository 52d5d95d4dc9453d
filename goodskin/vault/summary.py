"""The data map, shaped for people: the public "what we collect and why" list and the staff table.
Both are generated from the declarations, so they cannot drift from the code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from goodskin.vault.datamap import NotPersonal
from goodskin.vault.registry import entries, personal_fields
from goodskin.vault.taxonomy import DATA_CATEGORIES, DATA_USES, RETENTION_RULES, is_sensitive


@dataclass(frozen=True)
class CollectedItem:
    """One kind of information, as a visitor reads it."""

    category: str
    what: str
    why: list[str]
    kept: list[str]
    sealed: bool
    shared_with: list[str]


def _data_map_wording(rule: str) -> str:
    return str(RETENTION_RULES[rule])


def what_we_collect(
    describe_retention: Callable[[str], str] = _data_map_wording,
) -> list[CollectedItem]:
    """`describe_retention` turns a rule name into words: the retention schedule's, when the
    caller has it, else the data map's own."""
    grouped: dict[str, dict[str, set[str]]] = {}
    for mapped in personal_fields():
        category = mapped.personal.category
        if category.startswith("system."):
            continue
        slot = grouped.setdefault(category, {"why": set(), "kept": set(), "recipients": set()})
        slot["why"].update(mapped.personal.purposes)
        slot["kept"].add(mapped.declaration.retention)
        slot["recipients"].update(mapped.personal.recipients)
    return [
        CollectedItem(
            category=category,
            what=str(DATA_CATEGORIES[category]),
            why=[str(DATA_USES[purpose]) for purpose in sorted(slot["why"])],
            kept=[describe_retention(rule) for rule in sorted(slot["kept"])],
            sealed=is_sensitive(category),
            shared_with=sorted(slot["recipients"]),
        )
        for category, slot in sorted(grouped.items())
    ]


@dataclass(frozen=True)
class MapRow:
    model: str
    table: str
    field: str
    category: str
    purposes: str
    basis: str
    sealed: bool
    retention: str
    on_erase: str
    recipients: str


@dataclass(frozen=True)
class UndeclaredModel:
    model: str
    reason: str


def staff_table() -> tuple[list[MapRow], list[UndeclaredModel]]:
    rows = [
        MapRow(
            model=mapped.model._meta.label,
            table=mapped.table,
            field=mapped.name,
            category=mapped.personal.category,
            purposes=", ".join(mapped.personal.purposes),
            basis=mapped.personal.basis,
            sealed=is_sensitive(mapped.personal.category),
            retention=mapped.declaration.retention,
            on_erase=str(mapped.declaration.on_erase),
            recipients=", ".join(mapped.personal.recipients) or "—",
        )
        for mapped in personal_fields()
    ]
    not_personal = [
        UndeclaredModel(entry.label, entry.declaration.reason)
        for entry in entries()
        if isinstance(entry.declaration, NotPersonal)
    ]
    return rows, not_personal
