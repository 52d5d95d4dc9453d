"""Keyring models live in the `keyring` database and nothing else does."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

KEYRING = "keyring"
# By (app label, model name), because migrations pass historical models that carry no custom
# class attributes.
# Opt-outs live here too: restoring a data backup must not bring back a mailing someone stopped.
KEYRING_MODELS = {
    ("vault", "personkey"),
    ("vault", "erasure"),
    ("communications", "suppression"),
}


def _is_keyring(model: type[Model] | Model) -> bool:
    return (model._meta.app_label, model._meta.model_name) in KEYRING_MODELS


class KeyringRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return KEYRING if _is_keyring(model) else "default"

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return KEYRING if _is_keyring(model) else "default"

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool | None:
        return _is_keyring(first) == _is_keyring(second)

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if model_name is None:  # data migrations and raw SQL belong to the data database
            return db == "default"
        return (db == KEYRING) == ((app_label, model_name) in KEYRING_MODELS)
