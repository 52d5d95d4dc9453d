"""The data map in machine formats: fideslang (Fides dataset + system YAML), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

import yaml
from fideslang.models import (
    Dataset,
    DatasetCollection,
    DatasetField,
    LegalBasisForProcessingEnum,
    PrivacyDeclaration,
    SpecialCategoryLegalBasisEnum,
    System,
)

from goodskin.vault.registry import personal_fields
from goodskin.vault.taxonomy import is_sensitive

DATASET_KEY = "goodskin_clinics"
SYSTEM_KEY = "goodskin_website"
DATA_SUBJECT = "patient"


def as_records() -> list[dict[str, Any]]:
    return [
        {
            "model": mapped.model._meta.label,
            "table": mapped.table,
            "field": mapped.name,
            "data_category": mapped.personal.category,
            "data_uses": list(mapped.personal.purposes),
            "legal_basis": mapped.personal.basis,
            "sensitive_sealed": is_sensitive(mapped.personal.category),
            "retention": mapped.declaration.retention,
            "on_erase": str(mapped.declaration.on_erase),
            "recipients": list(mapped.personal.recipients),
        }
        for mapped in personal_fields()
    ]


def as_json() -> str:
    return json.dumps({"fields": as_records()}, indent=2) + "\n"


def as_csv() -> str:
    buffer = io.StringIO()
    records = as_records()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                key: ";".join(value) if isinstance(value, list) else value
                for key, value in record.items()
            }
        )
    return buffer.getvalue()


def fideslang_models() -> tuple[Dataset, System]:
    """The data map as fideslang's own models (so pydantic checks every key's shape): one dataset
    with a collection per table, and the system with one privacy declaration per data use and
    legal basis. Data subjects are patients: this is a clinic."""
    tables: dict[str, list[DatasetField]] = defaultdict(list)
    descriptions: dict[str, str] = {}
    declared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mapped in personal_fields():
        tables[mapped.table].append(
            DatasetField(name=mapped.name, data_categories=[mapped.personal.category])
        )
        descriptions[mapped.table] = mapped.declaration.description
        for purpose in mapped.personal.purposes:
            declared[(purpose, mapped.personal.basis)].add(mapped.personal.category)
    dataset = Dataset(
        fides_key=DATASET_KEY,
        name="GoodSkin Clinics application database",
        description="Generated from the data map declared beside each model.",
        collections=[
            DatasetCollection(name=table, description=descriptions[table], fields=fields)
            for table, fields in sorted(tables.items())
        ],
    )
    system = System(
        fides_key=SYSTEM_KEY,
        name="GoodSkin Clinics website and personal-data system",
        description="Public site, accounts, forms and the privacy tools.",
        system_type="Application",
        privacy_declarations=[
            PrivacyDeclaration(
                name=f"{use} ({basis})",
                data_use=use,
                data_categories=sorted(categories),
                data_subjects=[DATA_SUBJECT],
                dataset_references=[DATASET_KEY],
                legal_basis_for_processing=LegalBasisForProcessingEnum(basis),
                processes_special_category_data=any(is_sensitive(c) for c in categories),
                special_category_legal_basis=(
                    SpecialCategoryLegalBasisEnum.MEDICAL
                    if any(is_sensitive(c) for c in categories)
                    else None
                ),
            )
            for (use, basis), categories in sorted(declared.items())
        ],
    )
    return dataset, system


def as_fideslang() -> str:
    dataset, system = fideslang_models()
    document = {
        "dataset": [dataset.model_dump(mode="json", exclude_none=True, exclude_defaults=True)],
        "system": [system.model_dump(mode="json", exclude_none=True, exclude_defaults=True)],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


FORMATS = {"fideslang": as_fideslang, "csv": as_csv, "json": as_json}
