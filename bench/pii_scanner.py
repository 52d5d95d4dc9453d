"""Our free-text scanner in the shape the PII peer harness expects (../shared/peers/pii):
`scan_spans(text) -> [(start, end, label)]`, with the harness's labels. No Django import."""

from __future__ import annotations

from datetime import date

from goodskin.submissions.scanning import Kind, scan

TODAY = date(2026, 11, 25)  # the corpus's generation date, so stated birth years age correctly
LABELS = {
    Kind.SSN: "US_SSN",
    Kind.CARD: "CREDIT_CARD",
    Kind.BANK: "US_BANK_NUMBER",
    Kind.ROUTING: "ABA_ROUTING_NUMBER",
    Kind.HEALTH: "HEALTH",
    Kind.UNDER_18: "DATE_OF_BIRTH",
    Kind.BIRTH_DATE: "DATE_OF_BIRTH",
    Kind.AGE: "DATE_OF_BIRTH",
    Kind.CHILD_AGE: "DATE_OF_BIRTH",
}


def scan_spans(text: str) -> list[tuple[int, int, str]]:
    return [
        (finding.start, finding.end, LABELS[finding.kind]) for finding in scan(text, today=TODAY)
    ]
