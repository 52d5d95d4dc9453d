"""A version's content in one language, ready for a template, with the generated blocks filled in
from the system's own records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from goodskin.disclosures.models import Recipient
from goodskin.disclosures.queries import (
    active_recipients,
    recipients_by_kind,
    register,
    sells_or_shares,
)
from goodskin.jurisdictions.privacy import PROMISE, laws_as_of
from goodskin.policies.documents import parse
from goodskin.policies.models import PolicyVersion
from goodskin.policies.wording import clock_groups, in_force
from goodskin.retention.models import RetentionRule
from goodskin.retention.queries import rule_wordings
from goodskin.vault.summary import what_we_collect
from goodskin.website.context_processors import clinic_details

CACHED_FOR_SECONDS = 24 * 60 * 60  # a day: the key changes with the day anyway


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


# Which generated blocks read which records.
_NEEDS_RULES = {"collected", "retention", "ccpa_table"}
_NEEDS_RECIPIENTS = _NEEDS_RULES | {"recipients"}


def _blocks(
    wanted: set[str], rules: list[RetentionRule], recipients: list[Recipient], today: date
) -> dict[str, Any]:
    blocks: dict[str, Any] = {}
    if wanted & _NEEDS_RULES:
        blocks["collected"] = what_we_collect(rule_wordings(rules), register(recipients))
    if wanted & _NEEDS_RECIPIENTS:
        blocks["recipients"] = recipients_by_kind(recipients)
        blocks["sells_or_shares"] = sells_or_shares(recipients)
    if wanted & {"rights_table", "clocks"}:
        blocks["laws"] = sorted(laws_as_of(today), key=lambda law: (law.effective_from, law.code))
        blocks["promise"] = PROMISE
        blocks["clocks"] = clock_groups(in_force(today), PROMISE)
    return blocks


def _fingerprint(rules: list[RetentionRule], recipients: list[Recipient]) -> str:
    """Everything the blocks are made from, hashed: any edit to a rule or a recipient changes it."""
    rows = [(r.key, r.period_days, r.counted_from, r.outcome) for r in rules] + [
        tuple(getattr(r, field.attname) for field in Recipient._meta.concrete_fields)
        for r in recipients
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


def document_body(version: PolicyVersion, language: str) -> SafeString:
    """A published version's text with its generated blocks, as HTML. It is the same for every
    reader, so it is rendered once and kept in the cache under a key made of everything it shows:
    the version, the language, the day (laws come into force by date) and the rules and recipients
    it was made from. They are read on every request (two queries whatever the data map holds), so
    an edit in any process changes the key in every process at once; nothing about the reader is in
    the key or the HTML."""
    sections = in_language(version.content, language)
    wanted = {clause.generated for section in sections for clause in section.clauses}
    rules = list(RetentionRule.objects.order_by("key")) if wanted & _NEEDS_RULES else []
    recipients = active_recipients() if wanted & _NEEDS_RECIPIENTS else []
    today = timezone.localdate()
    key = (
        f"policies:body:{version.pk}:{language}:{today.isoformat()}:"
        f"{_fingerprint(rules, recipients)}"
    )
    body: str | None = cache.get(key)
    if body is None:
        with translation.override(language):
            body = render_to_string(
                "policies/_document.html",
                {
                    "sections": sections,
                    "blocks": _blocks(wanted, rules, recipients, today),
                    **clinic_details(),
                },
            )
        cache.set(key, body, timeout=CACHED_FOR_SECONDS)
    return mark_safe(body)  # noqa: S308  (our own template's output, escaped as it rendered)
