"""What people type that they should not: a pure scanner for free text, no ORM, no I/O.

Finds US Social Security numbers, payment card numbers (Luhn-checked, with a card-network prefix),
bank routing numbers (ABA checksum) and account numbers, health details, stated ages and birth
dates. SSNs, card, routing and account numbers are redacted before anything is stored; health
details and ages are kept (sealed) and flagged; a writer under 18 goes to the minors' review.

Design, for speed and for numbers people really type:

- Each family is one compiled pattern run once over the message (or its lower-cased copy), and is
  skipped when one Hyperscan pass shows it cannot match (the gate, below). Every pattern
  has only bounded repetition, so the work is linear in the length of the text; findings are
  collected and then resolved in one sorted sweep, so it stays linear in the number of findings.
- A number is read as its digit groups, whatever marks (space, dash, dot, one line break) join
  them, and is decided by its shape, its checksum and the nearest cue word before it ("routing",
  "account", "SSN", "order", ...), never by any cue word somewhere in the window: in "routing
  021000021 and account 12345678, SSN 123-45-6789" each number takes its own label.
- Words are looked up through one pattern built as a prefix tree from the vocabulary, in English
  and Spanish; a health term after a negation in its own clause ("I'm not pregnant") is not a
  health detail.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    SSN = "ssn"
    CARD = "card"
    BANK = "bank_account"
    ROUTING = "routing_number"
    HEALTH = "health"
    BIRTH_DATE = "birth_date"
    AGE = "age"  # an adult's stated age
    UNDER_18 = "under_18"  # the writer says they are under 18
    CHILD_AGE = "child_age"  # the writer gives the age of a child of theirs, under 18


REDACTED_KINDS = frozenset({Kind.SSN, Kind.CARD, Kind.BANK, Kind.ROUTING})
REPLACEMENT = "[removed]"
# When two findings overlap, the one that must be redacted wins, then the more specific.
_PRIORITY = {
    Kind.CARD: 0, Kind.SSN: 1, Kind.BANK: 2, Kind.ROUTING: 3, Kind.UNDER_18: 4,
    Kind.CHILD_AGE: 5, Kind.BIRTH_DATE: 6, Kind.AGE: 7, Kind.HEALTH: 8,
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int


_Trie = dict[str, "_Trie"]


def trie_pattern(terms: Iterable[str]) -> str:
    """One regular expression matching any of `terms`, written as a prefix tree so the engine
    follows one branch per character instead of trying every term at every position. A term
    ending in "*" matches as a stem (any word characters may follow); spaces match any run of
    white space."""
    tree: _Trie = {}
    for term in terms:
        node = tree
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = []
        for char, child in sorted(node.items()):
            if char == "":
                continue
            if char == "*":
                branches.append(r"\w*")
            elif char == " ":
                branches.append(r"\s+" + emit(child))
            else:
                branches.append(re.escape(char) + emit(child))
        ends_here = "" in node
        if not branches:
            return r"(?!\w)" if ends_here else ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body}|(?!\\w))" if ends_here else body

    return emit(tree)


# ---------------------------------------------------------------------------- numbers
# A run of digits and the marks people put between groups of them: at most three spaces around
# one dash or dot, or a single line break (a card number the form wrapped). Bounded, so linear.
_SEPARATOR = r"(?:[ \t]{0,3}[-.\u2010-\u2015][ \t]{0,3}|[ \t]{1,3}|[ \t]?\r?\n[ \t]?)"
_NUMBER = re.compile(rf"(?<![\w.,/$#-])\d+(?:{_SEPARATOR}\d+)*")
_LONG_DIGITS = re.compile(r"\d[\d \t.\u2010-\u2015\r\n-]{4,}\d")
_GROUP = re.compile(r"\d+")
_ACCOUNT_FOLLOWS = re.compile(r"[ \t/,;:-]{1,5}\d{6,17}(?!\d)")
_CUE_WINDOW = 40
_FOLLOWING_CUE_WINDOW = 20
# The cue words, on the lower-cased text; the nearest one before a number decides what it is.
# "ours" are the clinic's own numbers (orders, gift cards), "contact" a phone or patient id.
_CUE_TERMS = {
    "ssn": ("ssn*", "social", "soc sec*", "soc. sec*", "seguro social", "seguro", "s.s.n*", "ss#",
            "ss #", "ss no*", "credit check", "itin", "tax id"),
    "routing": ("routing*", "rtn", "aba", "ruta*", "tránsito*", "transito*"),
    "account": ("account*", "acct*", "a/c", "cuenta*", "checking", "savings", "iban"),
    "card": ("card", "cards", "visa", "mastercard", "master card", "amex", "mc", "cc",
             "tarjeta*", "discover"),
    "ours": ("order*", "confirmation*", "confirmaci*", "reference*", "ref", "tracking", "member*",
             "invoice*", "receipt*", "ticket*", "zip*", "pedido*", "recibo*", "gift*"),
    "contact": ("patient*", "id", "phone*", "cell*", "tel", "call*", "text*", "fax", "whatsapp"),
}  # fmt: skip
_CUES = re.compile(
    r"(?<![^\W_])" + trie_pattern(term for terms in _CUE_TERMS.values() for term in terms)
)
_CUE_OF_WORD = {
    term: cue for cue, terms in _CUE_TERMS.items() for term in terms if not term.endswith("*")
}
_CUE_OF_STEM = sorted(
    ((term[:-1], cue) for cue, terms in _CUE_TERMS.items() for term in terms if term.endswith("*")),
    key=lambda pair: -len(pair[0]),
)


def _cue_of(matched: str) -> str:
    words = " ".join(matched.split())
    cue = _CUE_OF_WORD.get(words)
    if cue is not None:
        return cue
    return next(cue for stem, cue in _CUE_OF_STEM if words.startswith(stem))


_PHONE_SHAPES = ((3, 3, 4), (1, 3, 3, 4))
_SPELLED_DIGITS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "cero": "0", "uno": "1", "dos": "2",
    "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7", "ocho": "8",
    "nueve": "9",
}  # fmt: skip
_SPELLED_NUMBER = re.compile(
    r"\b(?:" + trie_pattern(_SPELLED_DIGITS) + r"[ \t,.\-]{0,3}){9,}",
)
_SSN_HINTS = ("ssn", "social", "seguro", "s.s.n", "ss#", "ss ")


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


def ssn_valid(digits: str) -> bool:
    """Nine digits the Social Security Administration could have issued: never area 000, 666 or
    900–999, group 00 or serial 0000."""
    return (
        len(digits) == 9
        and digits[:3] not in ("000", "666")
        and digits[0] != "9"
        and digits[3:5] != "00"
        and digits[5:] != "0000"
    )


def _cue(lowered: str, start: int, end: int, floor: int) -> str | None:
    """The nearest cue before the number, not reaching back past the previous number (whose
    cue it was); failing that, the first cue just after it ("123456789 is my SSN")."""
    before = None
    for match in _CUES.finditer(lowered, max(floor, start - _CUE_WINDOW), start):
        before = match
    if before is not None:
        return _cue_of(before.group())
    after = _CUES.search(lowered, end, end + _FOLLOWING_CUE_WINDOW)
    return _cue_of(after.group()) if after else None


def _nine_digits(digits: str, cue: str | None, account_follows: bool) -> Kind | None:
    if cue == "routing":
        return Kind.ROUTING if aba_valid(digits) else None
    if cue == "account":
        return Kind.BANK
    if cue == "ssn":
        return Kind.SSN if ssn_valid(digits) else None
    if cue is not None:  # an order, a card, a phone, a patient id: not one of these
        return None
    # Nothing says what it is: a routing number followed by an account number is that pair;
    # otherwise an SSN-shaped number is removed to be safe (the sender is told).
    if account_follows and aba_valid(digits):
        return Kind.ROUTING
    if ssn_valid(digits):
        return Kind.SSN
    return Kind.ROUTING if aba_valid(digits) else None


def _number_kind(
    digits: str,
    shape: tuple[int, ...],
    cue: str | None,
    *,
    after_routing: bool,
    account_follows: bool,
) -> Kind | None:
    if cue == "account" and len(digits) <= 17:
        return Kind.BANK
    if (
        cue != "ours"  # a tracking, order or gift-card number that happens to pass Luhn
        and 13 <= len(digits) <= 19
        and _card_prefix(digits)
        and luhn_valid(digits)
    ):
        return Kind.CARD
    if shape == (3, 2, 4):
        return Kind.SSN if ssn_valid(digits) else None
    if len(shape) == 1 and len(digits) == 9:
        return _nine_digits(digits, cue, account_follows)
    if len(shape) == 1 and len(digits) <= 17 and after_routing and cue is None:
        return Kind.BANK  # the account number that follows a routing number
    return None


def _numbers(text: str, lowered: str, found: list[tuple[int, int, Kind]]) -> None:
    routing_end = -_CUE_WINDOW

    def decide(start: int, end: int, digits: str, shape: tuple[int, ...], floor: int) -> bool:
        """Label one number (a whole run, or one group of it) by its own cue; True if found."""
        nonlocal routing_end
        kind = _number_kind(
            digits,
            shape,
            _cue(lowered, start, end, floor),
            after_routing=start - routing_end < _CUE_WINDOW,
            account_follows=_ACCOUNT_FOLLOWS.match(text, end) is not None,
        )
        if kind is None:
            return False
        found.append((start, end, kind))
        # A routing number pairs with the one account number after it, and only that one.
        routing_end = end if kind is Kind.ROUTING else -_CUE_WINDOW
        return True

    previous_end = 0
    for run in _NUMBER.finditer(text):
        start, end = run.span()
        floor, previous_end = previous_end, end
        if end < len(text) and (text[end].isalnum() or text[end] in "/_"):
            continue  # part of a code ("12345678ab", "3/14/2011"), not a number of its own
        groups = [(start + g.start(), start + g.end()) for g in _GROUP.finditer(run.group())]
        digits = "".join(text[s:e] for s, e in groups)
        if len(digits) < 6:
            continue
        shape = tuple(e - s for s, e in groups)
        if decide(start, end, digits, shape, floor):
            continue
        if len(groups) == 1 or shape in _PHONE_SHAPES:
            continue
        # Separate numbers a space apart ("021000021 12345678"), each with its own cue.
        for group_start, group_end in groups:
            if group_end - group_start >= 6:
                decide(
                    group_start,
                    group_end,
                    text[group_start:group_end],
                    (group_end - group_start,),
                    floor,
                )
            floor = group_end


def _spelled_numbers(lowered: str, found: list[tuple[int, int, Kind]]) -> None:
    for match in _SPELLED_NUMBER.finditer(lowered):
        words = re.findall(r"[a-z]+", match.group())
        digits = "".join(_SPELLED_DIGITS.get(word, "") for word in words)
        if ssn_valid(digits):
            found.append((match.start(), match.end(), Kind.SSN))


# ---------------------------------------------------------------------------- health
# Conditions and medicines named outright, in English and Spanish; pregnancy and nursing; skin
# conditions only when the writer says they have them ("I have rosacea"), not when they ask
# about a treatment for them ("laser for acne scars"). "*" marks a stem.
HEALTH_TERMS = (
    # conditions
    "hiv", "vih", "cancer", "cáncer", "melanoma", "leukemia", "leucemia", "lymphoma",
    "linfoma", "lupus", "vitiligo", "thyroid", "tiroides", "hemophilia", "hemofilia",
    "hypertension", "herpes", "shingles", "keloid", "keloids", "queloide", "queloides", "eczema",
    "arthritis", "artritis", "pcos", "migraine", "migraines", "migraña", "migrañas", "depression",
    "depresión", "depresion", "anxiety", "ansiedad", "bipolar", "schizophrenia", "ptsd", "adhd",
    "celiac", "asthma", "asma", "glaucoma", "pacemaker", "marcapasos", "autoimmune", "autoinmune",
    "alopecia", "dermatitis", "seizure", "seizures", "convulsiones", "hepatitis", "cirrhosis",
    "cirrosis", "myasthenia", "miastenia", "bell's palsy", "bell’s palsy", "bells palsy",
    "parálisis de bell", "scleroderma", "esclerodermia", "sjogren*", "sjögren*", "fibromyalgia",
    "fibromialgia", "multiple sclerosis", "esclerosis múltiple", "heart condition",
    "heart disease", "enfermedad cardíaca", "kidney disease", "enfermedad renal", "dialysis",
    "diálisis", "stroke", "blood clots", "blood clot", "coágulos", "sickle cell", "anemia",
    "anorexia", "bulimia", "eating disorder", "hidradenitis", "rheumatoid arthritis",
    "bleeding disorder", "trastorno de coagulación", "high blood pressure", "presión alta",
    "presion alta", "hipertensión", "high cholesterol", "colesterol alto", "cold sore",
    "cold sores", "fever blister*", "latex allergy", "alergia al látex", "chemotherapy",
    "radiation therapy", "radioterapia", "diabet*", "pregnan*", "embarazad*", "hashimoto*",
    "epilep*", "psoria*",
    "chemo*", "quimio*", "hipertensi*", "anticoagulant*", "crohn*", "colitis",
    "breastfeeding", "nursing", "lactancia", "amamantando", "lactando",
    # medicines
    "sertraline", "sertralina", "zoloft", "prozac", "fluoxetine", "fluoxetina", "lexapro",
    "escitalopram", "wellbutrin", "bupropion", "methotrexate", "metotrexato", "prednisone",
    "prednisona", "steroid", "steroids", "esteroides", "mounjaro", "ozempic", "wegovy",
    "zepbound", "saxenda", "semaglutide", "semaglutida", "tirzepatide", "tirzepatida", "accutane",
    "isotretinoin", "isotretinoína", "isotretinoina", "tretinoin", "tretinoína", "tretinoina",
    "retin-a", "spironolactone", "espironolactona", "warfarin", "warfarina", "coumadin",
    "eliquis", "xarelto", "plavix", "clopidogrel", "aspirin", "aspirina", "blood thinner",
    "blood thinners", "valtrex", "valacyclovir", "valaciclovir", "acyclovir", "aciclovir",
    "metformin", "metformina", "insulin", "insulina", "levothyroxine", "levotiroxina",
    "synthroid", "humira", "dupixent", "enbrel", "stelara", "plaquenil", "hydroxychloroquine",
    "adderall", "lithium", "litio", "doxycycline", "doxiciclina", "minocycline", "minociclina",
    "finasteride", "finasterida", "lisinopril", "losartan", "losartán", "amlodipine",
    "amlodipino", "atorvastatin", "atorvastatina", "lipitor", "statin", "statins",
    "antibiotic", "antibiotics", "antibiótico", "antibióticos", "antidepressant",
    "antidepressants", "antidepresivo", "antidepresivos", "birth control", "anticonceptiv*",
    "immunosuppress*", "inmunosupres*",
)  # fmt: skip
_SKIN_CONDITIONS = (
    "acne", "acné", "rosacea", "rosácea", "melasma", "hyperpigmentation", "hiperpigmentación",
    "hiperpigmentacion",
)  # fmt: skip
_FIRST_PERSON_HAS = (
    "i have", "i've got", "i’ve got", "i've had", "i had", "i suffer from", "i struggle with",
    "tengo", "sufro de", "padezco",
)  # fmt: skip
# Words that say what follows is a health detail, whatever it is: the span takes up to three
# words after them ("diagnosed with Bell's palsy", "allergic to lidocaine").
_HEALTH_LEAD_INS = (
    "diagnosed with", "allergic to", "allergy to", "allergies to", "diagnosticada con",
    "diagnosticado con", "alérgica a", "alérgico a", "alergia a", "treated for",
)  # fmt: skip
_HEALTH = re.compile(
    rf"\b(?:(?P<term>{trie_pattern(HEALTH_TERMS)}"
    rf"|{trie_pattern(_HEALTH_LEAD_INS)}\s+[\w'’-]+(?:[ \t]+[\w'’-]+){{0,2}})"
    rf"|{trie_pattern(_FIRST_PERSON_HAS)}\s+(?:bad\s+|severe\s+|mild\s+)?"
    rf"(?P<skin>{trie_pattern(_SKIN_CONDITIONS)}))"
)
_HEALTH_ANY_CASE = re.compile(_HEALTH.pattern, re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.,;:!?()\n]|\bbut\b|\bpero\b|\band\b|\by\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|no|never|don't|dont|do not|doesn't|does not|isn't|aren't|wasn't|haven't|"
    r"hasn't|nor|without|nunca|sin|ni)\b(?!\s+longer)(?:\s+\S+){0,2}\s*$",
    re.IGNORECASE,
)


def _negated(source: str, start: int) -> bool:
    """Whether a negation stands at most three words before `start`, in its clause: "I'm not
    pregnant", "no tengo diabetes"; not "I'm no longer on Accutane" (that is history)."""
    window = source[max(0, start - 40) : start]
    clause_start = 0
    for match in _CLAUSE_END.finditer(window):
        clause_start = match.end()
    return _NEGATION.search(window, clause_start) is not None


