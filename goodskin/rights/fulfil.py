"""What an access or portability request returns: a zip with the data as JSON (for machines) and as
a readable HTML page in the person's language. Both are built from the data map, so every table and
every column is there under its reader's name (vault/labels.py), with, for each kind of
information, where it came from, why we hold it, who else receives it and how long we keep it (the
CCPA's right-to-know shape), plus the disclosures about the person they may be told of. Reads only.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from goodskin.access_log.queries import reads_of
from goodskin.consent.queries import records_from_browsers_of
from goodskin.core.datamap import PersonalData
from goodskin.disclosures.queries import disclosures_about, register
from goodskin.retention.queries import rule_wordings
from goodskin.vault.corrections import LABELS as CORRECTION_LABELS
from goodskin.vault.labels import label, shown
from goodskin.vault.queries import TableExport, everything_about
from goodskin.vault.registry import entries
from goodskin.vault.summary import what_we_collect
from goodskin.vault.taxonomy import DATA_CATEGORIES

# Never handed over, even to the person (11 CCR § 7024(d)): a copy could be used to break in.
WITHHELD_CATEGORIES = frozenset({"user.authorization.credentials"})


@dataclass(frozen=True)
class _Table:
    export: TableExport
    model: type[models.Model]
    declaration: PersonalData


def _tables(person: Any) -> list[_Table]:
    found = {
        entry.label: (entry.model, entry.declaration)
        for entry in entries()
        if isinstance(entry.declaration, PersonalData)
    }
    tables = []
    for export in everything_about(person):
        model, declaration = found[export.model]
        if export.model == "consent.ConsentRecord":
            # The choices made on each browser the person used, also before they signed in there.
            export = TableExport(
                export.model,
                export.description,
                sorted(
                    [*export.rows, *records_from_browsers_of(person, export.rows)],
                    key=lambda row: row["id"],
                ),
            )
        if export.rows:
            tables.append(_Table(export, model, declaration))
    return tables


def _withheld(declaration: PersonalData) -> set[str]:
    return {name for name, p in declaration.fields.items() if p.category in WITHHELD_CATEGORIES}


def _columns(table: _Table) -> list[str]:
    withheld = _withheld(table.declaration)
    names = ["id", *table.export.rows[0]] if table.export.rows else []
    return [
        name
        for name in dict.fromkeys(names)
        if shown(name) and name not in withheld and label(table.export.model, name) is not None
    ]


def _categories(tables: list[_Table]) -> list[dict[str, Any]]:
    """For each kind of information we hold about the person: its sources, purposes, recipients
    and how long each place keeps it, over the tables that hold something about them."""

    return [
        {
            "category": item.category,
            "what": item.what,
            "sources": item.sources,
            "purposes": item.why,
            "recipients": item.shared_with,
            "kept": [{"where": kept.where, "how_long": kept.how_long} for kept in item.kept],
        }
        for item in what_we_collect(
            rule_wordings(), register(), only_tables={table.export.model for table in tables}
        )
    ]


def _key(column: str) -> str:
    """A column's key in report.json: the sealing is ours, not part of the information."""
    return column.removesuffix("_sealed")


