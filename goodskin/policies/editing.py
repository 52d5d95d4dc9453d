"""The draft editor's form fields to a version's content, and back. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from goodskin.policies.documents import LANGUAGES


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "section"


def _fresh(base: str, taken: set[str]) -> str:
    number = 1
    while f"{base}-{number}" in taken:
        number += 1
    key = f"{base}-{number}"
    taken.add(key)
    return key


def _words(data: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {language: data.get(f"{prefix}-{language}", "").strip() for language in LANGUAGES}


def content_from_form(
    data: Mapping[str, str], current: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Rebuild the content from the editor: each section's heading and clauses as edited, clauses
    ticked for removal left out, and the empty "new clause" and "new section" slots added when
    filled in. Keys of existing clauses never change (the diff relies on them)."""
    taken = {s["key"] for s in current} | {c["key"] for s in current for c in s["clauses"]}
    content: list[dict[str, Any]] = []
    for i, section in enumerate(current):
        clauses: list[dict[str, Any]] = []
        for j, clause in enumerate(section["clauses"]):
            prefix = f"s{i}-c{j}"
            if data.get(f"{prefix}-remove"):
                continue
            if clause.get("generated"):
                clauses.append({"key": clause["key"], "generated": clause["generated"]})
            else:
                clauses.append({"key": clause["key"], "text": _words(data, prefix)})
        new = _words(data, f"s{i}-new")
        if any(new.values()):
            clauses.append({"key": _fresh(section["key"], taken), "text": new})
        if data.get(f"s{i}-remove"):
            continue
        content.append(
            {"key": section["key"], "heading": _words(data, f"s{i}-heading"), "clauses": clauses}
        )
    heading, first = _words(data, "new-heading"), _words(data, "new-clause")
    if any(heading.values()) or any(first.values()):
        key = _slug(heading.get("en", ""))
        key = key if key not in taken else _fresh(key, taken)
        taken.add(key)
        content.append(
            {
                "key": key,
                "heading": heading,
                "clauses": [{"key": _fresh(key, taken), "text": first}]
                if any(first.values())
                else [],
            }
        )
    return content
