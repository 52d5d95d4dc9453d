"""Policy documents are sections of clauses in two languages, compared clause by clause."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from goodskin.policies.documents import InvalidDocument, diff, parse, same

BASE: list[dict[str, Any]] = [
    {
        "key": "changes",
        "heading": {"en": "Changes", "es": "Cambios"},
        "clauses": [
            {"key": "changes-1", "text": {"en": "We tell you by email.", "es": "Le avisamos."}},
            {"key": "changes-2", "text": {"en": "Thirty days apply.", "es": "Treinta días."}},
        ],
    },
    {
        "key": "contact",
        "heading": {"en": "Contact", "es": "Contacto"},
        "clauses": [{"key": "contact-1", "generated": "contact"}],
    },
]


def edited(
    *, text: str | None = None, insert: dict[str, Any] | None = None, remove: bool = False
) -> list[dict[str, Any]]:
    """BASE with its first section's clauses changed: new English words for the second clause, a
    clause inserted first, or the first clause removed."""
    content = copy.deepcopy(BASE)
    clauses = content[0]["clauses"]
    if text is not None:
        clauses[1]["text"]["en"] = text
    if insert is not None:
        clauses.insert(0, insert)
    if remove:
        del clauses[0]
    return content


def test_a_changed_clause_shows_the_words_removed_and_added() -> None:
    old, new = parse(BASE), parse(edited(text="Thirty calendar days apply."))
    [change] = diff(old, new, language="en")
    assert (change.kind, change.key, change.where) == ("changed", "changes-2", "Changes")
    assert change.words == (("same", "Thirty"), ("added", "calendar"), ("same", "days apply."))


def test_added_and_removed_clauses_are_shown_where_they_are_and_were() -> None:
    added = {"key": "changes-0", "text": {"en": "First.", "es": "Primero."}}
    new = parse(edited(insert=added))
    assert [(c.kind, c.key) for c in diff(parse(BASE), new, language="en")] == [
        ("added", "changes-0")
    ]
    gone = parse(edited(remove=True))
    assert [(c.kind, c.key, c.old) for c in diff(parse(BASE), gone, language="es")] == [
        ("removed", "changes-1", "Le avisamos.")
    ]


def test_whitespace_alone_is_no_change() -> None:
    spaced = parse(edited(text="Thirty  days\napply."))
    assert same(parse(BASE), spaced)
    assert diff(parse(BASE), spaced, language="en") == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ([], "A policy needs at least one section."),
        ([{**BASE[0], "heading": {"en": "Changes"}}], "The Spanish words are missing."),
        ([BASE[0], {**BASE[1], "key": "changes"}], "Section key “changes” is missing"),
        (
            [{**BASE[1], "clauses": [{"key": "x-1", "generated": "everything"}]}],
            "Unknown generated",
        ),
        ([{**BASE[0], "clauses": []}], "A section needs at least one clause."),
    ],
)
def test_a_malformed_document_is_refused_with_what_to_fix(content: Any, message: str) -> None:
    with pytest.raises(InvalidDocument, match=message):
        parse(content)
