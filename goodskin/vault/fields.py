"""Sealed storage on models: the column holds ciphertext; a property reads and writes plain values.

    date_of_birth_sealed = SealedField(null=True)
    date_of_birth = sealed("date_of_birth_sealed", codec=DATE)

Reading opens the value with the row's person key (one keyring lookup); writing seals it with the
key of the row's person, so the person must be set first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models

from goodskin.vault import crypto, keys


class SealedField(models.BinaryField):  # type: ignore[type-arg]  # stubs make fields generic; runtime does not
    """A column of sealed values. The system check requires sensitive categories to use it."""

    description = "Value sealed with AES-GCM under its person's data key"


@dataclass(frozen=True)
class Codec[T]:
    encode: Callable[[T], bytes]
    decode: Callable[[bytes], T]
    # How an export (staff JSON, access report, portability file) shows the opened value: text and
    # dates as they are, a file as what it is (its size and fingerprint), never raw bytes.
    export: Callable[[bytes], Any]


def describe_file(raw: bytes) -> dict[str, Any]:
    return {"file": True, "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}


TEXT: Codec[str] = Codec(
    encode=lambda value: value.encode(),
    decode=lambda raw: raw.decode(),
    export=lambda raw: raw.decode(),
)
BYTES: Codec[bytes] = Codec(encode=bytes, decode=bytes, export=describe_file)
# A sign-in secret: it opens for the code that checks it, and no export ever shows it (a copy
# of it would be a way to sign in as the person).
SECRET: Codec[str] = Codec(
    encode=lambda value: value.encode(),
    decode=lambda raw: raw.decode(),
    export=lambda raw: "withheld: a sign-in secret is never copied out",
)
DATE: Codec[date] = Codec(
    encode=lambda value: value.isoformat().encode(),
    decode=lambda raw: date.fromisoformat(raw.decode()),
    export=lambda raw: raw.decode(),
)


class SealedProperty(property):
    """The property `sealed()` makes; it remembers its column and codec so exports can open the
    column the way the model does."""

    column: str
    codec: Codec[Any]


def sealed_codecs(model: type[models.Model]) -> dict[str, Codec[Any]]:
    """Column name → codec for every sealed property of the model (and its parents)."""
    found: dict[str, Codec[Any]] = {}
    for klass in reversed(model.__mro__):
        for attribute in vars(klass).values():
            if isinstance(attribute, SealedProperty):
                found[attribute.column] = attribute.codec
    return found


def sealed_context(model_label: str, column: str, person_id: int | None) -> str:
    """What a sealed value is bound to: its table, its column and its person, so a value copied
    into another person's row (or another column) does not open there."""
    return f"{model_label}.{column}:person={person_id}"


def sealed[T](column: str, *, codec: Codec[T], person: str = "person") -> Any:
    """A property over `column` that seals on set and opens on get (None stays None)."""
    cache = f"_sealed_{column}"

    def get(instance: models.Model) -> T | None:
        envelope = getattr(instance, column)
        if envelope is None:
            return None
        cached = instance.__dict__.get(cache)
        if cached is not None and cached[0] == bytes(envelope):
            return cached[1]  # type: ignore[no-any-return]  # the cache is an untyped instance dict
        key_id = crypto.sealed_key_id(bytes(envelope))
        person_id = getattr(instance, f"{person}_id")
        plain = crypto.unseal(
            bytes(envelope),
            data_key=keys.data_key(key_id),
            context=sealed_context(instance._meta.label_lower, column, person_id),
        )
        value = codec.decode(plain)
        instance.__dict__[cache] = (bytes(envelope), value)
        return value

    def put(instance: models.Model, value: T | None) -> None:
        if value is None:
            setattr(instance, column, None)
            return
        # A row may carry a key of its own (`own_key_id`), for what must outlive the erasure of
        # its person until it is used, then be forgotten with that key (a deletion's farewell).
        key_id = getattr(instance, "own_key_id", None) or getattr(instance, person).key_id
        envelope = crypto.seal(
            codec.encode(value),
            data_key=keys.data_key(key_id),
            key_id=key_id,
            context=sealed_context(
                instance._meta.label_lower, column, getattr(instance, f"{person}_id")
            ),
        )
        setattr(instance, column, envelope)
        instance.__dict__[cache] = (envelope, value)

    made = SealedProperty(get, put)
    made.column = column
    made.codec = codec
    return made