_LIST_JOINER = re.compile(r"\s*(?:,|or|nor|o|ni|, or|, nor)\s*(?:any\s+)?", re.IGNORECASE)


def _health(source: str, found: list[tuple[int, int, Kind]], *, any_case: bool) -> None:
    negated_end = -1
    for match in (_HEALTH_ANY_CASE if any_case else _HEALTH).finditer(source):
        # "I don't have diabetes or herpes": the negation reaches along a list of terms.
        listed = negated_end >= 0 and _LIST_JOINER.fullmatch(source, negated_end, match.start())
        if listed or _negated(source, match.start()):
            negated_end = match.end()
            continue
        negated_end = -1
        start, end = match.span("term" if match.group("term") else "skin")
        found.append((start, end, Kind.HEALTH))


# ---------------------------------------------------------------------------- ages and births
_ENGLISH_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SPANISH_NUMBERS = {
    "uno": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "dieciséis": 16, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiún": 21, "veintidós": 22,
    "veintidos": 22, "veintitrés": 23, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiséis": 26, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90,
}  # fmt: skip
_NUMBER_WORDS = _ENGLISH_NUMBERS | _SPANISH_NUMBERS


def _age_number(name: str, words: dict[str, int]) -> str:
    """A stated age, in digits ("16") or words ("sixteen", "twenty-five", "treinta y dos"), as
    the named group `name`; never a height ("5'6"), a decimal or a time."""
    units = trie_pattern(word for word, value in words.items() if value < 10)
    return (
        rf"(?P<{name}>\d{{1,3}}(?![\d'’\"]|[.:,]\d)"
        rf"|{trie_pattern(words)}(?:(?:-|\s+|\s+y\s+){units})?)"
    )


