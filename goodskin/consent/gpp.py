"""IAB Global Privacy Platform strings: encode and decode, as pure functions.

Matches the IAB's reference implementation (iabgpp-es / npm @iabgpp/cmpapi 3.2.0) bit for bit,
including its padding (to a multiple of 8 bits, then of 6) and its field names, so the objects we
decode compare equal to the library's `GppModel.toObject()`. Layouts are data (SECTIONS below),
taken from ../shared/reference/us-privacy-law-and-signals.md §4.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_INDEX = {char: index for index, char in enumerate(ALPHABET)}


class GppError(ValueError):
    """The string or the values cannot be a valid GPP string; the message says why."""


# Field kinds: ("int", bits) | ("bool", 1) | ("list", count) of Int(2)
@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    size: int
    default: Any = 0


def _ints(*names: str) -> list[Field]:
    return [Field(name, "int", 2) for name in names]


MSPA = _ints("MspaCoveredTransaction", "MspaOptOutOptionMode", "MspaServiceProviderMode")


def _us_state(
    *,
    version: int = 1,
    notices: tuple[str, ...],
    opt_outs: tuple[str, ...] = ("SaleOptOut", "TargetedAdvertisingOptOut"),
    sensitive: int,
    known_child: int,
    additional_consent: bool = False,
) -> list[Field]:
    fields = [Field("Version", "int", 6, version), *_ints(*notices), *_ints(*opt_outs)]
    fields.append(Field("SensitiveDataProcessing", "list", sensitive))
    if known_child == 1:
        fields.append(Field("KnownChildSensitiveDataConsents", "int", 2))
    else:
        fields.append(Field("KnownChildSensitiveDataConsents", "list", known_child))
    if additional_consent:
        fields.append(Field("AdditionalDataProcessingConsent", "int", 2))
    return fields + MSPA


_SHARING = ("SharingNotice", "SaleOptOutNotice", "TargetedAdvertisingOptOutNotice")
_PROCESSING = ("ProcessingNotice", "SaleOptOutNotice", "TargetedAdvertisingOptOutNotice")
_MSPA_FIRST = [
    Field("MspaVersion", "int", 6, 1),
    *_ints("MspaCoveredTransaction", "MspaMode", "ProcessingNotice", "SaleOptOutNotice"),
    *_ints("TargetedAdvertisingOptOutNotice", "SaleOptOut", "TargetedAdvertisingOptOut"),
]


@dataclass(frozen=True)
class Section:
    id: int
    name: str
    core: list[Field]
    gpc: bool  # has the GPC sub-section
    sensitive_segment: bool = False  # usin/usky/usri: SDP 8x in a second segment


SECTIONS: dict[str, Section] = {
    section.name: section
    for section in [
        Section(
            7,
            "usnat",
            [
                Field("Version", "int", 6, 2),
                *_ints(
                    "SharingNotice",
                    "SaleOptOutNotice",
                    "SharingOptOutNotice",
                    "TargetedAdvertisingOptOutNotice",
                    "SensitiveDataProcessingOptOutNotice",
                    "SensitiveDataLimitUseNotice",
                    "SaleOptOut",
                    "SharingOptOut",
                    "TargetedAdvertisingOptOut",
                ),
                Field("SensitiveDataProcessing", "list", 16),
                Field("KnownChildSensitiveDataConsents", "list", 3),
                *_ints("PersonalDataConsents"),
                *MSPA,
            ],
            gpc=True,
        ),
        Section(
            8,
            "usca",
            [
                Field("Version", "int", 6, 1),
                *_ints(
                    "SaleOptOutNotice",
                    "SharingOptOutNotice",
                    "SensitiveDataLimitUseNotice",
                    "SaleOptOut",
                    "SharingOptOut",
                ),
                Field("SensitiveDataProcessing", "list", 9),
                Field("KnownChildSensitiveDataConsents", "list", 2),
                *_ints("PersonalDataConsents"),
                *MSPA,
            ],
            gpc=True,
        ),
        Section(9, "usva", _us_state(notices=_SHARING, sensitive=8, known_child=1), gpc=False),
        Section(10, "usco", _us_state(notices=_SHARING, sensitive=7, known_child=1), gpc=True),
        Section(
            11,
            "usut",
            _us_state(
                notices=(*_SHARING, "SensitiveDataProcessingOptOutNotice"),
                sensitive=8,
                known_child=1,
            ),
            gpc=False,
        ),
        Section(12, "usct", _us_state(notices=_SHARING, sensitive=8, known_child=3), gpc=True),
        Section(
            13,
            "usfl",
            _us_state(notices=_PROCESSING, sensitive=8, known_child=3, additional_consent=True),
            gpc=False,
        ),
        Section(
            14,
            "usmt",
            _us_state(notices=_SHARING, sensitive=8, known_child=3, additional_consent=True),
            gpc=True,
        ),
        Section(
            15,
            "usor",
            _us_state(notices=_PROCESSING, sensitive=11, known_child=3, additional_consent=True),
            gpc=True,
        ),
        Section(
            16,
            "ustx",
            _us_state(notices=_PROCESSING, sensitive=8, known_child=1, additional_consent=True),
            gpc=True,
        ),
        Section(
            17,
            "usde",
            _us_state(notices=_PROCESSING, sensitive=9, known_child=5, additional_consent=True),
            gpc=True,
        ),
        Section(
            18,
            "usia",
            _us_state(
                notices=(*_PROCESSING, "SensitiveDataOptOutNotice"), sensitive=8, known_child=1
            ),
            gpc=True,
        ),
        Section(
            19,
            "usne",
            _us_state(notices=_PROCESSING, sensitive=8, known_child=1, additional_consent=True),
            gpc=True,
        ),
        Section(
            20,
            "usnh",
            _us_state(notices=_PROCESSING, sensitive=8, known_child=3, additional_consent=True),
            gpc=True,
        ),
        Section(
            21,
            "usnj",
            _us_state(notices=_PROCESSING, sensitive=10, known_child=5, additional_consent=True),
            gpc=True,
        ),
        Section(
            22,
            "ustn",
            _us_state(notices=_PROCESSING, sensitive=8, known_child=1, additional_consent=True),
            gpc=True,
        ),
        Section(
            23,
            "usmn",
            _us_state(notices=_PROCESSING, sensitive=8, known_child=1, additional_consent=True),
            gpc=True,
        ),
        Section(24, "usmd", [*_MSPA_FIRST, *_ints("AdditionalDataProcessingConsent")], gpc=True),
        *[
            Section(
                section_id,
                name,
                [
                    *_MSPA_FIRST,
                    *_ints("KnownChildSensitiveDataConsents", "AdditionalDataProcessingConsent"),
                ],
                gpc=False,
                sensitive_segment=True,
            )
            for section_id, name in ((25, "usin"), (26, "usky"), (27, "usri"))
        ],
    ]
}
SECTIONS_BY_ID = {section.id: section for section in SECTIONS.values()}


# ---- bits -------------------------------------------------------------------------------------


def _int_bits(value: int, size: int) -> str:
    if not 0 <= value < (1 << size):
        raise GppError(f"{value} does not fit in {size} bits")
    return format(value, f"0{size}b")


def _fibonacci_bits(value: int) -> str:
    """Zeckendorf code, least significant first, then a terminating 1."""
    if value < 1:
        raise GppError("Fibonacci codes start at 1")
    fibs = [1, 2]
    while fibs[-1] <= value:
        fibs.append(fibs[-1] + fibs[-2])
    bits = ["0"] * len(fibs)
    remaining = value
    for index in range(len(fibs) - 1, -1, -1):
        if fibs[index] <= remaining:
            bits[index] = "1"
            remaining -= fibs[index]
    code = "".join(bits).rstrip("0")
    return code + "1"


def _read_fibonacci(bits: str, position: int) -> tuple[int, int]:
    fibs = [1, 2]
    value = 0
    index = 0
    while position + 1 < len(bits) + 1:
        if position >= len(bits):
            break
        if bits[position] == "1" and index > 0 and bits[position - 1] == "1":
            return value, position + 1
        while len(fibs) <= index:
            fibs.append(fibs[-1] + fibs[-2])
        if bits[position] == "1":
            value += fibs[index]
        index += 1
        position += 1
    raise GppError("a Fibonacci number runs past the end of the string")


def _range_bits(ids: list[int]) -> str:
    ids = sorted(set(ids))
    groups: list[list[int]] = []
    for section_id in ids:
        if groups and section_id == groups[-1][-1] + 1:
            groups[-1].append(section_id)
        else:
            groups.append([section_id])
    out = [_int_bits(len(groups), 12)]
    last = 0
    for group in groups:
        if len(group) == 1:
            out.append("0" + _fibonacci_bits(group[0] - last))
        else:
            out.append(
                "1" + _fibonacci_bits(group[0] - last) + _fibonacci_bits(group[-1] - group[0])
            )
        last = group[-1]
    return "".join(out)


def _read_range(bits: str, position: int) -> tuple[list[int], int]:
    count = int(bits[position : position + 12], 2)
    position += 12
    ids: list[int] = []
    last = 0
    for _ in range(count):
        if position >= len(bits):
            raise GppError("the section list runs past the end of the header")
        is_group = bits[position] == "1"
        position += 1
        offset, position = _read_fibonacci(bits, position)
        start = last + offset
        if is_group:
            length, position = _read_fibonacci(bits, position)
            ids.extend(range(start, start + length + 1))
            last = start + length
        else:
            ids.append(start)
            last = start
    return ids, position


def _to_base64(bits: str) -> str:
    bits += "0" * (-len(bits) % 8)
    bits += "0" * (-len(bits) % 6)
    return "".join(ALPHABET[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))


def _from_base64(text: str) -> str:
    try:
        return "".join(format(_INDEX[char], "06b") for char in text)
    except KeyError as error:
        raise GppError(f"{error.args[0]!r} is not a base64url character") from None


# ---- fields -----------------------------------------------------------------------------------


def _field_bits(field: Field, value: Any) -> str:
    if field.kind == "list":
        if not isinstance(value, list | tuple) or len(value) != field.size:
            raise GppError(f"{field.name} needs {field.size} values")
        return "".join(_two_bit(field.name, item) for item in value)
    if field.kind == "bool":
        return "1" if value else "0"
    if field.size == 2:
        return _two_bit(field.name, value)
    return _int_bits(int(value), field.size)


def _two_bit(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2:
        raise GppError(f"{name} must be 0, 1 or 2, not {value!r}")
    if name == "MspaCoveredTransaction" and value == 0:
        raise GppError("MspaCoveredTransaction must be 1 (yes) or 2 (no)")
    return format(value, "02b")


def _read_field(field: Field, bits: str, position: int) -> tuple[Any, int]:
    if field.kind == "list":
        end = position + 2 * field.size
        if end > len(bits):
            raise GppError(f"{field.name} runs past the end of its segment")
        return [int(bits[i : i + 2], 2) for i in range(position, end, 2)], end
    end = position + field.size
    if end > len(bits):
        raise GppError(f"{field.name} runs past the end of its segment")
    raw = int(bits[position:end], 2)
    return (bool(raw) if field.kind == "bool" else raw), end


def defaults(name: str) -> dict[str, Any]:
    section = SECTIONS[name]
    values: dict[str, Any] = {}
    for field in section.core:
        values[field.name] = [0] * field.size if field.kind == "list" else field.default
    values["MspaCoveredTransaction"] = 1
    if section.sensitive_segment:
        values["SensitiveDataProcessing"] = [0] * 8
    if section.gpc:
        values["GpcSegmentType"] = 1
        values["Gpc"] = False
    return values


def encode_section(name: str, values: dict[str, Any]) -> str:
    if name not in SECTIONS:
        raise GppError(f"unknown section {name!r}")
    section = SECTIONS[name]
    merged = {**defaults(name), **values}
    unknown = set(values) - set(merged) - {"GpcSegmentIncluded"}
    if unknown - set(defaults(name)):
        raise GppError(f"{name} has no field {sorted(unknown)[0]!r}")
    segments = [_to_base64("".join(_field_bits(f, merged[f.name]) for f in section.core))]
    if section.sensitive_segment:
        sensitive = Field("SensitiveDataProcessing", "list", 8)
        segments.append(_to_base64(_field_bits(sensitive, merged["SensitiveDataProcessing"])))
    if section.gpc and merged.get("GpcSegmentIncluded", True):
        segments.append(
            _to_base64(_int_bits(merged["GpcSegmentType"], 2) + ("1" if merged["Gpc"] else "0"))
        )
    return ".".join(segments)


def decode_section(name: str, text: str) -> dict[str, Any]:
    section = SECTIONS[name]
    segments = text.split(".")
    bits = _from_base64(segments[0])
    values: dict[str, Any] = {}
    position = 0
    for field in section.core:
        values[field.name], position = _read_field(field, bits, position)
    for segment in segments[1:]:
        segment_bits = _from_base64(segment)
        if section.sensitive_segment and "SensitiveDataProcessing" not in values:
            values["SensitiveDataProcessing"], _ = _read_field(
                Field("SensitiveDataProcessing", "list", 8), segment_bits, 0
            )
        elif section.gpc:
            values["GpcSegmentType"], _ = _read_field(
                Field("GpcSegmentType", "int", 2), segment_bits, 0
            )
            values["Gpc"], _ = _read_field(Field("Gpc", "bool", 1), segment_bits, 2)
        else:
            raise GppError(f"{name} has no sub-section here")
    if section.gpc and "Gpc" not in values:
        values["GpcSegmentType"], values["Gpc"] = 1, False
    return values


def encode(sections: dict[str, dict[str, Any]]) -> str:
    """A full GPP string: the header, then each section in the order of its id."""
    ordered = sorted(sections, key=lambda name: SECTIONS[name].id if name in SECTIONS else -1)
    for name in ordered:
        if name not in SECTIONS:
            raise GppError(f"unknown section {name!r}")
    header = _int_bits(3, 6) + _int_bits(1, 6) + _range_bits([SECTIONS[n].id for n in ordered])
    return "~".join([_to_base64(header), *(encode_section(n, sections[n]) for n in ordered)])


def decode(text: str) -> dict[str, dict[str, Any]]:
    if not text or not isinstance(text, str):
        raise GppError("an empty GPP string")
    parts = text.split("~")
    bits = _from_base64(parts[0])
    if len(bits) < 24 or int(bits[:6], 2) != 3:
        raise GppError("a GPP string starts with a header of type 3 (it begins with 'D')")
    if int(bits[6:12], 2) != 1:
        raise GppError(f"unsupported GPP header version {int(bits[6:12], 2)}")
    ids, _ = _read_range(bits, 12)
    if len(ids) != len(parts) - 1:
        raise GppError("the number of sections does not match the header")
    decoded = {}
    for section_id, part in zip(ids, parts[1:], strict=True):
        section = SECTIONS_BY_ID.get(section_id)
        if section is None:
            raise GppError(f"section {section_id} is not supported")
        decoded[section.name] = decode_section(section.name, part)
    return decoded
