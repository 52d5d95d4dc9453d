"""Our free-text scanner in the shape the PII peer harness expects (../shared/peers/pii):
`scan_spans(text) -> [(start, end, label)]`, with the harness's labels. No Django import."""

from __future__ import annotations

import re
from datetime import date

from goodskin.submissions.scanning import Kind, aba_valid, scan

TODAY = date(2026, 11, 25)  # the corpus's generation date, so stated birth years age correctly
LABELS = {
    Kind.SSN: "US_SSN",
    Kind.CARD: "CREDIT_CARD",
    Kind.HEALTH: "HEALTH",
    Kind.UNDER_18: "DATE_OF_BIRTH",
    Kind.BIRTH_DATE: "DATE_OF_BIRTH",
}


def scan_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for finding in scan(text, today=TODAY):
        if finding.kind is Kind.BANK:
            digits = re.sub(r"\D", "", text[finding.start : finding.end])
            label = "ABA_ROUTING_NUMBER" if aba_valid(digits) else "US_BANK_NUMBER"
        else:
            label = LABELS[finding.kind]
        spans.append((finding.start, finding.end, label))
    return spans
