"""A version's content in one language, ready for a template, with the generated blocks filled in
from the system's own records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goodskin.policies.documents import parse


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
    if "collected" in wanted or "retention" in wanted:
        from goodskin.disclosures.queries import register
        from goodskin.retention.queries import describe_rule
        from goodskin.vault.summary import what_we_collect

        blocks["collected"] = what_we_collect(describe_rule, register())
    if "recipients" in wanted:
        from goodskin.disclosures.queries import recipients_by_kind, sells_or_shares

        blocks["recipients"] = recipients_by_kind()
        blocks["sells_or_shares"] = sells_or_shares()
    if "rights_table" in wanted:
        from goodskin.policies.jurisdictions import PROMISE, STATE_LAWS

        blocks["laws"] = sorted(STATE_LAWS, key=lambda law: (law.effective_from, law.code))
        blocks["promise"] = PROMISE
    return blocks
