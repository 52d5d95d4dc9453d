"""A version's content in one language, ready for a template, with the generated blocks filled in
from the system's own records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from goodskin.core.rows import every_column
from goodskin.disclosures.models import Recipient
from goodskin.disclosures.queries import (
    active_recipients,
    recipients_by_kind,
    register,
    sells_or_shares,
)
from goodskin.jurisdictions.privacy import PROMISE, laws_as_of
from goodskin.policies.documents import parse
from goodskin.policies.models import PolicyVersion, VersionStatus
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


def _fingerprint(wanted: set[str]) -> str:
    """Everything the blocks are made from, hashed: any edit to a rule or a recipient changes it."""
    rows: list[Any] = []
    with connection.cursor() as cursor:
        if wanted & _NEEDS_RULES:
            cursor.execute(every_column(RetentionRule))
            rows += cursor.fetchall()
        if wanted & _NEEDS_RECIPIENTS:
            cursor.execute(every_column(Recipient, "WHERE active = %s"), [True])
            rows += cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


def _sections(version: PolicyVersion, language: str) -> list[ShownSection]:
    """A published version never changes (only the one draft is edited), so its parsed sections
    are kept in the cache, like its body; a draft is parsed every time."""
    if version.status != VersionStatus.PUBLISHED or version.pk is None:
        return in_language(version.content, language)
    key = f"policies:sections:{version.pk}:{version.number}:{language}"
    sections: list[ShownSection] | None = cache.get(key)
    if sections is None:
        sections = in_language(version.content, language)
        cache.set(key, sections, timeout=CACHED_FOR_SECONDS)
    return sections


def document_body(version: PolicyVersion, language: str) -> SafeString:
    return kept_document_body(version, language)[0]


def kept_document_body(version: PolicyVersion, language: str) -> tuple[SafeString, str]:
    """A published version's text with its generated blocks, as HTML, and the key it is kept
    under. It is the same for every reader, so it is rendered once and kept in the cache under a
    key made of everything it shows: the version, the language, the day (laws come into force by
    date) and the rules and recipients it was made from. Their rows are read on every request (two
    plain statements whatever the data map holds), so an edit in any process changes the key in
    every process at once; nothing about the reader is in the key or the HTML."""
    sections = _sections(version, language)
    wanted = {clause.generated for section in sections for clause in section.clauses}
    today = timezone.localdate()
    key = f"policies:body:{version.pk}:{language}:{today.isoformat()}:{_fingerprint(wanted)}"
    body: str | None = cache.get(key)
    if body is None:
        rules = list(RetentionRule.objects.order_by("key")) if wanted & _NEEDS_RULES else []
        recipients = active_recipients() if wanted & _NEEDS_RECIPIENTS else []
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
    return mark_safe(body), key  # noqa: S308  (our own template's output, escaped as it rendered)
