"""Reading everything about one person, table by table as the data map lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models

from goodskin.core.errors import NotFound
from goodskin.vault import crypto, keys
from goodskin.vault.datamap import PersonalData
from goodskin.vault.fields import SealedField, context_of
from goodskin.vault.models import Person
from goodskin.vault.registry import person_linked


@dataclass(frozen=True)
class TableExport:
    model: str
    description: str
    rows: list[dict[str, Any]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(
    model: type[models.Model], declaration: PersonalData, person: Person, data_key: bytes | None
) -> list[dict[str, Any]]:
    concrete = {field.name: field for field in model._meta.concrete_fields}
    names = [name for name in declaration.fields if name in concrete]
    lookup = "pk" if declaration.subject == "self" else declaration.subject or ""
    exported = []
    for row in (
        model._default_manager.filter(**{lookup: person.pk}).only("pk", *names).order_by("pk")
    ):
        item: dict[str, Any] = {"id": row.pk}
        for name in names:
            value = getattr(row, name)
            if isinstance(concrete[name], SealedField) and value is not None:
                if data_key is None:
                    value = None  # the key is destroyed: nothing to read
                else:
                    context = context_of(row, name, person.pk)
                    value = crypto.unseal(bytes(value), data_key=data_key, context=context).decode()
            item[name] = _plain(value)
        exported.append(item)
    return exported


def everything_about(person: Person) -> list[TableExport]:
    """Every row the data map ties to this person: one indexed query per table, sealed values
    opened with one key lookup. Callers check permission (see access_person)."""
    try:
        data_key: bytes | None = keys.data_key(person.key_id)
    except keys.KeyShredded:
        data_key = None
    tables: list[tuple[type[models.Model], PersonalData]] = [
        (Person, Person.personal_data),
        *person_linked(),
    ]
    return [
        TableExport(
            model._meta.label, declaration.description, _rows(model, declaration, person, data_key)
        )
        for model, declaration in tables
    ]


def access_person(user: Any, person_id: int) -> Person:
    """The person, for staff allowed to view people; NotFound otherwise, and for missing ids."""
    if not (
        getattr(user, "is_active", False) and user.is_staff and user.has_perm("vault.view_person")
    ):
        raise NotFound
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound
    return person
