"""What people type that they should not: a pure scanner for free text, no ORM, no I/O.

Finds US Social Security numbers, payment card numbers (Luhn-checked, with a card-network prefix),
bank routing numbers (ABA checksum) and account numbers near banking words, health details, and
statements of age or birth date that show the writer is under 18. SSNs, card and bank numbers are
redacted before anything is stored; health details are kept (sealed) and flagged; age signals go
to the minors' review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    SSN = "ssn"
    CARD = "card"
    BANK = "bank_account"
    HEALTH = "health"
    UNDER_18 = "under_18"


REDACTED_KINDS = frozenset({Kind.SSN, Kind.CARD, Kind.BANK})
REPLACEMENT = "[removed]"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int


_SSN_FORMATTED = re.compile(
    r"(?<![\d-])(?!000|666|9\d\d)(\d{3})[- ](?!00)(\d{2})[- ](?!0000)(\d{4})(?![\d-])"
)
_SSN_BARE = re.compile(r"(?<!\d)(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}(?!\d)")
_SSN_WORDS = re.compile(r"\b(ssn|social security|soc\. ?sec|seguro social|s\.s\.n)\b", re.I)
_CARD = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_ACCOUNT = re.compile(
    r"\b(?:account|acct|a/c|cuenta|checking|savings)\b[^\d\n]{0,25}(\d[\d -]{4,20}\d)",
    re.I,
)
_BANK_WORDS = re.compile(r"\b(routing|aba|bank|banco|account|acct|cuenta|checking|savings)\b", re.I)
_HEALTH = re.compile(
    r"\b(diagnos\w*|pregnan\w*|embarazad\w*|medicat\w*|medicament\w*|prescri\w*|receta|"
    r"allerg\w*|alergi\w*|hiv|vih|diabet\w*|cancer|cáncer|chemo\w*|quimio\w*|surger\w*|cirug\w*|"
    r"lupus|rosacea|rosácea|eczema|psoria\w*|melasma|acne|acné|herpes|blood thinner\w*|"
    r"anticoagul\w*|accutane|isotretinoin\w*|keloid\w*|queloide\w*|depress\w*|anxiety|ansiedad|"
    r"hypertension|hipertensi\w*|epilep\w*|autoimmune|autoinmune|botox reaction)\b",
    re.I,
)
_AGE = re.compile(
    r"\b(?:i am|i'm|im|i’m|tengo|age|aged|edad:?)\s*(\d{1,2})\b(?:\s*(?:years?|yrs?|y/o|años))?"
    r"|\b(\d{1,2})\s*(?:years? old|yrs? old|y/o|años)\b",
    re.I,
)
_BIRTH_WORDS = (
    r"(?:born|birthday|birth date|date of birth|dob|d\.o\.b\.?|nac[ií]|nacimiento|cumpleaños)"
)
_BIRTH_DATE = re.compile(
    _BIRTH_WORDS + r"[^\d\n]{0,20}"
    r"(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(?:in\s+)?(\d{4}))",
    re.I,
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def aba_valid(digits: str) -> bool:
    """The ABA routing-number checksum: 3·d1 + 7·d2 + d3 + 3·d4 + … ≡ 0 (mod 10)."""
    if len(digits) != 9 or digits[0] not in "0123" or digits == "0" * 9:
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def _near(pattern: re.Pattern[str], text: str, start: int, end: int, window: int = 40) -> bool:
    return bool(pattern.search(text[max(0, start - window) : end + window]))


def _age_from_birth(match: re.Match[str], today: date) -> int | None:
    year = match.group(1) or match.group(6) or match.group(7)
    month = match.group(2) or match.group(4)  # the US writes month/day/year
    day = match.group(3) or match.group(5)
    try:
        born_year = int(year)
        born = date(born_year, int(month), int(day)) if month and day else date(born_year, 12, 31)
    except ValueError:
        return None
    if born > today or born_year < today.year - 120:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def scan(text: str, *, today: date) -> list[Finding]:
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: Kind, start: int, end: int) -> None:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        findings.append(Finding(kind, start, end))
        taken.append((start, end))

    for match in _SSN_FORMATTED.finditer(text):
        add(Kind.SSN, match.start(), match.end())
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and digits[0] in "3456" and luhn_valid(digits):
            add(Kind.CARD, match.start(), match.end())
    for match in _NINE_DIGITS.finditer(text):
        digits = match.group()
        if _near(_SSN_WORDS, text, match.start(), match.end()) and _SSN_BARE.fullmatch(digits):
            add(Kind.SSN, match.start(), match.end())
        elif aba_valid(digits) and _near(_BANK_WORDS, text, match.start(), match.end()):
            add(Kind.BANK, match.start(), match.end())
    for match in _ACCOUNT.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 6 <= len(digits) <= 17:
            add(Kind.BANK, match.start(1), match.end(1))
    for match in _HEALTH.finditer(text):
        add(Kind.HEALTH, match.start(), match.end())
    for match in _AGE.finditer(text):
        stated = int(match.group(1) or match.group(2))
        if 5 <= stated < 18:
            add(Kind.UNDER_18, match.start(), match.end())
    for match in _BIRTH_DATE.finditer(text):
        derived = _age_from_birth(match, today)
        if derived is not None and derived < 18:
            add(Kind.UNDER_18, match.start(), match.end())
    return sorted(findings, key=lambda finding: finding.start)


def redact(text: str, findings: list[Finding]) -> str:
    """The text with every SSN, card and bank number replaced; other findings left in place."""
    pieces = []
    cursor = 0
    for finding in sorted(findings, key=lambda item: item.start):
        if finding.kind in REDACTED_KINDS:
            pieces.append(text[cursor : finding.start])
            pieces.append(REPLACEMENT)
            cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces)
