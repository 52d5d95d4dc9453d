"""The free-text scanner: what it must find, and what it must leave alone."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goodskin.submissions.scanning import Kind, aba_valid, luhn_valid, redact, scan

TODAY = date(2026, 11, 29)


def kinds(text: str) -> list[str]:
    return [str(finding.kind) for finding in scan(text, today=TODAY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My SSN is 123-45-6789, please update it", ["ssn"]),
        ("social security 123456789", ["ssn"]),
        ("Mi número de seguro social: 123 45 6789", ["ssn"]),
        ("card 4111 1111 1111 1111 exp 12/28", ["card"]),
        ("charge 5555-5555-5555-4444 for the peel", ["card"]),
        ("routing 021000021 account 12345678", ["routing_number", "bank_account"]),
        ("I'm pregnant, is a peel safe?", ["health"]),
        ("Tengo rosácea y me gustaría un facial", ["health"]),
        ("I am 16 and want lip filler", ["under_18"]),
        ("my daughter is fine but I'm 15 years old", ["under_18"]),
        ("tengo 17 años", ["under_18"]),
        ("I was born 03/14/2011", ["under_18"]),
        ("date of birth: 2012-01-05", ["under_18"]),
        ("born 1990-04-25", ["birth_date"]),
        ("DOB: 4 August 1995", ["birth_date"]),
        ("Nací el May 28th, 2010", ["under_18"]),
        ("(DOB 6/27/66)", ["birth_date"]),
        ("I just turned 17.", ["under_18"]),
        ("SS# 390215535", ["ssn"]),
        ("Bank: Citi, RTN 627901469", ["routing_number"]),
        ("Mastercard 2223 0031 2200 3222", ["card"]),
        ("FYI I have rheumatoid arthritis. I take sertraline every day", ["health", "health"]),
        ("I have melasma on my cheeks", ["health"]),
        ("Laser for acne scars?", []),
        ("I'm breastfeeding right now", ["health"]),
        ("I'm 34 and would like a consultation", ["age"]),
    ],
)
def test_things_people_should_not_type_are_found(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 310-555-0142 after 5",
        "Order 123456789 was delivered",  # nine digits with no SSN or bank words
        "4111 1111 1111 1112",  # fails Luhn
        "Appointment on 12/03/2026 at 11760 San Vicente Blvd",
        "SSN-like 000-12-3456 and 666-12-3456 and 123-00-4567 are never issued",
        "routing 123456789",  # bad ABA checksum
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert kinds(text) == []


def test_ssn_card_and_bank_numbers_are_redacted_but_health_words_kept() -> None:
    text = "SSN 123-45-6789, card 4111111111111111, acne on my chin"
    findings = scan(text, today=TODAY)
    assert redact(text, findings) == "SSN [removed], card [removed], acne on my chin"


def test_luhn_and_aba_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert aba_valid("021000021")
    assert not aba_valid("021000022")


@given(st.text(alphabet=st.characters(categories=["L", "Zs", "P"]), max_size=300))
def test_text_without_digits_or_spelled_numbers_never_gets_a_number_finding(text: str) -> None:
    numbers = {Kind.SSN, Kind.CARD, Kind.BANK, Kind.ROUTING}
    assert numbers.isdisjoint({f.kind for f in scan(text, today=TODAY)})


@given(
    st.from_regex(r"[a-z ]{0,20}", fullmatch=True), st.from_regex(r"[a-z ]{0,20}", fullmatch=True)
)
def test_a_formatted_ssn_anywhere_never_survives_redaction(before: str, after: str) -> None:
    text = f"{before} 123-45-6789 {after}"
    assert "6789" not in redact(text, scan(text, today=TODAY))


def test_offsets_stay_right_when_lower_casing_changes_the_length() -> None:
    text = "İstanbul trip, then I'm pregnant"
    [finding] = scan(text, today=TODAY)
    assert text[finding.start : finding.end] == "pregnant"


@pytest.mark.parametrize(
    "written",
    ["123.45.6789", "123 - 45 - 6789", "123 . 45 . 6789", "123 45 6789", "123\u201345\u20136789"],
)
def test_an_ssn_written_with_dots_or_spaced_dashes_is_removed(written: str) -> None:
    text = f"My number is {written}. Thanks!"
    [finding] = scan(text, today=TODAY)
    assert finding.kind == Kind.SSN
    assert redact(text, [finding]).endswith(". Thanks!")
    assert "6789" not in redact(text, [finding])


@pytest.mark.parametrize(
    "text", ["Call 310.555.0142", "Version 1.23.45.6789.0", "Prices 123.45 and 6789"]
)
def test_numbers_that_are_not_ssns_are_left_alone(text: str) -> None:
    assert Kind.SSN not in {finding.kind for finding in scan(text, today=TODAY)}