def _machine(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return "(sealed)"
    return value


def report_data(
    person: Any, *, kind: str, reference: str, today: date, tables: list[_Table] | None = None
) -> dict[str, Any]:
    tables = _tables(person) if tables is None else tables
    return {
        "reference": reference,
        "generated_on": today.isoformat(),
        "kind": kind,
        "categories": _categories(tables),
        "tables": [
            {
                "table": table.export.model,
                "about": table.export.description,
                "columns": {
                    _key(name): str(label(table.export.model, name)) for name in _columns(table)
                },
                "withheld": sorted(
                    str(DATA_CATEGORIES[table.declaration.fields[name].category])
                    for name in _withheld(table.declaration)
                ),
                "rows": (
                    [
                        {_key(name): _machine(row.get(name)) for name in _columns(table)}
                        for row in table.export.rows
                    ]
                    if kind != "know"
                    else []
                ),
                "count": len(table.export.rows),
            }
            for table in tables
        ],
        "disclosures": [
            {
                "when": item.disclosed_at.date().isoformat(),
                "what": item.get_kind_display(),
                "to": item.recipient.name,
                "information": [str(DATA_CATEGORIES.get(c, c)) for c in item.categories],
            }
            for item in disclosures_about(person, for_the_person=True, today=today)
        ],
        # Who at the clinic read the person's records, when, and for what (access_log).
        "staff_reads": [
            {
                "when": timezone.localtime(read.at).isoformat(timespec="minutes"),
                "when_shown": formats.date_format(timezone.localtime(read.at), "DATETIME_FORMAT"),
                "who": read.staff,
                "why": str(read.why),
                "reference": read.reference,
            }
            for read in reads_of(person)
        ],
    }


def _related_names(
    model: type[models.Model], rows: list[dict[str, Any]]
) -> dict[str, dict[Any, str]]:
    """For each foreign key of the table, id → what the person reads (a treatment's name in
    their language, a request's reference), looked up once per table."""
    names: dict[str, dict[Any, str]] = {}
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.name not in rows[0]:
            continue
        ids = {row[field.name] for row in rows if row.get(field.name) is not None}
        related = field.related_model._default_manager.in_bulk(ids)  # type: ignore[union-attr]  # a relation has a model
        names[field.name] = {
            pk: str(
                getattr(item, "reference", None)
                or getattr(item, "name", None)
                or _("record %s") % pk
            )
            for pk, item in related.items()
        }
    return names


def _readable(field: models.Field[Any, Any], value: Any, related: dict[Any, str] | None) -> str:
    """One value as the person reads it, in the active language."""
    if value is None or value == "" or value == []:
        return "—"
    if related is not None:
        return str(related.get(value, _("record %s") % value))
    if isinstance(value, dict) and value.get("file"):
        return _("A file of %(bytes)s bytes") % {"bytes": value["bytes"]}
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.name == "correct_items":
        return ", ".join(str(CORRECTION_LABELS.get(item, item)) for item in value)
    if isinstance(value, list):
        return ", ".join(
            str(item.get("name", item)) if isinstance(item, dict) else str(item) for item in value
        )
    return str(value)


def readable_tables(tables: list[_Table], *, kind: str) -> list[dict[str, Any]]:
    """The tables as the HTML page shows them: each record a list of (label, value) pairs."""
    shaped = []
    for table in tables:
        columns = _columns(table)
        concrete = {field.name: field for field in table.model._meta.concrete_fields}
        related = _related_names(table.model, table.export.rows)
        shaped.append(
            {
                "about": table.export.description,
                "count": len(table.export.rows),
                "withheld": [
                    str(DATA_CATEGORIES[table.declaration.fields[name].category])
                    for name in sorted(_withheld(table.declaration))
                ],
                "records": (
                    [
                        [
                            (
                                str(label(table.export.model, name)),
                                _readable(concrete[name], row.get(name), related.get(name))
                                if name != "id"
                                else str(row["id"]),
                            )
                            for name in columns
                        ]
                        for row in table.export.rows
                    ]
                    if kind != "know"
                    else []
                ),
            }
        )
    return shaped


def build_report(person: Any, *, kind: str, reference: str, today: date, language: str) -> bytes:
    tables = _tables(person)
    with translation.override(language):
        data = report_data(person, kind=kind, reference=reference, today=today, tables=tables)
        html = render_to_string(
            "rights/report.html",
            {
                "data": data,
                "tables": readable_tables(tables, kind=kind),
                "generated_on": today,
                "LANGUAGE_CODE": language,
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "report.json", json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
        )
        archive.writestr("report.html", html)
    return buffer.getvalue()
