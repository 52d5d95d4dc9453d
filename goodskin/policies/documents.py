"""Policy documents as data: sections of clauses, each in English and Spanish, compared clause by
clause. Pure: no database, no Django models.

A version's content is a list of sections::

    [{"key": "who-we-are", "heading": {"en": "...", "es": "..."},
      "clauses": [{"key": "who-1", "text": {"en": "...", "es": "..."}},
                  {"key": "what-we-keep", "generated": "collected"}]}]

A *generated* clause is filled in when the page is drawn from the system's own records (the data
map, the retention schedule, the recipient register, the jurisdiction table), so the words can never
drift from what the system does. Keys are stable across versions: they are how a diff knows that a
clause changed rather than that one was removed and another added.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("en", "es")
GENERATED = {
    "collected": "Everything we keep, and why (from the data map)",
    "retention": "How long each kind of information is kept (from the retention schedule)",
    "recipients": "Who receives personal information (from the recipient register)",
    "rights_table": "Each state's rights and clocks (from the jurisdiction table)",
    "clocks": "When we confirm and answer, grouped by state (from the jurisdiction table)",
    "ccpa_table": "Each kind of information: sources, purposes, recipients, retention (data map)",
    "contact": "Our email and postal address",
}
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
MAX_TEXT = 4000


class InvalidDocument(ValueError):
    """What is wrong, in words the privacy officer can act on; `where` names the place."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class Clause:
    key: str
    text: dict[str, str]
    generated: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    heading: dict[str, str]
    clauses: tuple[Clause, ...]


def _words(value: Any, *, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InvalidDocument("Give the words in English and in Spanish.", where=where)
    words = {}
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            name = "English" if language == "en" else "Spanish"
            raise InvalidDocument(f"The {name} words are missing.", where=f"{where}-{language}")
        if len(text) > MAX_TEXT:
            raise InvalidDocument(
                f"Keep it under {MAX_TEXT} characters.", where=f"{where}-{language}"
            )
        words[language] = " ".join(text.split())
    return words


def parse(content: Any) -> tuple[Section, ...]:
    """Check a version's content and return it as sections. Raises InvalidDocument."""
    if not isinstance(content, list) or not content:
        raise InvalidDocument("A policy needs at least one section.")
    sections = []
    seen: set[str] = set()
    for raw in content:
        key = raw.get("key", "") if isinstance(raw, dict) else ""
        if not _KEY.match(key) or key in seen:
            raise InvalidDocument(f"Section key “{key}” is missing, malformed or repeated.")
        seen.add(key)
        heading = _words(raw.get("heading"), where=f"{key}-heading")
        clauses = []
        for clause in raw.get("clauses") or []:
            clause_key = clause.get("key", "") if isinstance(clause, dict) else ""
            if not _KEY.match(clause_key) or clause_key in seen:
                raise InvalidDocument(
                    f"Clause key “{clause_key}” is missing, malformed or repeated.", where=key
                )
            seen.add(clause_key)
            generated = clause.get("generated", "")
            if generated:
                if generated not in GENERATED:
                    raise InvalidDocument(
                        f"Unknown generated block “{generated}”.", where=clause_key
                    )
                clauses.append(Clause(clause_key, {}, generated))
            else:
                clauses.append(Clause(clause_key, _words(clause.get("text"), where=clause_key)))
        if not clauses:
            raise InvalidDocument("A section needs at least one clause.", where=key)
        sections.append(Section(key, heading, tuple(clauses)))
    return tuple(sections)


def to_content(sections: tuple[Section, ...]) -> list[dict[str, Any]]:
    return [
        {
            "key": section.key,
            "heading": section.heading,
            "clauses": [
                {"key": c.key, "generated": c.generated}
                if c.generated
                else {"key": c.key, "text": c.text}
                for c in section.clauses
            ],
        }
        for section in sections
    ]


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed, moved
    where: str  # the section heading (in the language asked for)
    key: str
    old: str
    new: str
    words: tuple[tuple[str, str], ...] = ()  # ("same"|"added"|"removed", text) for changed clauses


def _flat(sections: tuple[Section, ...], language: str) -> dict[str, tuple[str, str, int]]:
    """key → (section heading, text, position) for headings and clauses alike."""
    flat: dict[str, tuple[str, str, int]] = {}
    position = 0
    for section in sections:
        heading = section.heading[language]
        flat[f"{section.key}#heading"] = (heading, heading, position)
        position += 1
        for clause in section.clauses:
            text = f"[{GENERATED[clause.generated]}]" if clause.generated else clause.text[language]
            flat[clause.key] = (heading, text, position)
            position += 1
    return flat


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    old_words, new_words = old.split(), new.split()
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", " ".join(new_words[b1:b2])))
    return tuple(parts)


def diff(old: tuple[Section, ...], new: tuple[Section, ...], *, language: str) -> list[Change]:
    """Clause-by-clause differences in the new document's order; removed clauses where they were."""
    before, after = _flat(old, language), _flat(new, language)
    changes: list[Change] = []
    for key, (where, text, _) in after.items():
        if key not in before:
            changes.append(Change("added", where, key, "", text))
        elif before[key][1] != text:
            changes.append(
                Change("changed", where, key, before[key][1], text, word_diff(before[key][1], text))
            )
    for key, (where, text, _) in before.items():
        if key not in after:
            changes.append(Change("removed", where, key, text, ""))
    order: dict[str, float] = {key: position for key, (_, _, position) in after.items()}
    anchor = -1.0  # a removed clause is shown just after the surviving one it followed
    for key, (_, _, position) in sorted(before.items(), key=lambda item: item[1][2]):
        if key in after:
            anchor = order[key]
        else:
            order[key] = anchor + 0.5 + position / 1_000_000
    changes.sort(key=lambda change: order[change.key])
    return changes


def same(old: tuple[Section, ...], new: tuple[Section, ...]) -> bool:
    return to_content(old) == to_content(new)
