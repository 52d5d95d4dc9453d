"""`record`: the one way anything is written to the audit log.

Call it inside the transaction of the change it describes, so both commit or neither does. The
chain head row is locked for the append, which serialises writers across processes; on SQLite the
IMMEDIATE transaction mode already holds the database write lock.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models, transaction
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
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1, last_sequence=0, last_hash=GENESIS_HASH)
        fields: dict[str, Any] = {
            "sequence": head.last_sequence + 1,
            "occurred_at": timezone.now(),
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
            "previous_hash": head.last_hash,
        }
        entry = AuditEntry.objects.create(**fields, entry_hash=entry_digest(**fields))
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry
