"""Reading everything about one person, table by table as the data map lists them."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from goodskin.core.datamap import PersonalData
from goodskin.core.doors import Door
from goodskin.core.errors import NotFound
from goodskin.core.validation import normalise_email
from goodskin.vault import crypto, keys
from goodskin.vault.fields import TEXT, Codec, SealedField, sealed_codecs, sealed_context
from goodskin.vault.models import Person
from goodskin.vault.registry import person_linked


@dataclass(frozen=True)
class TableExport:
    model: str
    description: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class _Statement:
    sql: str
    names: tuple[str, ...]
    sealed: dict[str, Codec[Any]]
    fields: dict[str, models.Field[Any, Any]]
    label: str


def _from_db(field: models.Field[Any, Any], value: Any, connection: Any) -> Any:
    """A raw column value as the ORM would give it: the statement runs outside the ORM, so its
    converters (SQLite's text dates and 0/1 booleans, JSON text) are applied here."""
    if value is None:
        return None
    if hasattr(field, "from_db_value"):
        return field.from_db_value(value, None, connection)
    if isinstance(field, models.DateTimeField):
        parsed = field.to_python(value)
        if parsed is not None and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, UTC)  # stored in UTC where the database is naive
        return parsed
    return field.to_python(value)


@functools.cache
def _statement(model: type[models.Model]) -> _Statement:
    """The SELECT for one table's rows about a person, compiled once by the ORM and reused: the
    person's id is its only parameter."""
    declaration = model.personal_data  # type: ignore[attr-defined]  # checked at start-up
    concrete = {field.name: field for field in model._meta.concrete_fields}
    # Every column, not only the personal ones: when a form was sent and which treatment it was
    # about belong to the person's copy as much as their name does. The subject column is left
    # out (every row is about this person).
    names = tuple(name for name in concrete if name not in {"id", declaration.subject})
    lookup = "pk" if declaration.subject == "self" else declaration.subject
    queryset = model._default_manager.filter(**{lookup: 0}).order_by("pk").values_list("pk", *names)
    codecs = sealed_codecs(model)
    sql, params = queryset.query.sql_with_params()
    if list(params) != [0]:
        raise ValueError(f"unexpected parameters {params!r} in the export query for {model}")
    return _Statement(
        sql=sql,
        names=names,
        sealed={
            name: codecs.get(name, TEXT)
            for name in names
            if isinstance(concrete[name], SealedField)
        },
        fields={name: concrete[name] for name in names},
        label=model._meta.label_lower,
    )


def _rows(
    model: type[models.Model], person: Person, data_key: bytes | None
) -> list[dict[str, Any]]:
    statement = _statement(model)
    connection = connections[router.db_for_read(model)]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [person.pk])
        fetched = cursor.fetchall()
    exported = []
    for pk, *values in fetched:
        item: dict[str, Any] = {"id": pk}
        for name, value in zip(statement.names, values, strict=True):
            if name in statement.sealed and value is not None:
                if data_key is None:
                    value = None  # the key is destroyed: nothing can be read
                else:
                    context = sealed_context(statement.label, name, person.pk)
                    opened = crypto.unseal(bytes(value), data_key=data_key, context=context)
                    value = statement.sealed[name].export(opened)
            elif name not in statement.sealed:
                value = _from_db(statement.fields[name], value, connection)
            item[name] = value
        exported.append(item)
    return exported


def everything_about(person: Person) -> list[TableExport]:
    """Every row the data map ties to this person, every column as Python values (dates as
    dates): one indexed query per table, sealed values opened with one key lookup. Callers check
    permission (see access_person)."""
    try:
        data_key: bytes | None = keys.data_key(person.key_id)
    except keys.KeyShredded:
        data_key = None
    tables: list[tuple[type[models.Model], PersonalData]] = [
        (Person, Person.personal_data),
        *person_linked(),
    ]
    return [
        TableExport(model._meta.label, declaration.description, _rows(model, person, data_key))
        for model, declaration in tables
    ]


EXPORT_PERSON = Door(see="vault.export_person")


def access_person(user: Any, person_id: int) -> Person:
    """The person, for staff allowed to view people; NotFound otherwise, and for missing ids."""
    if not EXPORT_PERSON.lets(user, "GET"):
        raise NotFound
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound
    return person


def find_person(*, email: str | None = None, phone: str | None = None) -> Person | None:
    """The person with this email address or phone number (E.164), preferring one whose contact
    detail has been verified. Callers check permission; this is for staff and rights workflows."""
    if email:
        found = Person.objects.filter(email=normalise_email(email)).first()
        if found is not None:
            return found
    if phone:
        return (
            Person.objects.filter(phone=phone)
            .order_by(models.F("phone_verified_at").desc(nulls_last=True), "pk")
            .first()
        )
    return None
