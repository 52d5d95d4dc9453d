"""The data map, read from the declarations beside each model (and vault/external.py)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from goodskin.core.datamap import NotPersonal, Personal, PersonalData
from goodskin.vault.external import EXTERNAL


@dataclass(frozen=True)
class Entry:
    model: type[models.Model]
    declaration: PersonalData | NotPersonal | None

    @property
    def label(self) -> str:
        return self.model._meta.label


@functools.cache
def entries() -> list[Entry]:
    """Every installed model with its declaration (None when it has none: a check error).
    Cached: the model registry does not change once Django is set up."""
    external = {item.label: item.declaration for item in EXTERNAL}
    found = []
    for model in apps.get_models():
        declaration = getattr(model, "personal_data", None) or external.get(model._meta.label)
        if not isinstance(declaration, PersonalData | NotPersonal):
            declaration = None
        found.append(Entry(model, declaration))
    return found


@dataclass(frozen=True)
class MappedField:
    model: type[models.Model]
    declaration: PersonalData
    name: str
    personal: Personal

    @property
    def table(self) -> str:
        return self.model._meta.db_table


def personal_fields() -> Iterator[MappedField]:
    for entry in entries():
        if isinstance(entry.declaration, PersonalData):
            for name, personal in entry.declaration.fields.items():
                yield MappedField(entry.model, entry.declaration, name, personal)


@functools.cache
def person_linked() -> list[tuple[type[models.Model], PersonalData]]:
    """Models whose rows point at a Person (not Person itself), in the order erasure visits them."""
    return [
        (entry.model, entry.declaration)
        for entry in entries()
        if isinstance(entry.declaration, PersonalData)
        and entry.declaration.subject not in {None, "self"}
    ]
