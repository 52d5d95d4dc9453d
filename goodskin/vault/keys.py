"""Per-person data keys: create, fetch (unwrapped), destroy, and re-wrap under a new master key.

The master key ring comes from settings: GOODSKIN_MASTER_KEY wraps new keys; keys wrapped by any of
GOODSKIN_PREVIOUS_MASTER_KEYS still open, so the master key can be rotated with no downtime:
deploy the new key with the old one listed as previous, run `manage.py rotate_master_key`, then
drop the old one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from goodskin.vault import crypto
from goodskin.vault.models import PersonKey
from goodskin.vault.routers import KEYRING


class KeyShredded(LookupError):
    """The person's key was destroyed: their sealed data can never be read again."""


class UnknownMasterKey(LookupError):
    """A key is wrapped by a master key that is not configured."""


def master_keys() -> dict[str, bytes]:
    """Every configured master key by fingerprint; the current one first."""
    keys = [settings.GOODSKIN_MASTER_KEY, *settings.GOODSKIN_PREVIOUS_MASTER_KEYS]
    return {crypto.master_key_id(key): key for key in keys}


def current_master_key_id() -> str:
    return crypto.master_key_id(settings.GOODSKIN_MASTER_KEY)


def create_key() -> uuid.UUID:
    """A new data key, committed to the keyring before any data uses it."""
    key_id = uuid.uuid4()
    wrapped = crypto.wrap_data_key(
        crypto.new_data_key(), master_key=settings.GOODSKIN_MASTER_KEY, key_id=key_id
    )
    PersonKey.objects.using(KEYRING).create(
        key_id=key_id, wrapped=wrapped, master_key_id=current_master_key_id()
    )
    return key_id


def data_key(key_id: uuid.UUID) -> bytes:
    row = PersonKey.objects.using(KEYRING).filter(key_id=key_id).first()
    if row is None:
        raise KeyShredded(f"person key {key_id} was destroyed")
    master = master_keys().get(row.master_key_id)
    if master is None:
        raise UnknownMasterKey(
            f"person key {key_id} is wrapped by master key {row.master_key_id}, "
            "which is not configured"
        )
    return crypto.unwrap_data_key(bytes(row.wrapped), master_key=master, key_id=key_id)


# Names platform keys (not any person's) so every process finds the same row.
_SYSTEM_KEYS = uuid.UUID("6f1f0c53-1d7e-4b7e-9a43-4d3c1f2b8e10")


def system_key(name: str) -> bytes:
    """A named key of the platform's own, such as the one that fingerprints suppressed
    addresses: random, made on first use, kept in the keyring and wrapped and rotated with the
    person keys, so it survives a change of SECRET_KEY or master key."""
    key_id = uuid.uuid5(_SYSTEM_KEYS, name)
    if not PersonKey.objects.using(KEYRING).filter(key_id=key_id).exists():
        wrapped = crypto.wrap_data_key(
            crypto.new_data_key(), master_key=settings.GOODSKIN_MASTER_KEY, key_id=key_id
        )
        with transaction.atomic(using=KEYRING):
            PersonKey.objects.using(KEYRING).get_or_create(
                key_id=key_id,
                defaults={"wrapped": wrapped, "master_key_id": current_master_key_id()},
            )
    return data_key(key_id)


def destroy_key(key_id: uuid.UUID) -> bool:
    deleted, _ = PersonKey.objects.using(KEYRING).filter(key_id=key_id).delete()
    return deleted > 0


def rewrap_batch(*, batch_size: int = 500) -> int:
    """Re-wrap up to `batch_size` keys that are not under the current master key. Returns how many
    were done; call until it returns 0. Each batch is one keyring transaction."""
    current_id = current_master_key_id()
    keys = master_keys()
    with transaction.atomic(using=KEYRING):
        rows = list(
            PersonKey.objects.using(KEYRING)
            .select_for_update()
            .exclude(master_key_id=current_id)
            .order_by("key_id")[:batch_size]
        )
        for row in rows:
            master = keys.get(row.master_key_id)
            if master is None:
                raise UnknownMasterKey(
                    f"person key {row.key_id} is wrapped by master key {row.master_key_id}, "
                    "which is not configured; add it to GOODSKIN_PREVIOUS_MASTER_KEYS"
                )
            plain = crypto.unwrap_data_key(bytes(row.wrapped), master_key=master, key_id=row.key_id)
            row.wrapped = crypto.wrap_data_key(
                plain, master_key=settings.GOODSKIN_MASTER_KEY, key_id=row.key_id
            )
            row.master_key_id = current_id
            row.save(update_fields=["wrapped", "master_key_id"])
    return len(rows)


def rewrap_all(*, batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    remaining = (
        PersonKey.objects.using(KEYRING).exclude(master_key_id=current_master_key_id()).count()
    )
    done = 0
    while batch := rewrap_batch(batch_size=batch_size):
        done += batch
        if progress:
            progress(done, remaining)
    return done
