"""The data map, shaped for people: the public "what we collect and why" list and the staff table.
Both are generated from the declarations, so they cannot drift from the code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from goodskin.core.datamap import NotPersonal
from goodskin.core.schedule import BY_KEY
from goodskin.vault.registry import entries, personal_fields
from goodskin.vault.taxonomy import (
    DATA_CATEGORIES,
    DATA_USES,
    SOURCES,
    is_sensitive,
)


@dataclass(frozen=True)
class Kept:
    """How long one place keeps a kind of information: the reader sees one line per place, so
    two rules never read as two contradictory answers to "how long"."""

    where: str
    how_long: str


@dataclass(frozen=True)
class CollectedItem:
    """One kind of information, as a visitor reads it."""

    category: str
    what: str
    why: list[str]
    kept: list[Kept]
    sources: list[str]
    sealed: bool
    shared_with: list[str]  # recipients' names, from the data map and the register


# A recipient in the register: its name and the data-map categories it receives ("user" is all).
Register = dict[str, tuple[str, list[str]]]


def _data_map_wording(rule: str) -> str:
    return str(BY_KEY[rule].keeps)


def _covers(received: str, category: str) -> bool:
    return category == received or category.startswith(received + ".")


def what_we_collect(
    describe_retention: Callable[[str], str] = _data_map_wording,
    register: Register | None = None,
    only_tables: set[str] | None = None,
) -> list[CollectedItem]:
    """Every kind of information the data map declares (or, with `only_tables`, the kinds those
    tables hold), with why, from where, for how long in each place, and who else receives it.
    `describe_retention` turns a rule name into words: the retention schedule's, when the caller
    has it, else the data map's own; `register` is the recipient register, when the caller has
    it (recipients it names for a category are listed beside those the fields declare)."""
    register = register or {}
    words: dict[str, str] = {}  # each rule described once, however many kinds it keeps

    def described(rule: str) -> str:
        if rule not in words:
            words[rule] = describe_retention(rule)
        return words[rule]

    grouped: dict[str, dict[str, set[str]]] = {}
    for mapped in personal_fields():
        category = mapped.personal.category
        if category.startswith("system."):
            continue
        if only_tables is not None and mapped.model._meta.label not in only_tables:
            continue
        slot = grouped.setdefault(
            category, {"why": set(), "kept": set(), "recipients": set(), "sources": set()}
        )
        slot["why"].update(mapped.personal.purposes)
        slot["kept"].add(mapped.declaration.retention)
        slot["recipients"].update(mapped.personal.recipients)
        slot["sources"].update(mapped.declaration.sources)
    items = []
    for category, slot in sorted(grouped.items()):
        names = {register[slug][0] if slug in register else slug for slug in slot["recipients"]}
        names |= {
            name
            for name, received in register.values()
            if any(_covers(item, category) for item in received)
        }
        kept = {(str(BY_KEY[rule].place), described(rule)) for rule in slot["kept"]}
        items.append(
            CollectedItem(
                category=category,
                what=str(DATA_CATEGORIES[category]),
                why=[str(DATA_USES[purpose]) for purpose in sorted(slot["why"])],
                kept=[Kept(where, how_long) for where, how_long in sorted(kept)],
                sources=[str(SOURCES[source]) for source in sorted(slot["sources"])],
                sealed=is_sensitive(category),
                shared_with=sorted(names),
            )
        )
    return items


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
