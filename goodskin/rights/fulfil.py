"""What an access or portability request returns: a zip with the data as JSON (for machines) and as
a readable HTML page, built from the data map so every table, category, purpose and recipient is
there, plus the disclosures about the person they may be told of. Reads only."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from goodskin.disclosures.queries import disclosures_about
from goodskin.vault.datamap import PersonalData
from goodskin.vault.queries import everything_about
from goodskin.vault.registry import entries
from goodskin.vault.taxonomy import DATA_CATEGORIES, DATA_USES

# Bookkeeping that is not information about the person: left out of their copy.
LEFT_OUT = frozenset({"code_hash", "report_sealed", "key_id", "claim_token"})
# Never handed over, even to the person (11 CCR § 7024(d)): a copy could be used to break in.
WITHHELD_CATEGORIES = frozenset({"user.authorization.credentials"})


def _column(name: str) -> str:
    """Column names as a person reads them: the sealing is ours, not part of the information."""
    return name.removesuffix("_sealed")


def _recipient_names() -> dict[str, str]:
    from goodskin.disclosures.models import Recipient

    return dict(Recipient.objects.values_list("slug", "name"))


def _declarations() -> dict[str, PersonalData]:
    return {
        entry.label: entry.declaration
        for entry in entries()
        if isinstance(entry.declaration, PersonalData)
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "(sealed)"
    return value


def report_data(person: Any, *, kind: str, reference: str, today: date) -> dict[str, Any]:
    declarations = _declarations()
    recipient_names = _recipient_names()
    tables = []
    for table in everything_about(person):
        if not table.rows:
            continue
        declaration = declarations.get(table.model)
        fields = declaration.fields if declaration else {}
        withheld = {name for name, p in fields.items() if p.category in WITHHELD_CATEGORIES}
        tables.append(
            {
                "table": table.model,
                "about": table.description,
                "categories": sorted(
                    {str(DATA_CATEGORIES.get(p.category, p.category)) for p in fields.values()}
                ),
                "purposes": sorted(
                    {str(DATA_USES.get(use, use)) for p in fields.values() for use in p.purposes}
                ),
                "recipients": sorted(
                    {recipient_names.get(r, r) for p in fields.values() for r in p.recipients}
                ),
                "withheld": sorted(
                    str(DATA_CATEGORIES.get(fields[name].category, name)) for name in withheld
                ),
                "rows": (
                    [
                        {
                            _column(key): _plain(value)
                            for key, value in row.items()
                            if key not in LEFT_OUT and key not in withheld
                        }
                        for row in table.rows
                    ]
                    if kind != "know"
                    else []
                ),
                "count": len(table.rows),
            }
        )
    return {
        "reference": reference,
        "generated_on": today.isoformat(),
        "kind": kind,
        "tables": tables,
        "disclosures": [
            {
                "when": item.disclosed_at.date().isoformat(),
                "what": item.get_kind_display(),
                "to": item.recipient.name,
                "information": item.categories,
            }
            for item in disclosures_about(person, for_the_person=True, today=today)
        ],
    }


def build_report(person: Any, *, kind: str, reference: str, today: date, language: str) -> bytes:
    data = report_data(person, kind=kind, reference=reference, today=today)
    with translation.override(language):
        html = render_to_string("rights/report.html", {"data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("report.html", html)
    return buffer.getvalue()
