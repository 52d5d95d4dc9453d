"""Messages people really type, in English and Spanish, that the scanner once got wrong: each is
now found (or left alone) as the policy needs, and the fast gate never changes an answer."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goodskin.submissions.scanning import aba_valid, redact, scan

TODAY = date(2026, 12, 8)


def found(text: str) -> list[tuple[str, str]]:
    return [(str(f.kind), text[f.start : f.end]) for f in scan(text, today=TODAY)]


REGRESSIONS = [
    # A card number the phone wrapped onto a second line was stored whole.
    (
        "Please charge the deposit to 4111 1111\n1111 1111, thanks",
        [("card", "4111 1111\n1111 1111")],
    ),
    ("tarjeta 5555 5555\r\n5555 4444 para el depósito", [("card", "5555 5555\r\n5555 4444")]),
    # SSNs written with dots, spaced dashes or in words.
    ("My SSN is 412.55.7890 for the financing form", [("ssn", "412.55.7890")]),
    ("social security 123 - 45 - 6789", [("ssn", "123 - 45 - 6789")]),
    (
        "my social is four one two five five seven eight nine zero",
        [("ssn", "four one two five five seven eight nine zero")],
    ),
    (
        "mi seguro social: cuatro uno dos cinco cinco siete ocho nueve cero",
        [("ssn", "cuatro uno dos cinco cinco siete ocho nueve cero")],
    ),
    ("Mi número de seguro social es 412.55.7890", [("ssn", "412.55.7890")]),
    # Routing and account numbers with no bank word beside them.
    (
        "For the refund: 021000021 / 12345678",
        [("routing_number", "021000021"), ("bank_account", "12345678")],
    ),
    (
        "Send it back to 322271627 12345678901 please",
        [("routing_number", "322271627"), ("bank_account", "12345678901")],
    ),
    # Each number takes the label of its own cue, not of any cue nearby.
    (
        "routing number is 022386223 and account 438887429. Social Security: 528-53-8859",
        [("routing_number", "022386223"), ("bank_account", "438887429"), ("ssn", "528-53-8859")],
    ),
    ("for the credit check: 697771365.", [("ssn", "697771365")]),
    # Ages: soon to be 18, a child's age, in words and in Spanish.
    ("I'll be 18 next month, can I book now?", [("under_18", "I'll be 18")]),
    ("I turn 18 in March", [("under_18", "I turn 18")]),
    ("my daughter is 14 and has acne", [("child_age", "my daughter is 14")]),
    ("My son is 13, can he get a facial?", [("child_age", "My son is 13")]),
    ("she's 15 and has bad acne", [("child_age", "she's 15")]),
    ("mi hijo tiene 13 años", [("child_age", "mi hijo tiene 13")]),
    ("I am sixteen years old", [("under_18", "I am sixteen years old")]),
    ("tengo dieciséis años", [("under_18", "tengo dieciséis años")]),
    ("cumplo 18 el mes que viene", [("under_18", "cumplo 18")]),
    ("I'm 34 and want Botox", [("age", "I'm 34")]),
    ("Nací el 3 de mayo de 2010", [("under_18", "Nací el 3 de mayo de 2010")]),
    # Spanish drug and condition names.
    (
        "Tomo metformina y losartán por la presión alta",
        [("health", "metformina"), ("health", "losartán"), ("health", "presión alta")],
    ),
    (
        "Tengo diabetes y soy alérgica a la lidocaína",
        [("health", "diabetes"), ("health", "alérgica a la lidocaína")],
    ),
    ("I'm on lisinopril and baby aspirin", [("health", "lisinopril"), ("health", "aspirin")]),
    (
        "I was diagnosed with Bell's palsy last year",
        [("health", "diagnosed with Bell's palsy last")],
    ),
    # A negation in the same clause is not a health detail; a history is.
    ("I'm not pregnant, is a peel OK?", []),
    ("No estoy embarazada", []),
    ("I don't have diabetes or herpes", []),
    ("I'm not pregnant but I am breastfeeding", [("health", "breastfeeding")]),
    ("I'm no longer on Accutane", [("health", "Accutane")]),
    # Numbers that are ours or not sensitive stay.
    ("I'm 5 minutes away", []),
    ("Tracking number 4111111111111111 shows delivered", []),
    ("My confirmation number is 123456789", []),
    ("Call me at (310) 555-0142 or 3105550142", []),
    ("Laser hair removal, a hair transplant consult, and a chemical peel", []),
    ("My hearing aids are fine", []),
]


@pytest.mark.parametrize(("text", "expected"), REGRESSIONS)
def test_messages_people_really_type_are_read_right(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


def test_the_routing_numbers_above_pass_the_aba_checksum() -> None:
    assert all(aba_valid(number) for number in ("021000021", "322271627", "022386223"))


@pytest.mark.parametrize(("text", "expected"), REGRESSIONS)
def test_the_gate_never_changes_an_answer(text: str, expected: list[tuple[str, str]]) -> None:
    assert scan(text, today=TODAY) == scan(text, today=TODAY, gate=False)


_PIECES = [text for text, _ in REGRESSIONS] + [
    "\u00a0", "\u2003", "\u3000", "\u0663\u0664\u0665", "１２３-４５-６７８９", "İ", "é", "’", "\n",
    "I'm\u00a016", "my\u2009daughter\u00a0is\u202f14", "born 2011", "ssn", "9", "-",
]  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=12), max_size=8))
def test_the_gate_never_hides_a_finding_whatever_the_spaces_digits_or_case(
    pieces: list[str],
) -> None:
    text = " ".join(pieces)
    assert scan(text, today=TODAY) == scan(text, today=TODAY, gate=False)


def test_a_wrapped_card_number_is_removed_whole() -> None:
    text = "card 4111 1111\n1111 1111 exp 08/27"
    assert redact(text, scan(text, today=TODAY)) == "card [removed] exp 08/27"


def test_findings_in_a_long_text_are_each_found_once() -> None:
    one = "SSN 123-45-6789, I'm 16, I take metformin. "
    findings = scan(one * 2_000, today=TODAY)
    assert [str(f.kind) for f in findings] == ["ssn", "under_18", "health"] * 2_000
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