# What may follow a number that is not an age: "I'm 5 minutes away", "I am 2 weeks post-op".
_NOT_YEARS = (
    r"(?!\s*(?:min|minute|hour|hr|day|week|wk|month|mo\b|lb|pound|kg|unit|%|am\b|pm\b|a\.m|p\.m|"
    r"th\b|st\b|nd\b|rd\b|inch|in\b|cm|mg|ml|cc\b|syringe|session|vial|x\b|dollar|\$|semana|mes|"
    r"día|dia|hora|unidad|sesi|percent|por ciento|mile|block|feet|ft\b|of\b|de\b|o'clock|or\b))"
)
_YEARS = r"(?:[\s-]*(?:years?|yrs?|y/o|años|anos)(?:[\s-]*old)?)"
_FUTURE = r"(?=\s*(?:next|in\b|on\b|this|soon|el\b|en\b|la\b|pr[oó]xim|este|esta|dentro))"
_FIRST_PERSON_AGE = re.compile(
    r"\b(?:"
    r"(?:i'll be|i’ll be|i will be|i'm going to be|im going to be|i turn|turning)\s+"
    rf"{_age_number('future', _ENGLISH_NUMBERS)}{_YEARS}?{_FUTURE}"
    rf"|(?:voy a cumplir|cumplo)\s+{_age_number('futuro', _SPANISH_NUMBERS)}{_YEARS}?{_FUTURE}"
    r"|(?:i am|i'm|i’m|im|i'm only|i am only|just turned|i turned)\s+(?:a\s+|an\s+)?"
    rf"{_age_number('now', _ENGLISH_NUMBERS)}{_NOT_YEARS}{_YEARS}?"
    rf"|(?:tengo|cumplí|cumpli|acabo de cumplir)\s+{_age_number('ahora', _SPANISH_NUMBERS)}{_YEARS}"
    rf"|(?:age|aged|edad)\s*:?\s*{_age_number('given', _NUMBER_WORDS)}{_NOT_YEARS}"
    rf"|{_age_number('old', _NUMBER_WORDS)}\s*(?:years? old|yrs? old|y/o|años de edad)"
    r")"
)
_CHILDREN = (
    "daughter", "son", "kid", "child", "teen", "teenager", "niece", "nephew", "granddaughter",
    "grandson", "stepdaughter", "stepson", "girl", "boy", "hija", "hijo", "niña", "niño",
    "sobrina", "sobrino", "nieta", "nieto", "hijastra", "hijastro",
)  # fmt: skip
_CHILD_AGE = re.compile(
    rf"\b(?:(?:my|mi|our|nuestr[ao])\s+(?:{trie_pattern(_CHILDREN)})\s*"
    r"(?:is|who is|who's|'s|’s|just turned|turned|tiene|que tiene|cumplió|\()\s*"
    r"(?:only\s+|almost\s+|about\s+|just\s+|solo\s+|casi\s+)?"
    rf"{_age_number('child', _NUMBER_WORDS)}{_NOT_YEARS}"
    r"|(?:she's|she is|he's|he is|she’s|he’s)\s+(?:only\s+|just\s+)?"
    rf"{_age_number('third', _ENGLISH_NUMBERS)}{_NOT_YEARS}"
    rf"|(?:my|mi|our)\s+{_age_number('aged', _ENGLISH_NUMBERS)}[\s-]*(?:years?|yrs?)[\s-]*old)"
)
_FUTURE_GROUPS = ("future", "futuro")
# Every word that leads a stated age above, for the gate below.
_AGE_CUES = (
    "i'll be", "i’ll be", "i will be", "going to be", "i turn", "turning", "voy a cumplir",
    "cumplo", "i am", "i'm", "i’m", "im", "just turned", "i turned", "tengo", "cumplí", "cumpli",
    "acabo de cumplir", "age", "aged", "edad",
)  # fmt: skip
# For the rare text whose lower-cased copy has other offsets ("İ"): the same patterns, any case.
_FIRST_PERSON_AGE_ANY_CASE = re.compile(_FIRST_PERSON_AGE.pattern, re.IGNORECASE)
_CHILD_AGE_ANY_CASE = re.compile(_CHILD_AGE.pattern, re.IGNORECASE)
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
)
_BIRTH_DATE_ANY_CASE = re.compile(_BIRTH_DATE.pattern, re.IGNORECASE)
_BIRTH_HINTS = ("born", "birth", "dob", "d.o.b", "nac", "cumple")
# Every stated age has a digit or one of these number words (or "años"); most messages have none.
_AGE_HINTS = re.compile(
    r"\d|teen|ty\b|ten\b|one|two|three|five|six|seven|eight|nine|años|anos|cumpl"
)


