"""Byte-for-byte agreement with the IAB's reference implementation (@iabgpp/cmpapi 3.2.0, run in
Node): their strings decode to their objects with our decoder, our strings decode to our values
with theirs, and both encoders write the same string for the same random choices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodskin.consent import gpp
from tests.gpp_reference import Reference, start_reference


@pytest.fixture(scope="module")
def reference() -> Iterator[Reference]:
    bridge = start_reference()
    yield bridge
    bridge.close()


def _field_strategy(field: gpp.Field) -> st.SearchStrategy[Any]:
    if field.name in {"Version", "MspaVersion"}:
        return st.just(field.default)
    if field.name == "MspaCoveredTransaction":
        return st.sampled_from([1, 2])
    if field.kind == "list":
        return st.lists(st.integers(0, 2), min_size=field.size, max_size=field.size)
    return st.integers(0, 2)


@st.composite
def section_values(draw: st.DrawFn, name: str) -> dict[str, Any]:
    section = gpp.SECTIONS[name]
    values = {field.name: draw(_field_strategy(field)) for field in section.core}
    if section.sensitive_segment:
        values["SensitiveDataProcessing"] = draw(
            st.lists(st.integers(0, 2), min_size=8, max_size=8)
        )
    if section.gpc:
        values["Gpc"] = draw(st.booleans())
    return values


@st.composite
def choices(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    names = draw(
        st.lists(st.sampled_from(sorted(gpp.SECTIONS)), min_size=1, max_size=5, unique=True)
    )
    return {name: draw(section_values(name)) for name in names}


def _comparable(decoded: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {k: v for k, v in fields.items() if k != "GpcSegmentIncluded"}
        for name, fields in decoded.items()
    }


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choices())
def test_both_encoders_write_the_same_string_and_each_reads_the_other(
    reference: Reference, sections: dict[str, dict[str, Any]]
) -> None:
    ours = gpp.encode(sections)
    theirs = reference.ask({"encode": sections})
    assert ours == theirs
    assert _comparable(reference.ask({"decode": ours})) == gpp.decode(ours)
    for name, fields in sections.items():
        for field, value in fields.items():
            assert gpp.decode(theirs)[name][field] == value


def test_every_section_default_agrees(reference: Reference) -> None:
    for name in gpp.SECTIONS:
        minimal = {name: {"MspaCoveredTransaction": 1}}
        assert gpp.encode(minimal) == reference.ask({"encode": minimal}), name
