"""The IAB's own test vectors (iabgpp-es 3.2.0 test suite), pinned."""

from __future__ import annotations

import pytest

from goodskin.consent import gpp

USNAT_NOTICES_AND_OPT_OUTS = [
    "SharingNotice",
    "SaleOptOutNotice",
    "SharingOptOutNotice",
    "TargetedAdvertisingOptOutNotice",
    "SensitiveDataProcessingOptOutNotice",
    "SensitiveDataLimitUseNotice",
    "SaleOptOut",
    "SharingOptOut",
    "TargetedAdvertisingOptOut",
]


def header(ids: list[int]) -> str:
    return gpp._to_base64("000011" + "000001" + gpp._range_bits(ids))


@pytest.mark.parametrize(
    ("ids", "expected"),
    [([], "DBAA"), ([2], "DBABMA"), ([2, 6], "DBACNYA"), ([7], "DBABLA"), ([7, 8], "DBABrw")],
)
def test_header_vectors(ids: list[int], expected: str) -> None:
    assert header(ids) == expected
    assert gpp._read_range(gpp._from_base64(expected), 12)[0] == ids


@pytest.mark.parametrize(
    ("value", "code"),
    [(1, "11"), (2, "011"), (3, "0011"), (4, "1011"), (5, "00011"), (6, "10011"), (7, "01011")],
)
def test_fibonacci_codes(value: int, code: str) -> None:
    assert gpp._fibonacci_bits(value) == code
    assert gpp._read_fibonacci(code, 0) == (value, len(code))


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("usnat", {}, "CAAAAAAAAABA.QA"),
        ("usnat", {"GpcSegmentIncluded": False}, "CAAAAAAAAABA"),
        (
            "usnat",
            {
                **dict.fromkeys(USNAT_NOTICES_AND_OPT_OUTS, 1),
                "SensitiveDataProcessing": [2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2],
                "KnownChildSensitiveDataConsents": [2, 1, 0],
                "PersonalDataConsents": 1,
                "MspaCoveredTransaction": 1,
                "MspaOptOutOptionMode": 1,
                "MspaServiceProviderMode": 2,
                "Gpc": True,
            },
            "CVVVkkkkkpFY.YA",
        ),
        (
            "usnat",
            {"SensitiveDataProcessing": [1] * 16, "KnownChildSensitiveDataConsents": [1] * 3},
            "CAAAVVVVVVRA.QA",
        ),
        ("usca", {}, "BAAAAABA.QA"),
        (
            "usca",
            {
                "SaleOptOutNotice": 1,
                "SharingOptOutNotice": 1,
                "SensitiveDataLimitUseNotice": 1,
                "SaleOptOut": 1,
                "SharingOptOut": 1,
                "SensitiveDataProcessing": [2, 1, 0, 2, 1, 0, 2, 1, 0],
                "KnownChildSensitiveDataConsents": [2, 1],
                "PersonalDataConsents": 1,
                "MspaCoveredTransaction": 1,
                "MspaOptOutOptionMode": 1,
                "MspaServiceProviderMode": 2,
                "Gpc": True,
            },
            "BVWSSSVY.YA",
        ),
        ("usva", {}, "BAAAABA"),
        (
            "usva",
            {
                "SharingNotice": 1,
                "SaleOptOutNotice": 1,
                "TargetedAdvertisingOptOutNotice": 1,
                "SaleOptOut": 1,
                "TargetedAdvertisingOptOut": 1,
                "SensitiveDataProcessing": [2, 1, 0, 2, 1, 0, 2, 1],
                "KnownChildSensitiveDataConsents": 1,
                "MspaCoveredTransaction": 1,
                "MspaOptOutOptionMode": 1,
                "MspaServiceProviderMode": 2,
            },
            "BVWSSVY",
        ),
        ("usco", {}, "BAAAAEA.QA"),
        (
            "usco",
            {
                "SharingNotice": 1,
                "SaleOptOutNotice": 1,
                "TargetedAdvertisingOptOutNotice": 1,
                "SaleOptOut": 1,
                "TargetedAdvertisingOptOut": 1,
                "SensitiveDataProcessing": [2, 1, 0, 2, 1, 0, 2],
                "KnownChildSensitiveDataConsents": 1,
                "MspaCoveredTransaction": 1,
                "MspaOptOutOptionMode": 1,
                "MspaServiceProviderMode": 2,
                "Gpc": True,
            },
            "BVWSSVg.YA",
        ),
        ("usin", {}, "BQAA.AAA"),
        ("usmd", {}, "BQAA.QA"),
    ],
)
def test_section_vectors(name: str, values: dict[str, object], expected: str) -> None:
    assert gpp.encode_section(name, values) == expected
    decoded = gpp.decode_section(name, expected)
    for field, value in values.items():
        if field != "GpcSegmentIncluded":
            assert decoded[field] == value


def test_full_string_vector_from_the_reference_library() -> None:
    text = gpp.encode(
        {
            "usnat": {
                "SharingNotice": 1,
                "SaleOptOutNotice": 1,
                "SharingOptOutNotice": 1,
                "TargetedAdvertisingOptOutNotice": 1,
                "SaleOptOut": 1,
                "SharingOptOut": 1,
                "TargetedAdvertisingOptOut": 1,
                "MspaCoveredTransaction": 2,
                "Gpc": True,
            },
            "usca": {"SaleOptOutNotice": 1, "SaleOptOut": 1, "Gpc": True},
        }
    )
    assert text == "DBABrw~CVQVAAAAAACA.YA~BQQAAABA.YA"
    assert gpp.decode(text)["usca"]["SaleOptOut"] == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an empty GPP string"),
        ("CAAAA", "a GPP string starts with a header of type 3"),
        ("DBABLA", "the number of sections does not match the header"),
        ("DBABLA~CAAA!AAA", "'!' is not a base64url character"),
        ("DBABLA~CAA", "runs past the end of its segment"),
    ],
)
def test_garbage_gets_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(gpp.GppError, match=message):
        gpp.decode(text)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"SaleOptOut": 3}, "SaleOptOut must be 0, 1 or 2, not 3"),
        ({"MspaCoveredTransaction": 0}, "MspaCoveredTransaction must be 1 \\(yes\\) or 2 \\(no\\)"),
        ({"SensitiveDataProcessing": [0] * 3}, "SensitiveDataProcessing needs 16 values"),
    ],
)
def test_invalid_values_are_refused(values: dict[str, object], message: str) -> None:
    with pytest.raises(gpp.GppError, match=message):
        gpp.encode_section("usnat", values)