def _stated_age(match: re.Match[str]) -> tuple[int, bool] | None:
    """The age a match states, and whether it is one the writer will reach soon."""
    name, words = next((name, value) for name, value in match.groupdict().items() if value)
    if words[0].isdigit():
        return int(words), name in _FUTURE_GROUPS
    total = sum(_NUMBER_WORDS.get(word, 0) for word in re.findall(r"[^\W\d_]+", words))
    return (total, name in _FUTURE_GROUPS) if total else None


def _ages(source: str, found: list[tuple[int, int, Kind]], *, any_case: bool) -> None:
    first_person, children = (
        (_FIRST_PERSON_AGE_ANY_CASE, _CHILD_AGE_ANY_CASE)
        if any_case
        else (_FIRST_PERSON_AGE, _CHILD_AGE)
    )
    for match in first_person.finditer(source):
        stated = _stated_age(match)
        if stated is None or not 5 <= stated[0] <= 120:
            continue
        age = stated[0] - 1 if stated[1] else stated[0]  # "I'll be 18 next month": 17 today
        found.append((match.start(), match.end(), Kind.UNDER_18 if age < 18 else Kind.AGE))
    for match in children.finditer(source):
        stated = _stated_age(match)
        if stated is not None and stated[0] < 18:
            found.append((match.start(), match.end(), Kind.CHILD_AGE))


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


