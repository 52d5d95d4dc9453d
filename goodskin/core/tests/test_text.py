import pytest
from django.core.exceptions import ValidationError

from goodskin.core.text import validate_readable_text


@pytest.mark.parametrize("value", ["Rosa Delgado", "José Núñez-O'Brien", "李小龙", "Zoë Ndiaye"])
def test_real_names_in_any_script_are_readable(value: str) -> None:
    validate_readable_text(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Ros\ufffd", "undecodable"),
        ("Rosa\x00", "control_characters"),
        ("Ro\u202esa", "control_characters"),
    ],
)
def test_garbled_or_hidden_characters_are_refused(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_readable_text(value)
    assert error.value.code == code
