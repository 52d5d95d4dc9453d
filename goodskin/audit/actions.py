"""`record`: the one way anything is written to the audit log.

Call it inside the transaction of the change it describes, so both commit or neither does. The
chain head row is locked for the append, which serialises writers across processes; on SQLite the
IMMEDIATE transaction mode already holds the database write lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone

from goodskin.audit.chain import GENESIS_HASH, entry_digest
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry, ChainHead
from goodskin.core import context

# Audit payloads name things (field names, categories, reasons, counts); they never carry what a
# person typed. The shape rule below makes that mechanical: short lower-case tokens, numbers and
# booleans pass; an email address, a name with a capital or a space, a date of birth do not.
_KEY = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")
_TOKEN = re.compile(r"^[a-z0-9_.:-]{0,64}$")

AuditValue = bool | int | str | None | list[str]


class PersonalValueInAuditData(ValueError):
    pass


# An append is three statements on the hottest write path of the site (every action and every
# staff read makes one): written once as SQL, they cost a sixth of the ORM's model machinery.
_ENTRY_FIELDS = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]


@dataclass(frozen=True)
class _Statements:
    head: str
    insert: str
    advance: str
    returning: bool


_WRITTEN: dict[tuple[str, bool, bool], _Statements] = {}


def _statements_for(for_update: bool, returning: bool, quote: Callable[[str], str]) -> _Statements:
    # Only our own models' table and column names, quoted; every value is a parameter.
    head, entries = quote(ChainHead._meta.db_table), quote(AuditEntry._meta.db_table)
    sequence, last, pk = quote("last_sequence"), quote("last_hash"), quote("id")
    columns = ", ".join(quote(str(field.column)) for field in _ENTRY_FIELDS)
    marks = ", ".join(["%s"] * len(_ENTRY_FIELDS))
    lock = " FOR UPDATE" if for_update else ""
    select = f"SELECT {sequence}, {last} FROM {head} WHERE {pk} = 1{lock}"  # noqa: S608
    back = f" RETURNING {pk}" if returning else ""
    insert = f"INSERT INTO {entries} ({columns}) VALUES ({marks}){back}"  # noqa: S608
    advance = f"UPDATE {head} SET {sequence} = %s, {last} = %s WHERE {pk} = 1"  # noqa: S608
    return _Statements(head=select, insert=insert, advance=advance, returning=returning)


def _statements(connection: Any) -> _Statements:
    features = connection.features
    key = (
        connection.vendor,
        features.has_select_for_update,
        features.can_return_columns_from_insert,
    )
    if key not in _WRITTEN:
        _WRITTEN[key] = _statements_for(key[1], key[2], connection.ops.quote_name)
    return _WRITTEN[key]


def _check_data(data: dict[str, AuditValue]) -> None:
    for key, value in data.items():
        if not _KEY.match(key):
            raise PersonalValueInAuditData(f"audit data key {key!r} is not a plain name")
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None or isinstance(item, bool | int):
                continue
            if not isinstance(item, str) or not _TOKEN.match(item):
                raise PersonalValueInAuditData(
                    f"audit data {key!r} holds a value that is not a plain token; "
                    "record references and category names, never personal values"
                )


def reference(instance: models.Model | None) -> tuple[str, str]:
    if instance is None:
        return "", ""
    return instance._meta.label_lower, str(instance.pk)


def record(
    event: Event,
    *,
    actor: context.Actor | None = None,
    subject: models.Model | None = None,
    target: models.Model | None = None,
    data: dict[str, AuditValue] | None = None,
) -> AuditEntry:
    """Append one entry. `subject` is the person the entry is about; `target` the row changed."""
    if not isinstance(event, Event):
        raise TypeError(f"audit events are Event members, not {event!r}")
    payload: dict[str, Any] = dict(data or {})
    _check_data(payload)
    who = actor or context.current_actor()
    subject_type, subject_id = reference(subject)
    target_type, target_id = reference(target)
    occurred_at = timezone.now()
    database = router.db_for_write(AuditEntry)
    with transaction.atomic(using=database):
        connection = connections[database]
        statements = _statements(connection)
        with connection.cursor() as cursor:
            cursor.execute(statements.head)
            row = cursor.fetchone()
            if row is None:  # the very first entry
                ChainHead.objects.using(database).create(
                    pk=1, last_sequence=0, last_hash=GENESIS_HASH
                )
                row = (0, GENESIS_HASH)
            last_sequence, last_hash = row
            fields: dict[str, Any] = {
                "sequence": last_sequence + 1,
                "occurred_at": occurred_at,
                "event": str(event),
                "actor_kind": who.kind,
                "actor_user_id": who.user_id,
                "actor_label": who.label,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "target_type": target_type,
                "target_id": target_id,
                "request_id": context.current_request_id(),
                "data": payload,
                "previous_hash": last_hash,
            }
            fields["entry_hash"] = entry_digest(**fields)
            cursor.execute(
                statements.insert,
                [field.get_db_prep_save(fields[field.name], connection) for field in _ENTRY_FIELDS],
            )
            row_id = cursor.fetchone()[0] if statements.returning else cursor.lastrowid
            cursor.execute(statements.advance, [fields["sequence"], fields["entry_hash"]])
    entry = AuditEntry(pk=row_id, **fields)  # as stored
    entry._state.adding, entry._state.db = False, database
    return entry