def _births(
    source: str, today: date, found: list[tuple[int, int, Kind]], *, any_case: bool
) -> None:
    for match in (_BIRTH_DATE_ANY_CASE if any_case else _BIRTH_DATE).finditer(source):
        born = _birth_date(match, today)
        if born is None:
            continue
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        found.append((match.start(), match.end(), Kind.UNDER_18 if age < 18 else Kind.BIRTH_DATE))


# ---------------------------------------------------------------------------- the gate
# Most messages hold none of these things. One pass of a compiled multi-pattern engine
# (Hyperscan) over the message says which families could be there at all; only those families'
# patterns then run. Each gate pattern is a superset of its family's (no word boundaries, no
# look-arounds, any white space), so the gate can only save work, never hide a finding: a test
# scans with and without it and compares. Hyperscan reads bytes and ASCII classes, so the text
# it reads has every Unicode digit and space made ASCII first.
NUMBERS, SPELLED, HEALTH, AGES, BIRTHS = 1, 2, 4, 8, 16
EVERY_FAMILY = NUMBERS | SPELLED | HEALTH | AGES | BIRTHS
# Every character Python's \s matches, as the UTF-8 bytes the gate reads.
_SPACE = (
    r"(?:[\s\x1c-\x1f]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    r"|\xe2\x81\x9f|\xe3\x80\x80)"
)


