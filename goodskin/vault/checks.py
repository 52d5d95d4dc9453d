"""Start-up checks: the data map covers every field of every model, in the known vocabulary, with
sensitive data sealed; and the configured master keys can open the keys in the keyring."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError, models

from goodskin.core.datamap import NotPersonal, PersonalData
from goodskin.core.schedule import BY_KEY
from goodskin.vault.fields import SealedField, sealed_codecs
from goodskin.vault.keys import master_keys
from goodskin.vault.labels import label as label_for
from goodskin.vault.labels import shown
from goodskin.vault.models import PersonKey
from goodskin.vault.registry import entries
from goodskin.vault.routers import KEYRING
from goodskin.vault.taxonomy import (
    DATA_CATEGORIES,
    DATA_USES,
    LEGAL_BASES,
    is_sensitive,
)


def _declaration_errors(model: type[models.Model], declaration: PersonalData) -> list[checks.Error]:
    label = model._meta.label
    errors = []
    concrete = {field.name: field for field in model._meta.concrete_fields}
    codecs = sealed_codecs(model)
    declared = set(declaration.fields) | set(declaration.not_personal)
    if declaration.subject not in {None, "self"}:
        declared.add(declaration.subject)
        subject = concrete.get(declaration.subject)
        target = getattr(subject, "related_model", None)
        if target is None or target._meta.label != "vault.Person":
            errors.append(
                checks.Error(
                    f"{label}: subject field {declaration.subject!r} must be a ForeignKey to "
                    "vault.Person",
                    id="vault.E008",
                    obj=model,
                )
            )
    schedule = BY_KEY.get(declaration.retention)
    if schedule is not None and schedule.place is None:
        errors.append(
            checks.Error(
                f"{label}: retention rule {declaration.retention!r} has no place in "
                "core/schedule.py, so the public list cannot say where the rule applies",
                id="vault.E009",
                obj=model,
            )
        )
    if schedule is None:
        errors.append(
            checks.Error(
                f"{label} names unknown retention rule {declaration.retention!r}",
                hint="Use a name of the SCHEDULE in goodskin/core/schedule.py.",
                id="vault.E009",
                obj=model,
            )
        )
    clock = declaration.retention_clock
    if clock is not None and not isinstance(concrete.get(clock), models.DateTimeField):
        errors.append(
            checks.Error(
                f"{label}: retention_clock {clock!r} is not a date-time column of the table",
                id="vault.E014",
                obj=model,
            )
        )
    for name in sorted(set(concrete) - declared):
        errors.append(
            checks.Error(
                f"{label}.{name} is not in the data map: declare it in personal_data.fields "
                "with a category, or list it in not_personal",
                id="vault.E002",
                obj=model,
            )
        )
    for name in sorted(declared - set(concrete)):
        errors.append(
            checks.Error(
                f"{label}: the data map names {name!r}, which is not a field of the model",
                id="vault.E006",
                obj=model,
            )
        )
    for name, personal in declaration.fields.items():
        where = f"{label}.{name}"
        if personal.category not in DATA_CATEGORIES:
            errors.append(
                checks.Error(
                    f"{where} has unknown data category {personal.category!r}",
                    hint="Use a fideslang key listed in goodskin/vault/taxonomy.py.",
                    id="vault.E003",
                    obj=model,
                )
            )
        for purpose in personal.purposes:
            if purpose not in DATA_USES:
                errors.append(
                    checks.Error(
                        f"{where} has unknown data use {purpose!r}", id="vault.E004", obj=model
                    )
                )
        if not personal.purposes:
            errors.append(checks.Error(f"{where} names no purpose", id="vault.E004", obj=model))
        if personal.basis not in LEGAL_BASES:
            errors.append(
                checks.Error(
                    f"{where} has unknown legal basis {personal.basis!r}",
                    id="vault.E005",
                    obj=model,
                )
            )
        if isinstance(concrete.get(name), SealedField) and name not in codecs:
            errors.append(
                checks.Error(
                    f"{where} is sealed but no sealed() property opens it, so exports would not "
                    "know its type: add one with its codec (TEXT, DATE, BYTES)",
                    id="vault.E011",
                    obj=model,
                )
            )
        if is_sensitive(personal.category) and not isinstance(concrete.get(name), SealedField):
            errors.append(
                checks.Error(
                    f"{where} holds {personal.category}, which must be sealed: make it a "
                    "vault.fields.SealedField",
                    id="vault.E007",
                    obj=model,
                )
            )
    if not declaration.sources:
        errors.append(
            checks.Error(
                f"{label} names no source: say where its information comes from "
                "(core.datamap.DataSource)",
                id="vault.E012",
                obj=model,
            )
        )
    if declaration.subject is not None:
        for name in sorted(concrete):
            if shown(name) and label_for(label, name) is None:
                errors.append(
                    checks.Error(
                        f"{label}.{name} has no reader's label for a person's copy: add one to "
                        "vault/labels.py, or list the column in BOOKKEEPING with the reason",
                        id="vault.E013",
                        obj=model,
                    )
                )
    return errors


@checks.register("vault")
def check_data_map(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for entry in entries():
        if entry.declaration is None:
            errors.append(
                checks.Error(
                    f"{entry.label} is not in the data map: give it a personal_data declaration "
                    "(PersonalData or NotPersonal), or add it to vault/external.py",
                    id="vault.E001",
                    obj=entry.model,
                )
            )
        elif isinstance(entry.declaration, PersonalData):
            errors.extend(_declaration_errors(entry.model, entry.declaration))
        elif isinstance(entry.declaration, NotPersonal) and not entry.declaration.reason:
            errors.append(
                checks.Error(
                    f"{entry.label} is declared not personal without a reason",
                    id="vault.E001",
                    obj=entry.model,
                )
            )
    return errors


@checks.register("vault")
def check_master_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Refuse to run when keys in the keyring were wrapped by a master key we were not given:
    every sealed value of those people would be unreadable."""

    try:
        in_use = set(
            PersonKey.objects.using(KEYRING).values_list("master_key_id", flat=True).distinct()
        )
    except DatabaseError:  # the keyring is not migrated yet: nothing can be unreadable
        return []
    unknown = sorted(in_use - set(master_keys()))
    if not unknown:
        return []
    return [
        checks.Error(
            "GOODSKIN_MASTER_KEY is wrong: the keyring holds person keys wrapped by master key "
            f"{', '.join(unknown)}, which is neither GOODSKIN_MASTER_KEY nor listed in "
            "GOODSKIN_PREVIOUS_MASTER_KEYS",
            id="vault.E010",
        )
    ]
