"""A version's content in one language, ready for a template, with the generated blocks filled in
from the system's own records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from goodskin.disclosures.queries import recipients_by_kind, register, sells_or_shares
from goodskin.jurisdictions.privacy import PROMISE, laws_as_of
from goodskin.policies.documents import parse
from goodskin.policies.wording import clock_groups, in_force
from goodskin.retention.queries import describe_rule
from goodskin.vault.summary import what_we_collect


@dataclass(frozen=True)
class ShownClause:
    key: str
    text: str
    generated: str


@dataclass(frozen=True)
class ShownSection:
    key: str
    heading: str
    clauses: tuple[ShownClause, ...]


def in_language(content: Any, language: str) -> list[ShownSection]:
    language = language if language in {"en", "es"} else "en"
    return [
        ShownSection(
            section.key,
            section.heading[language],
            tuple(
                ShownClause(c.key, c.text.get(language, ""), c.generated) for c in section.clauses
            ),
        )
        for section in parse(content)
    ]


def generated_blocks(sections: list[ShownSection]) -> dict[str, Any]:
    """Only the records the document actually shows are read."""
    wanted = {clause.generated for section in sections for clause in section.clauses}
    blocks: dict[str, Any] = {}
    if wanted & {"collected", "retention", "ccpa_table"}:
        blocks["collected"] = what_we_collect(describe_rule, register())
    if wanted & {"recipients", "ccpa_table"}:
        blocks["recipients"] = recipients_by_kind()
        blocks["sells_or_shares"] = sells_or_shares()
    if wanted & {"rights_table", "clocks"}:
        blocks["laws"] = sorted(
            laws_as_of(timezone.localdate()), key=lambda law: (law.effective_from, law.code)
        )
        blocks["promise"] = PROMISE
        blocks["clocks"] = clock_groups(in_force(timezone.localdate()), PROMISE)
    return blocks