def _literal(term: str) -> str:
    """A vocabulary term as a gate pattern: escaped, any white space between words, a stem's
    star dropped (the gate only needs the stem)."""
    words = [re.escape(word) for word in term.rstrip("*").split(" ")]
    return f"{_SPACE}+".join(words)


def _any_of(terms: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted({_literal(term) for term in terms}, key=len, reverse=True)) + ")"


_NUMBER_WORD = _any_of(_NUMBER_WORDS)
_GATE_PATTERNS = {
    NUMBERS: r"\d(?:[\d \t.\r\n-]|\xe2\x80[\x90-\x95]){4,}\d",
    SPELLED: rf"(?:{_any_of(_SPELLED_DIGITS)}[ \t,.\-]{{0,3}}){{9}}",
    HEALTH: "|".join(
        [
            _any_of(HEALTH_TERMS),
            _any_of(_HEALTH_LEAD_INS),
            rf"{_any_of(_FIRST_PERSON_HAS)}{_SPACE}+(?:(?:bad|severe|mild){_SPACE}+)?"
            rf"{_any_of(_SKIN_CONDITIONS)}",
        ]
    ),
    AGES: "|".join(
        [
            rf"{_any_of(_AGE_CUES)}{_SPACE}*:?{_SPACE}*(?:(?:a|an|only|just|almost|about|solo|casi)"
            rf"{_SPACE}+)?(?:\d|{_NUMBER_WORD})",
            rf"(?:\d|{_NUMBER_WORD})(?:{_SPACE}|-)*(?:year|yr|y/o|años|anos)",
            rf"(?:my|mi|our|nuestr){_SPACE}+(?:{_any_of(_CHILDREN)}|\d|{_NUMBER_WORD})",
            rf"(?:she|he)(?:'s|’s|{_SPACE}+is){_SPACE}+(?:(?:only|just){_SPACE}+)?(?:\d|{_NUMBER_WORD})",
        ]
    ),
    BIRTHS: _any_of(_BIRTH_HINTS),
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _as_ascii_digit_or_space(match: re.Match[str]) -> str:
    """A Unicode digit or space as the ASCII one the gate's classes know; anything else kept."""
    char = match.group()
    if char.isdecimal():
        return str(int(char))
    return " " if char.isspace() else char


class _Gate:
    """The families a text could hold, from one Hyperscan pass. A scratch space per thread, as
    Hyperscan requires."""

    def __init__(self) -> None:
        import hyperscan  # noqa: PLC0415  (optional: without it every family runs)

        self._hyperscan = hyperscan
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        families = list(_GATE_PATTERNS)
        self._database.compile(
            expressions=[_GATE_PATTERNS[family].encode() for family in families],
            ids=families,
            elements=len(families),
            flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(families),
        )
        self._local = threading.local()

    def families(self, lowered: str) -> int:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hyperscan.Scratch(self._database)
        if not lowered.isascii():
            lowered = _NON_ASCII.sub(_as_ascii_digit_or_space, lowered)
        found: list[int] = []
        self._database.scan(
            lowered.encode("utf-8", "surrogatepass"),
            match_event_handler=_collect,
            context=found,
            scratch=scratch,
        )
        return sum(found)


def _collect(family: int, start: int, end: int, flags: int, found: object) -> None:
    assert isinstance(found, list)  # noqa: S101  (the context we pass in families())
    found.append(family)


def _families_without_engine(lowered: str) -> int:
    """The same decision from cheap Python tests, where Hyperscan has no build (not x86)."""
    families = HEALTH | SPELLED
    if _LONG_DIGITS.search(lowered):
        families |= NUMBERS
    if _AGE_HINTS.search(lowered):
        families |= AGES
    if any(hint in lowered for hint in _BIRTH_HINTS):
        families |= BIRTHS
    return families


@functools.cache
def _gate() -> _Gate | None:
    """Compiled on first use (a third of a second), then kept; None where Hyperscan has no build.
    Two threads racing here both compile, and one result is kept: harmless."""
    try:
        return _Gate()
    except ImportError:
        return None


def families(lowered: str, *, gate: bool = True) -> int:
    """Which families of pattern must run over this lower-cased text (all when gate=False)."""
    if not gate:
        return EVERY_FAMILY
    engine = _gate()
    if engine is None:
        return _families_without_engine(lowered)
    return engine.families(lowered)


# ---------------------------------------------------------------------------- the scan
def scan(text: str, *, today: date, gate: bool = True) -> list[Finding]:
    """Every finding in `text`, in order, none overlapping. `gate=False` runs every pattern on
    every text: the same answer, slower (the tests compare the two)."""
    found: list[tuple[int, int, Kind]] = []
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)
    present = families(lowered, gate=gate and same_offsets)
    # Word patterns read the lower-cased copy, unless lower-casing moved offsets ("İ").
    words, any_case = (lowered, False) if same_offsets else (text, True)
    if present & NUMBERS:
        _numbers(text, lowered, found)
    if present & SPELLED and any(hint in lowered for hint in _SSN_HINTS):
        _spelled_numbers(lowered, found)
    if present & HEALTH:
        _health(words, found, any_case=any_case)
    if present & AGES:
        _ages(words, found, any_case=any_case)
    if present & BIRTHS:
        _births(words, today, found, any_case=any_case)
    if not found:
        return []
    # One sweep in order of start: a finding overlapping one already kept gives way, and at the
    # same start the kind that must be redacted is kept first.
    found.sort(key=lambda item: (item[0], _PRIORITY[item[2]]))
    findings: list[Finding] = []
    kept_end = -1
    for start, end, kind in found:
        if start < kept_end:
            previous = findings[-1]
            if _PRIORITY[kind] < _PRIORITY[previous.kind] and kind in REDACTED_KINDS:
                findings[-1] = Finding(kind, min(start, previous.start), max(end, previous.end))
                kept_end = max(kept_end, end)
            continue
        findings.append(Finding(kind, start, end))
        kept_end = end
    return findings


def redact(text: str, findings: list[Finding]) -> str:
    """The text with every SSN, card, routing and account number replaced; other findings left
    in place."""
    pieces = []
    cursor = 0
    for finding in sorted(findings, key=lambda item: item.start):
        if finding.kind in REDACTED_KINDS and finding.start >= cursor:
            pieces.append(text[cursor : finding.start])
            pieces.append(REPLACEMENT)
            cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces)
