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
    BIRTH_DATE = "birth_date"
    UNDER_18 = "under_18"


REDACTED_KINDS = frozenset({Kind.SSN, Kind.CARD, Kind.BANK})
REPLACEMENT = "[removed]"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int


# Groups of 3-2-4 digits split by a dash, dot or space, with or without spaces around the mark
# ("123-45-6789", "123.45.6789", "123 - 45 - 6789"); not inside a longer run of numbers.
_SSN_SEPARATOR = r"(?:[ \t]*[-.\u2010-\u2015][ \t]*|[ \t])"
_SSN_FORMATTED = re.compile(
    rf"(?<![\d.-])(?!000|666|9\d\d)(\d{{3}}){_SSN_SEPARATOR}(?!00)(\d{{2}}){_SSN_SEPARATOR}"
    r"(?!0000)(\d{4})(?![\d-]|\.\d)"
)
_SSN_BARE = re.compile(r"(?<!\d)(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}(?!\d)")
_SSN_WORDS = re.compile(
    r"(\bssn\b|social security|\bsocial\b|soc\. ?sec|seguro social|\bs\.s\.n|\bss ?#|\bss no)", re.I
)
_CARD = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_ACCOUNT = re.compile(
    r"\b(?:account|acct|a/c|cuenta|checking|savings)\b[^\d\n]{0,25}(\d[\d -]{4,20}\d)",
    re.I,
)
_BANK_WORDS = re.compile(
    r"\b(routing|rtn|aba|bank|banco|account|acct|cuenta|checking|savings|ach|direct deposit)\b",
    re.I,
)
# Health details: conditions and medicines named outright, pregnancy and nursing, and skin
# conditions when the writer says they have them ("I have rosacea"), not when they ask about a
# treatment for them ("laser for acne scars"). Single words are looked up in sets (fast); the few
# phrases and first-person skin statements go through small patterns.
_HEALTH_WORDS = frozenset(
    [
        "hiv",
        "vih",
        "cancer",
        "cáncer",
        "lupus",
        "vitiligo",
        "thyroid",
        "tiroides",
        "hemophilia",
        "hypertension",
        "herpes",
        "keloid",
        "keloids",
        "queloide",
        "queloides",
        "eczema",
        "arthritis",
        "artritis",
        "pcos",
        "migraine",
        "migraines",
        "depression",
        "depresión",
        "depresion",
        "anxiety",
        "ansiedad",
        "adhd",
        "celiac",
        "asthma",
        "asma",
        "glaucoma",
        "pacemaker",
        "marcapasos",
        "autoimmune",
        "autoinmune",
        "alopecia",
        "dermatitis",
        "seizure",
        "seizures",
        "sertraline",
        "zoloft",
        "prozac",
        "fluoxetine",
        "lexapro",
        "escitalopram",
        "wellbutrin",
        "methotrexate",
        "prednisone",
        "steroid",
        "steroids",
        "mounjaro",
        "ozempic",
        "wegovy",
        "semaglutide",
        "tirzepatide",
        "accutane",
        "isotretinoin",
        "tretinoin",
        "spironolactone",
        "warfarin",
        "coumadin",
        "eliquis",
        "xarelto",
        "valtrex",
        "valacyclovir",
        "acyclovir",
        "metformin",
        "insulin",
        "levothyroxine",
        "synthroid",
        "humira",
        "adderall",
        "lithium",
        "doxycycline",
        "minocycline",
        "finasteride",
        "antibiotic",
        "antibiotics",
        "antibiótico",
        "antibióticos",
        "antidepressant",
        "antidepressants",
        "chemotherapy",
        "breastfeeding",
        "nursing",
        "lactancia",
        "amamantando",
        "lactando",
    ]
)
_HEALTH_STEMS = (
    "diabet",
    "pregnan",
    "embarazad",
    "hashimoto",
    "epilep",
    "psoria",
    "chemo",
    "quimio",
    "hipertensi",
    "anticoagulant",
    "crohn",
)
_HEALTH_PHRASES = re.compile(
    r"\b(?:bleeding disorder|rheumatoid arthritis|high blood pressure|cold sores?|heart condition|"
    r"multiple sclerosis|fibromyalgia|blood thinners?|birth control|retin-a)\b"
    r"|\b(?:i have|i've got|i've had|tengo) (acne|acné|rosacea|rosácea|melasma|hyperpigmentation|"
    r"hiperpigmentaci[oó]n)\b"
    r"|\bdiagnosed with [\w' -]{3,30}",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_DIGIT_RUN = re.compile(r"\d[\d .\t\u2010-\u2015-]{7,}\d")
_ANY_DIGIT = re.compile(r"\d")
_BIRTH_HINTS = ("born", "birth", "dob", "d.o.b", "nac", "cumple")
_BANK_HINTS = ("account", "acct", "a/c", "cuenta", "checking", "savings")


def _health(text: str, lowered: str) -> list[tuple[int, int]]:
    # Scanning the lower-cased copy is fastest; a few characters change length when lower-cased
    # ("İ"), and then offsets would drift, so such texts are lower-cased word by word instead.
    same_offsets = len(lowered) == len(text)
    spans = []
    for match in _WORD.finditer(lowered if same_offsets else text):
        word = match.group() if same_offsets else match.group().lower()
        if word in _HEALTH_WORDS or word.startswith(_HEALTH_STEMS):
            spans.append((match.start(), match.end()))
    for match in _HEALTH_PHRASES.finditer(text):
        group = 1 if match.group(1) else 0
        spans.append((match.start(group), match.end(group)))
    return spans


_AGE = re.compile(
    r"\b(?:i am|i'm|im|i’m|tengo|age|aged|edad:?|just turned|i turned|turning)\s*(\d{1,2})\b"
    r"(?:\s*(?:years?|yrs?|y/o|años))?"
    r"|\b(\d{1,2})\s*(?:years? old|yrs? old|y/o|años)\b",
    re.I,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "enero"), ("feb", "february", "febrero"), ("mar", "march", "marzo"),
            ("apr", "april", "abril"), ("may", "mayo"), ("jun", "june", "junio"),
            ("jul", "july", "julio"), ("aug", "august", "agosto"),
            ("sep", "sept", "september", "septiembre"), ("oct", "october", "octubre"),
            ("nov", "november", "noviembre"), ("dec", "december", "diciembre"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_BIRTH_WORDS = (
    r"(?:born|birthday|birth date|date of birth|dob|d\.o\.b\.?|nac[ií]\w*|nacimiento|cumpleaños)"
)
_BIRTH_DATE = re.compile(
    _BIRTH_WORDS + r"[^\d\n]{0,25}?"
    r"(?:(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})"
    r"|(?P<us_m>\d{1,2})[/.-](?P<us_d>\d{1,2})[/.-](?P<us_y>\d{4}|\d{2})"
    rf"|(?P<tx_d1>\d{{1,2}})(?:st|nd|rd|th)? (?:de )?(?P<tx_m1>{_MONTH_NAMES})\.?,? (?:de )?"
    r"(?P<tx_y1>\d{4})"
    rf"|(?P<tx_m2>{_MONTH_NAMES})\.? (?P<tx_d2>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<tx_y2>\d{{4}})"
    r"|(?:in\s+)?(?P<year>\d{4}))",
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


def _card_prefix(digits: str) -> bool:
    """Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover 6, Diners 36/38."""
    return digits[0] in "3456" or 2221 <= int(digits[:4]) <= 2720


def aba_valid(digits: str) -> bool:
    """A routing number: a Federal Reserve prefix (00–12, 21–32, 61–72, 80) and the ABA checksum
    3·d1 + 7·d2 + d3 + 3·d4 + … ≡ 0 (mod 10)."""
    if len(digits) != 9 or digits == "0" * 9:
        return False
    prefix = int(digits[:2])
    if not (prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def _near(pattern: re.Pattern[str], text: str, start: int, end: int, window: int = 40) -> bool:
    return bool(pattern.search(text[max(0, start - window) : end + window]))


def _birth_date(match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    if groups["iso_y"]:
        year, month, day = groups["iso_y"], groups["iso_m"], groups["iso_d"]
    elif groups["us_y"]:
        year, month, day = groups["us_y"], groups["us_m"], groups["us_d"]
        if len(year) == 2:  # "6/27/66": the most recent past year ending so
            century = today.year - today.year % 100
            year = str(century + int(year) - (100 if century + int(year) > today.year else 0))
    elif groups["tx_y1"]:
        year, month, day = groups["tx_y1"], str(_MONTHS[groups["tx_m1"].lower()]), groups["tx_d1"]
    elif groups["tx_y2"]:
        year, month, day = groups["tx_y2"], str(_MONTHS[groups["tx_m2"].lower()]), groups["tx_d2"]
    else:
        year, month, day = groups["year"], "12", "31"
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if born > today or born.year < today.year - 120:
        return None
    return born


def scan(text: str, *, today: date) -> list[Finding]:
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: Kind, start: int, end: int) -> None:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        findings.append(Finding(kind, start, end))
        taken.append((start, end))

    lowered = text.lower()
    has_long_numbers = _DIGIT_RUN.search(text) is not None
    for match in _SSN_FORMATTED.finditer(text) if has_long_numbers else ():
        add(Kind.SSN, match.start(), match.end())
    for match in _CARD.finditer(text) if has_long_numbers else ():
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and _card_prefix(digits) and luhn_valid(digits):
            add(Kind.CARD, match.start(), match.end())
    for match in _NINE_DIGITS.finditer(text) if has_long_numbers else ():
        digits = match.group()
        if _near(_SSN_WORDS, text, match.start(), match.end()) and _SSN_BARE.fullmatch(digits):
            add(Kind.SSN, match.start(), match.end())
        elif aba_valid(digits) and _near(_BANK_WORDS, text, match.start(), match.end()):
            add(Kind.BANK, match.start(), match.end())
    bank_words = any(hint in lowered for hint in _BANK_HINTS)
    for match in _ACCOUNT.finditer(text) if bank_words else ():
        digits = re.sub(r"\D", "", match.group(1))
        if 6 <= len(digits) <= 17:
            add(Kind.BANK, match.start(1), match.end(1))
    for start, end in _health(text, lowered):
        add(Kind.HEALTH, start, end)
    for match in _AGE.finditer(text) if _ANY_DIGIT.search(text) else ():
        stated = int(match.group(1) or match.group(2))
        if 5 <= stated < 18:
            add(Kind.UNDER_18, match.start(), match.end())
    birth_words = any(hint in lowered for hint in _BIRTH_HINTS)
    for match in _BIRTH_DATE.finditer(text) if birth_words else ():
        born = _birth_date(match, today)
        if born is None:
            continue
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        add(Kind.UNDER_18 if age < 18 else Kind.BIRTH_DATE, match.start(), match.end())
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
