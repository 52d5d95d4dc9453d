"""The data map in machine formats: fideslang (Fides dataset + system YAML), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

from goodskin.vault.registry import personal_fields
from goodskin.vault.taxonomy import is_sensitive

DATASET_KEY = "goodskin_clinics"
SYSTEM_KEY = "goodskin_website"


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


def _yaml(value: Any, indent: int = 0) -> list[str]:
    """A tiny YAML writer for dicts, lists and scalars; scalars are JSON, which YAML reads as is."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {json.dumps(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = _yaml(item, indent + 1)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {json.dumps(item)}")
    return lines


def as_fideslang() -> str:
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    descriptions: dict[str, str] = {}
    uses: dict[str, set[str]] = defaultdict(set)
    for mapped in personal_fields():
        tables[mapped.table].append(
            {"name": mapped.name, "data_categories": [mapped.personal.category]}
        )
        descriptions[mapped.table] = mapped.declaration.description
        for purpose in mapped.personal.purposes:
            uses[purpose].add(mapped.personal.category)
    document = {
        "dataset": [
            {
                "fides_key": DATASET_KEY,
                "name": "GoodSkin Clinics application database",
                "description": "Generated from the data map declared beside each model.",
                "collections": [
                    {"name": table, "description": descriptions[table], "fields": fields}
                    for table, fields in sorted(tables.items())
                ],
            }
        ],
        "system": [
            {
                "fides_key": SYSTEM_KEY,
                "name": "GoodSkin Clinics website and personal-data system",
                "description": "Public site, accounts, forms and the privacy tools.",
                "system_type": "Application",
                "privacy_declarations": [
                    {
                        "name": use,
                        "data_use": use,
                        "data_categories": sorted(categories),
                        "data_subjects": ["customer"],
                        "dataset_references": [DATASET_KEY],
                    }
                    for use, categories in sorted(uses.items())
                ],
            }
        ],
    }
    return "\n".join(_yaml(document)) + "\n"


FORMATS = {"fideslang": as_fideslang, "csv": as_csv, "json": as_json}
